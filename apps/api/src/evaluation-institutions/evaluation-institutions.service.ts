// Evaluation institutions (评价机构, R3.1): an admin registers them; every ACTIVE one valid on a catalogue's
// effective date is listed in that catalogue (activities/catalogue.activities.ts).
import { Inject, Injectable } from '@nestjs/common';
import { isUniqueViolation, type Db, type Prisma } from '../../../../prisma/client';
import { normaliseScope } from '../../../../workflows/domain/scope';
import { regionPrefix } from '../../../../workflows/domain/region';
import type { AuthUser } from '../auth/auth';
import { conflict } from '../common/api-error';
import { afterCursor, decodeCursor, page } from '../common/pagination';
import { DB } from '../infra/infra.module';
import {
  toEvaluationInstitutionDto,
  type ListEvaluationInstitutionsQuery,
  type RegisterEvaluationInstitutionDto,
} from './evaluation-institution.dto';

@Injectable()
export class EvaluationInstitutionsService {
  constructor(@Inject(DB) private readonly db: Db) {}

  /** 409 when an evaluation institution with this credit code is already registered. */
  async register(user: AuthUser, dto: RegisterEvaluationInstitutionDto) {
    const duplicate = () =>
      conflict(
        'EVALUATION_INSTITUTION_EXISTS',
        `An evaluation institution with credit code ${dto.creditCode} is already registered.`,
        `统一社会信用代码为 ${dto.creditCode} 的评价机构已登记。`,
      );
    if (await this.db.evaluationInstitution.findUnique({ where: { creditCode: dto.creditCode } })) throw duplicate();
    try {
      const row = await this.db.evaluationInstitution.create({
        data: {
          name: dto.name,
          creditCode: dto.creditCode,
          regionCode: dto.regionCode,
          scope: normaliseScope(dto.scope) as unknown as Prisma.InputJsonValue,
          validFrom: new Date(dto.validFrom),
          validTo: new Date(dto.validTo),
          createdBy: user.userId,
        },
      });
      return toEvaluationInstitutionDto(row);
    } catch (err) {
      if (isUniqueViolation(err)) throw duplicate(); // registered concurrently
      throw err;
    }
  }

  async list(q: ListEvaluationInstitutionsQuery) {
    const rows = await this.db.evaluationInstitution.findMany({
      where: {
        AND: [
          q.status ? { status: q.status } : {},
          q.region ? { regionCode: { startsWith: regionPrefix(q.region) } } : {},
          afterCursor(decodeCursor(q.cursor)),
        ],
      },
      orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
      take: q.limit + 1,
    });
    return page(rows, q.limit, toEvaluationInstitutionDto);
  }
}
