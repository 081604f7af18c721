// Evaluation institutions (评价机构 / 职业技能等级认定机构, R3.1): requests and responses.
import { z } from 'zod';
import type { EvaluationInstitution } from '../../../../generated/prisma/client';
import { isRegionCode } from '../../../../workflows/domain/region';
import { pageQuery } from '../common/pagination';
import { bilingual } from '../common/zod';
import { creditCodeSchema, scopeSchema } from '../filings/filing.dto';

const instant = z.iso.datetime({
  offset: true,
  error: bilingual('a date and time with offset, such as 2027-01-01T00:00:00+08:00', '须为带时区的时间，如 2027-01-01T00:00:00+08:00'),
});

export const registerEvaluationInstitutionSchema = z
  .strictObject({
    name: z.string().trim().min(2).max(200),
    creditCode: creditCodeSchema,
    regionCode: z
      .string()
      .refine(
        (c) => isRegionCode(c) && c.startsWith('14'),
        bilingual('a region code of Shanxi (14xxxx, GB/T 2260)', '须为山西省行政区划代码（14xxxx）'),
      ),
    /** the occupations and levels it evaluates, in the shape of a qualification's scope */
    scope: scopeSchema,
    validFrom: instant,
    /** exclusive: the first instant it no longer evaluates */
    validTo: instant,
  })
  .refine((b) => Date.parse(b.validFrom) < Date.parse(b.validTo), {
    path: ['validTo'],
    message: bilingual('must be after validFrom', '须晚于有效期起'),
  });
export type RegisterEvaluationInstitutionDto = z.infer<typeof registerEvaluationInstitutionSchema>;

export const listEvaluationInstitutionsQuery = z.strictObject({
  ...pageQuery,
  status: z.enum(['ACTIVE', 'WITHDRAWN']).optional(),
  region: z.string().refine(isRegionCode, bilingual('a region code (GB/T 2260)', '须为行政区划代码（GB/T 2260）')).optional(),
});
export type ListEvaluationInstitutionsQuery = z.infer<typeof listEvaluationInstitutionsQuery>;

export function toEvaluationInstitutionDto(e: EvaluationInstitution) {
  return {
    id: e.id,
    name: e.name,
    creditCode: e.creditCode,
    regionCode: e.regionCode,
    scope: e.scope,
    validFrom: e.validFrom,
    validTo: e.validTo,
    status: e.status,
    createdBy: e.createdBy,
    createdAt: e.createdAt,
  };
}
