// Requests of competitive selection (R9): processes, bids, scores, decisions, challenges, the expert pool and bans.
import { z } from 'zod';
import { CHALLENGE_SUBJECTS, FAILURE_CHOICES, PROCUREMENT_METHODS } from '../../../../workflows/contracts/procurement';
import { isRegionCode } from '../../../../workflows/domain/region';
import { pageQuery } from '../common/pagination';
import { bilingual } from '../common/zod';

const fen = z.number().int().positive().max(Number.MAX_SAFE_INTEGER);
const instant = z.iso.datetime({ offset: true });
const region = z.string().refine(isRegionCode, bilingual('a GB/T 2260 region code', '须为 GB/T 2260 行政区划代码'));
const text = (max: number) => z.string().trim().min(1).max(max);

export const scheduleSchema = z.strictObject({
  documentsFrom: instant,
  documentsUntil: instant,
  responseDeadline: instant,
});

export const createProcurementSchema = z
  .strictObject({
    title: text(200),
    method: z.enum(PROCUREMENT_METHODS),
    regionCode: region,
    budgetFen: fen,
    servicesPurchase: z.boolean().default(true),
    complex: z.boolean().default(false),
    requirements: z
      .array(z.strictObject({ key: z.string().regex(/^[a-z][a-zA-Z0-9_]{0,39}$/), name: text(200), nameZh: text(200) }))
      .max(30)
      .default([]),
    criteria: z
      .array(
        z.strictObject({
          key: z.string().regex(/^[a-z][a-zA-Z0-9_]{0,39}$/),
          name: text(200),
          weightPercent: z.number().int().min(1).max(90),
        }),
      )
      .max(20)
      .default([]),
    priceWeightPercent: z.number().int().min(1).max(100),
    tieRule: z.enum(['EARLIER_SUBMISSION', 'HIGHER_TECHNICAL']).default('HIGHER_TECHNICAL'),
    schedule: scheduleSchema,
    lots: z
      .array(
        z.strictObject({
          title: text(200),
          occupationCode: z.string().trim().min(1).max(20),
          levels: z
            .array(z.enum(['1', '2', '3', '4', '5']))
            .min(1)
            .max(5),
          trainees: z.number().int().min(1).max(100_000),
          regionCode: region,
          ceilingPricePerPersonFen: fen,
          serviceMonths: z.number().int().min(1).max(36),
          serviceMonthsReason: text(1000).optional(),
        }),
      )
      .min(1)
      .max(50),
  })
  .superRefine((p, ctx) => {
    const keys = new Set<string>();
    for (const [i, c] of p.criteria.entries()) {
      if (keys.has(c.key))
        ctx.addIssue({ code: 'custom', path: ['criteria', i, 'key'], message: bilingual('criteria keys are unique', '评审因素不得重复') });
      keys.add(c.key);
    }
    const total = p.criteria.reduce((s, c) => s + c.weightPercent, 0) + p.priceWeightPercent;
    if (total !== 100) {
      ctx.addIssue({
        code: 'custom',
        path: ['priceWeightPercent'],
        message: bilingual(
          `the criteria and price weights add up to 100 (now ${total})`,
          `评审因素与价格分值权重之和须为 100（现为 ${total}）`,
        ),
      });
    }
    if (p.method === 'COMPETITIVE_NEGOTIATION' && p.criteria.length > 0) {
      ctx.addIssue({
        code: 'custom',
        path: ['criteria'],
        message: bilingual(
          'a negotiation awards the lowest compliant final quotation: no scored criteria (R9.3)',
          '竞争性谈判以最低报价成交，不设评分因素（R9.3）',
        ),
      });
    }
  });
export type CreateProcurementDto = z.infer<typeof createProcurementSchema>;

export const listProcurementsQuery = z.strictObject({
  ...pageQuery,
  status: z.enum(['DRAFT', 'PUBLISHED', 'EVALUATION', 'AWARDED', 'CLOSED', 'FAILED']).optional(),
  method: z.enum(PROCUREMENT_METHODS).optional(),
});
export type ListProcurementsQuery = z.infer<typeof listProcurementsQuery>;

export const clarificationSchema = z.strictObject({ text: text(10_000), affectsResponses: z.boolean() });

export const bidSchema = z.strictObject({
  pricePerPersonFen: fen,
  /** requirement key → document reference */
  evidence: z.record(z.string().regex(/^[a-z][a-zA-Z0-9_]{0,39}$/), text(500)).default({}),
  technicalOffer: text(20_000),
  /** R9.10 declared small or micro enterprise (derived from the credit code where it can be) */
  sme: z.boolean(),
});
export type BidDto = z.infer<typeof bidSchema>;

export const scoreSchema = z
  .strictObject({
    scores: z.record(z.uuid(), z.record(z.string(), z.number().int())),
    sign: z.boolean(),
    dissent: text(5000).optional(),
  })
  .refine((s) => s.sign || s.dissent, {
    message: bilingual('sign the report or record a dissent (R9.5)', '须签字或书面说明不同意见（R9.5）'),
    path: ['dissent'],
  });

export const seatReleaseSchema = z.strictObject({ reason: z.enum(['RECUSED', 'ABSENT']), note: text(2000) });

export const awardChoiceSchema = z.strictObject({ bidId: z.uuid() });

export const failureDecisionSchema = z.strictObject({
  choice: z.enum(FAILURE_CHOICES),
  reason: text(2000),
  method: z.enum(PROCUREMENT_METHODS).optional(),
  schedule: scheduleSchema,
});
export type FailureDecisionDto = z.infer<typeof failureDecisionSchema>;

export const failureApprovalSchema = z.strictObject({ approve: z.boolean(), reason: text(2000) });

export const contractSchema = z.strictObject({ sign: z.boolean(), reason: text(2000).optional() }).refine((c) => c.sign || c.reason, {
  message: bilingual('a refusal to sign gives its reason', '拒绝签订合同须说明理由'),
  path: ['reason'],
});

export const challengeSchema = z.strictObject({
  subject: z.enum(CHALLENGE_SUBJECTS),
  lotNumber: z.number().int().min(1).optional(),
  text: text(10_000),
  stepEndedAt: instant.optional(),
  receivedAt: instant.optional(),
});
export type ChallengeDto = z.infer<typeof challengeSchema>;

export const challengeAnswerSchema = z.strictObject({
  upheld: z.boolean(),
  answer: text(10_000),
  remedy: z.enum(['REEVALUATE', 'NEXT_RANKED']).optional(),
});

export const complaintSchema = z.strictObject({ text: text(10_000) });

export const complaintDecisionSchema = z.strictObject({
  upheld: z.boolean(),
  decision: text(10_000),
  suspendDays: z.number().int().min(1).max(365).optional(),
  remedy: z.enum(['REEVALUATE', 'NEXT_RANKED']).optional(),
});

export const expertSchema = z.strictObject({
  userId: text(100),
  name: text(100),
  fields: z.array(z.string().trim().min(1).max(20)).min(1).max(50),
  regionCode: region,
  representative: z.boolean().default(false),
  /** the bureau the person works for: its own procurements exclude them as experts (R9.5) */
  employerRegionCode: region.optional(),
});
export type ExpertDto = z.infer<typeof expertSchema>;

export const relationshipSchema = z.strictObject({
  institutionId: z.uuid(),
  nature: text(500),
  endedOn: z.iso.date().optional(),
});

export const supplierBanSchema = z
  .strictObject({
    institutionId: z.uuid(),
    kind: z.enum(['FINANCE_BAN', 'MAJOR_ILLEGAL_RECORD']),
    reason: text(2000),
    decisionRef: text(200),
    startsOn: z.iso.date(),
    endsOn: z.iso.date().optional(),
  })
  .refine((b) => b.kind !== 'FINANCE_BAN' || b.endsOn, {
    message: bilingual('a finance-department ban has its last day (1–3 years, R9.8)', '禁止参加政府采购须有截止日期（1–3 年，R9.8）'),
    path: ['endsOn'],
  });
export type SupplierBanDto = z.infer<typeof supplierBanSchema>;
