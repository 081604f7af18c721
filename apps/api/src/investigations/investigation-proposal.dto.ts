// GET /investigation-proposals: what the anomaly rules proposed (issue 10 item 1), for inspectors.
import { z } from 'zod';
import type { InvestigationProposal } from '../../../../generated/prisma/client';
import { ANOMALY_RULES } from '../../../../workflows/domain/anomaly-rules';
import { isRegionCode } from '../../../../workflows/domain/region';
import { pageQuery } from '../common/pagination';

export const listProposalsQuery = z.strictObject({
  ...pageQuery,
  rule: z.enum(ANOMALY_RULES).optional(),
  status: z.enum(['PROPOSED', 'OPENED', 'DISMISSED']).optional(),
  region: z.string().refine(isRegionCode, 'a region code').optional(),
  institution: z.uuid().optional(),
});
export type ListProposalsQuery = z.infer<typeof listProposalsQuery>;

/** A proposal as an inspector reads it: the rule, what it saw and when; who acted on it, once someone has. */
export function toProposalDto(p: InvestigationProposal) {
  return {
    id: p.id,
    rule: p.rule,
    status: p.status,
    institutionId: p.institutionId,
    regionCode: p.regionCode,
    source: p.source,
    sourceId: p.sourceId,
    seen: p.seen,
    detectedAt: p.detectedAt,
    decision: p.decidedBy ? { by: p.decidedBy, reason: p.decisionReason, at: p.decidedAt } : null,
    createdAt: p.createdAt,
  };
}
