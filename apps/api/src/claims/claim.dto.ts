// Claim requests (R6.2 告知承诺制) and decisions on claim tasks.
import { z } from 'zod';
import { SUBSIDY_CATEGORIES } from '../../../../workflows/contracts/claim';
import { isRegionCode } from '../../../../workflows/domain/region';
import { pageQuery } from '../common/pagination';
import { bilingual } from '../common/zod';

export const createClaimSchema = z.strictObject({
  classId: z.uuid(),
  category: z.enum(SUBSIDY_CATEGORIES),
  /** Present when the claimant signs the commitment; the exact text is kept with the claim. */
  commitment: z
    .strictObject({
      text: z.string().trim().min(20).max(5000),
      agreed: z.literal(true, { error: bilingual('the commitment must be agreed to', '须同意承诺内容') }),
    })
    .optional(),
});
export type CreateClaimDto = z.infer<typeof createClaimSchema>;

export const listClaimsQuery = z.strictObject({
  ...pageQuery,
  status: z.enum(['CHECKING', 'UNDER_REVIEW', 'POSTED', 'HELD', 'AWAITING_FUNDS', 'PAID', 'REJECTED']).optional(),
  region: z.string().refine(isRegionCode, 'a region code').optional(),
});
export type ListClaimsQuery = z.infer<typeof listClaimsQuery>;

export const claimDecisionSchema = z.strictObject({
  lines: z
    .array(
      z.strictObject({
        lineId: z.uuid(),
        approve: z.boolean(),
        reason: z.string().trim().max(2000).optional(),
        evidence: z.string().trim().max(500).optional(),
        amountFen: z.number().int().positive().max(Number.MAX_SAFE_INTEGER).optional(),
      }),
    )
    .min(1)
    .max(2000),
});

export const objectionResolutionSchema = z.strictObject({
  outcome: z.enum(['DISMISS', 'UPHOLD']),
  reason: z.string().trim().min(1).max(2000),
  lineIds: z.array(z.uuid()).max(2000).optional(),
});

export const inspectionReportSchema = z.strictObject({
  outcome: z.enum(['CONFIRMED', 'COMMITMENT_FALSE']),
  findings: z.string().trim().min(1).max(5000),
});

export const objectionSchema = z.strictObject({
  text: z.string().trim().min(5).max(2000),
  contact: z.string().trim().max(100).optional(),
  /** R10.2 the posted lines the objection is about; none: the whole claim */
  lineIds: z.array(z.uuid()).max(2000).optional(),
});

/** R10.3 the lead inspector names a post-audit team when none could be drawn. */
export const inspectionTeamSchema = z.strictObject({
  inspectors: z.array(z.string().trim().min(1).max(100)).min(1).max(20),
});
