// Filing requests and responses (审核备案, R2.1).
import { z } from 'zod';
import { FILING_INSTITUTION_TYPES } from '../../../../workflows/contracts/filing';
import { validateCreditCode } from '../../../../workflows/domain/credit-code';
import { isRegionCode } from '../../../../workflows/domain/region';
import { bilingual } from '../common/zod';
import { pageQuery } from '../common/pagination';

export const scopeSchema = z
  .array(
    z.strictObject({
      occupationCode: z
        .string()
        .regex(/^\d-\d{2}-\d{2}-\d{2}$/, bilingual('an occupation code such as 4-10-01-06', '职业编码格式如 4-10-01-06')),
      levels: z
        .array(z.union([z.literal(1), z.literal(2), z.literal(3), z.literal(4), z.literal(5)]), {
          error: bilingual('skill levels 1 (高级技师) to 5 (初级工)', '职业技能等级为 1（高级技师）至 5（初级工）'),
        })
        .min(1)
        .max(5),
    }),
  )
  .min(1)
  .max(200);

export const creditCodeSchema = z
  .string()
  .trim()
  .toUpperCase()
  .superRefine((code, ctx) => {
    const r = validateCreditCode(code);
    if (!r.ok) {
      ctx.addIssue({
        code: 'custom',
        message:
          r.problem === 'FORMAT'
            ? bilingual(
                '18 characters of GB 32100 (digits and capital letters without I, O, S, V, Z)',
                '须为 18 位统一社会信用代码（数字和除 I、O、S、V、Z 外的大写字母）',
              )
            : bilingual('the check character does not match (GB 32100)', '校验码不正确（GB 32100）'),
      });
    }
  });

export const filingApplicationSchema = z.strictObject({
  institutionName: z.string().trim().min(2).max(200),
  institutionType: z.enum(FILING_INSTITUTION_TYPES, {
    error: bilingual(
      'ENTERPRISE, VOCATIONAL_COLLEGE or GOVERNMENT_CENTRE; other training institutions qualify through procurement (R2.2)',
      '须为企业、职业院校或政府就业训练中心；其他培训机构须通过政府采购取得资质（R2.2）',
    ),
  }),
  creditCode: creditCodeSchema,
  regionCode: z
    .string()
    .refine(
      (c) => isRegionCode(c) && c.startsWith('14'),
      bilingual('a region code of Shanxi (14xxxx, GB/T 2260)', '须为山西省行政区划代码（14xxxx）'),
    ),
  contact: z.strictObject({
    name: z.string().trim().min(1).max(50),
    phone: z.string().regex(/^[0-9+\- ]{7,20}$/, bilingual('a phone number', '电话号码格式错误')),
    email: z.string().email().optional(),
  }),
  scope: scopeSchema,
  capacity: z.number().int().min(1).max(100_000),
  teachers: z.strictObject({ count: z.number().int().min(0).max(10_000), summary: z.string().trim().min(1).max(2000) }),
  facilities: z.string().trim().min(1).max(2000),
});
export type FilingApplicationDto = z.infer<typeof filingApplicationSchema>;

export const listFilingsQuery = z.strictObject({
  ...pageQuery,
  status: z.enum(['SUBMITTED', 'UNDER_REVIEW', 'RETURNED', 'APPROVED', 'REJECTED', 'WITHDRAWN']).optional(),
  region: z.string().refine(isRegionCode, 'a region code').optional(),
});
export type ListFilingsQuery = z.infer<typeof listFilingsQuery>;
