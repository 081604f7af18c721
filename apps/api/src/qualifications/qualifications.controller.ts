// Who may deliver which subsidised training (R2.3), from filings (and, later, procurement awards).
import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import { QualificationRepository, type QualificationWithInstitution } from '../../../../repositories/qualification.repository';
import { isRegionCode } from '../../../../workflows/domain/region';
import { isStaffFor, requireAccess } from '../auth/access';
import { CurrentUser, type AuthUser } from '../auth/auth';
import { notFound } from '../common/api-error';
import { decodeCursor, page, pageQuery } from '../common/pagination';
import { UuidPipe } from '../common/uuid';
import { ApiZodQuery, ZodPipe } from '../common/zod';

const listQuery = z.strictObject({
  ...pageQuery,
  status: z.enum(['ACTIVE', 'SUSPENDED', 'REVOKED', 'EXPIRED']).optional(),
  region: z.string().refine(isRegionCode, 'a region code').optional(),
  institutionId: z.uuid().optional(),
});
type ListQuery = z.infer<typeof listQuery>;

function toDto(q: QualificationWithInstitution) {
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
  constructor(private readonly qualifications: QualificationRepository) {}

  @Get()
  @ApiOperation({
    summary:
      "Qualifications, filterable by status, region and institution: an institution's own, staff those of their region (and below), others all",
  })
  @ApiZodQuery(listQuery)
  async list(@CurrentUser() user: AuthUser, @Query(new ZodPipe(listQuery)) q: ListQuery) {
    // Staff are scoped to their region as for claims (a region filter outside it is FORBIDDEN_REGION);
    // an institution user sees its own; the other roles read all, as the published catalogue shows them.
    const as = requireAccess(user, 'qualification.read', q.region ? { regionCode: q.region } : undefined);
    const staff = isStaffFor(user, 'qualification.read');
    const region = q.region ?? (staff ? user.regionCode : undefined);
    const rows = await this.qualifications.list({
      ownInstitutionId: as === 'owner' ? user.institutionId : undefined,
      regionCode: region,
      status: q.status,
      institutionId: q.institutionId,
      after: decodeCursor(q.cursor),
      take: q.limit + 1,
    });
    return page(rows, q.limit, toDto);
  }

  @Get(':id')
  async get(@CurrentUser() user: AuthUser, @Param('id', new UuidPipe('Qualification', '培训资质')) id: string) {
    const q = await this.qualifications.withInstitution(id);
    if (!q) throw notFound('Qualification', '培训资质');
    // One qualification by its id: its own institution, or anyone who is not only an institution (as before).
    if (user.roles.every((r) => r === 'institution')) requireAccess(user, 'qualification.read', { institutionId: q.institutionId });
    return toDto(q);
  }
}
