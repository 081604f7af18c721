// The human-task inbox and decisions (API.md: GET /tasks, POST /tasks/:id/decision).
import { z } from 'zod';
import { isRegionCode } from '../../../../workflows/domain/region';
import { pageQuery } from '../common/pagination';
import { bilingual } from '../common/zod';
import { scopeSchema } from '../filings/filing.dto';

export const listTasksQuery = z.strictObject({
  ...pageQuery,
  status: z.enum(['OPEN', 'COMPLETED', 'CANCELLED']).default('OPEN'),
  kind: z.string().max(50).optional(),
  region: z.string().refine(isRegionCode, 'a region code').optional(),
  overdue: z.enum(['true', 'false']).optional(),
});
export type ListTasksQuery = z.infer<typeof listTasksQuery>;

/** A decision on a filing review task (R2.1): approve with a scope (may be narrower), reject, or return. */
export const filingDecisionSchema = z.discriminatedUnion(
  'outcome',
  [
    z.strictObject({ outcome: z.literal('APPROVE'), grantedScope: scopeSchema, note: z.string().trim().max(2000).optional() }),
    z.strictObject({ outcome: z.literal('REJECT'), reason: z.string().trim().min(1).max(2000) }),
    z.strictObject({
      outcome: z.literal('RETURN'),
      reason: z.string().trim().min(1).max(2000),
      amendmentDueAt: z.iso.datetime({ offset: true }).optional(),
    }),
  ],
  { error: bilingual('outcome must be APPROVE, REJECT or RETURN', '决定须为 APPROVE（批准）、REJECT（不予备案）或 RETURN（退回补正）') },
);

/** A decision on a catalogue review (R3.1): approve publishes the draft as the next version; reject needs a reason. */
export const catalogueDecisionSchema = z.strictObject({
  outcome: z.enum(['APPROVE', 'REJECT'], {
    error: bilingual('outcome must be APPROVE or REJECT', '决定须为 APPROVE（批准发布）或 REJECT（退回）'),
  }),
  reason: z.string().trim().max(2000).optional(),
});
