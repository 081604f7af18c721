// Evaluation institutions (评价机构, R3.1): an admin registers them; every ACTIVE one valid on a catalogue's
// effective date is listed in that catalogue (repositories/catalogue.repository.ts).
import { Injectable } from '@nestjs/common';
import { isUniqueViolation } from '../../../../repositories/errors';
import { EvaluationInstitutionRepository } from '../../../../repositories/evaluation-institution.repository';
import { normaliseScope } from '../../../../workflows/domain/scope';
import type { AuthUser } from '../auth/auth';
import { conflict } from '../common/api-error';
import { decodeCursor, page } from '../common/pagination';
import {
  toEvaluationInstitutionDto,
  type ListEvaluationInstitutionsQuery,
  type RegisterEvaluationInstitutionDto,
} from './evaluation-institution.dto';

@Injectable()
export class EvaluationInstitutionsService {
  constructor(private readonly evaluators: EvaluationInstitutionRepository) {}

  /** 409 when an evaluation institution with this credit code is already registered. */
  async register(user: AuthUser, dto: RegisterEvaluationInstitutionDto) {
    const duplicate = () =>
      conflict(
        'EVALUATION_INSTITUTION_EXISTS',
        `An evaluation institution with credit code ${dto.creditCode} is already registered.`,
        `统一社会信用代码为 ${dto.creditCode} 的评价机构已登记。`,
      );
    if (await this.evaluators.byCreditCode(dto.creditCode)) throw duplicate();
    try {
      const row = await this.evaluators.register({
        name: dto.name,
        creditCode: dto.creditCode,
        regionCode: dto.regionCode,
        scope: normaliseScope(dto.scope),
        validFrom: new Date(dto.validFrom),
        validTo: new Date(dto.validTo),
        createdBy: user.userId,
      });
      return toEvaluationInstitutionDto(row);
    } catch (err) {
      if (isUniqueViolation(err)) throw duplicate(); // registered concurrently
      throw err;
    }
  }

  async list(q: ListEvaluationInstitutionsQuery) {
    const rows = await this.evaluators.list({ status: q.status, regionCode: q.region, after: decodeCursor(q.cursor), take: q.limit + 1 });
    return page(rows, q.limit, toEvaluationInstitutionDto);
  }
}
