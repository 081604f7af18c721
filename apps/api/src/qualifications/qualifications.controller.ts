// Who may deliver which subsidised training (R2.3), from filings (and, later, procurement awards).
import { Controller, Get, Inject, Param, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import type { Db, Prisma } from '../../../../prisma/client';
import { isRegionCode, regionPrefix } from '../../../../workflows/domain/region';
import { CurrentUser, type AuthUser } from '../auth/auth';
import { forbidden, notFound } from '../common/api-error';
import { afterCursor, decodeCursor, page, pageQuery } from '../common/pagination';
import { ApiZodQuery, ZodPipe } from '../common/zod';
import { DB } from '../infra/infra.module';

const listQuery = z.strictObject({
  ...pageQuery,
  status: z.enum(['ACTIVE', 'SUSPENDED', 'REVOKED', 'EXPIRED']).optional(),
  region: z.string().refine(isRegionCode, 'a region code').optional(),
  institutionId: z.uuid().optional(),
});
type ListQuery = z.infer<typeof listQuery>;

type Row = Prisma.QualificationGetPayload<{ include: { institution: true } }>;

function toDto(q: Row) {
  return {
    id: q.id,
    institution: { id: q.institution.id, name: q.institution.name, creditCode: q.institution.creditCode, type: q.institution.type },
    route: q.route,
    sourceId: q.sourceId,
    regionCode: q.regionCode,
    scope: q.scope,
    validFrom: q.validFrom,
    validTo: q.validTo,
    status: q.status,
    statusReason: q.statusReason,
    reminderSentAt: q.reminderSentAt,
    createdAt: q.createdAt,
  };
}

@ApiTags('qualifications 培训资质')
@ApiBearerAuth()
@Controller('qualifications')
export class QualificationsController {
  constructor(@Inject(DB) private readonly db: Db) {}

  @Get()
  @ApiOperation({ summary: 'Qualifications, filterable by status, region and institution' })
  @ApiZodQuery(listQuery)
  async list(@CurrentUser() user: AuthUser, @Query(new ZodPipe(listQuery)) q: ListQuery) {
    const own = user.roles.every((r) => r === 'institution');
    const rows = await this.db.qualification.findMany({
      where: {
        AND: [
          own ? { institutionId: user.institutionId ?? '00000000-0000-0000-0000-000000000000' } : {},
          q.region ? { regionCode: { startsWith: regionPrefix(q.region) } } : {},
          q.status ? { status: q.status } : {},
          q.institutionId ? { institutionId: q.institutionId } : {},
          afterCursor(decodeCursor(q.cursor)),
        ],
      },
      include: { institution: true },
      orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
      take: q.limit + 1,
    });
    return page(rows, q.limit, toDto);
  }

  @Get(':id')
  async get(@CurrentUser() user: AuthUser, @Param('id') id: string) {
    const q = /^[0-9a-f-]{36}$/i.test(id) ? await this.db.qualification.findUnique({ where: { id }, include: { institution: true } }) : null;
    if (!q) throw notFound('Qualification', '培训资质');
    if (user.roles.every((r) => r === 'institution') && q.institutionId !== user.institutionId) {
      throw forbidden("This is another institution's qualification.", '这是其他机构的培训资质。');
    }
    return toDto(q);
  }
}
