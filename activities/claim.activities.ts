// Claim activities (补贴申领, R4–R10): thin, idempotent writes over the claim repository, each passing the workflow
// execution it works for.
import { type Actor } from '../workflows/contracts/common';
import { type ClaimLineDecision } from '../workflows/contracts/claim';
import { type ClaimRegime } from '../workflows/domain/claim-decision-rules';
import { type RuleFailure } from '../workflows/domain/claim-rules';
import type { PolicyParameters } from '../workflows/domain/policy';
import { log } from '@temporalio/activity';
import type { AnomalyRepository } from '../repositories/anomaly.repository';
import { currentExecution } from './audit';
import type { CheckSummary, ClaimRepository, OpenTaskInput, PostAuditDraw } from '../repositories/claim.repository';

/** An activity's input is its repository method's, less the workflow execution the activity adds. */
type RepositoryInput<K extends keyof ClaimRepository> = Parameters<ClaimRepository[K]>[0];

export function createClaimActivities(claims: ClaimRepository, anomalies: AnomalyRepository) {
  return {
    /**
     * Records the policy versions of the claim and which regime handles it (R6.2): a signed claim takes the
     * commitment fast path only within the policy's scope (a procured lot, a commissioned project…).
     * Histories recorded before the regime existed have no result here; the workflow then keeps the old path.
     */
    async recordClaimOpened(input: RepositoryInput<'recordClaimOpened'>): Promise<ClaimRegime> {
      return claims.recordClaimOpened(input, currentExecution());
    },

    /** The claim's eligibility checks (ClaimRepository.checkClaim), then the anomaly rules on what they wrote. */
    async checkClaim(input: { claimId: string; policy: PolicyParameters }): Promise<CheckSummary> {
      const summary = await claims.checkClaim(input, currentExecution());
      // Issue 10 item 1: once the lines are written, the anomaly rules propose cases for an inspector. They
      // never fail the claim nor change its lines (failures are logged); a retry proposes nothing twice.
      await anomalies.propose(
        { source: 'CLAIM', claimId: input.claimId },
        { policy: input.policy, log: (msg, meta) => log.warn(msg, meta) },
      );
      return summary;
    },

    /** With a signed commitment, lines that passed every check are approved without a human (R6.2). */
    async autoApproveLines(input: RepositoryInput<'autoApproveLines'>): Promise<number> {
      return claims.autoApproveLines(input, currentExecution());
    },

    /**
     * A reviewer's line decisions. Approving a flagged line reserves its place in the subsidy register now;
     * if the register refuses (a cap reached meanwhile), the line is rejected with the rule. Rejected lines
     * give their place back.
     */
    async decideClaimLines(input: {
      claimId: string;
      updateId: string;
      taskId: string;
      actor: Actor;
      decisions: ClaimLineDecision[];
      policy: PolicyParameters;
    }): Promise<{ approvedFen: number; refused: { lineId: string; failures: RuleFailure[] }[] }> {
      return claims.decideClaimLines(input, currentExecution());
    },

    /** Opens a task on the claim (review, objection, inspection); a retry finds the one already made. */
    async openClaimTask(input: OpenTaskInput): Promise<string> {
      return claims.openClaimTask(input, currentExecution());
    },

    /** R10.2 one objection's own task: opened for a reviewer and linked to the objection it answers. */
    async openObjectionTask(input: OpenTaskInput & { objectionId: string }): Promise<string> {
      return claims.openObjectionTask(input, currentExecution());
    },

    /**
     * R10.2 an objection that reached the claim after its posting period is answered, not dropped: refused
     * as late, with the answer the filer reads on GET /public/objections/:id.
     */
    async answerLateObjection(input: RepositoryInput<'answerLateObjection'>): Promise<void> {
      return claims.answerLateObjection(input, currentExecution());
    },

    /** R10.2 what can be paid now: the approved lines that no open objection names. */
    async payableFen(input: { claimId: string; heldLineIds: string[] }): Promise<number> {
      return claims.payableFen(input);
    },

    /** Moves the claim's visible status, audited. */
    async setClaimStatus(input: RepositoryInput<'setClaimStatus'>): Promise<void> {
      return claims.setClaimStatus(input, currentExecution());
    },

    /**
     * An objection during posting (R10.2) resolved: upheld lines leave the payment and the register. With
     * `objectionId` only that objection is answered (each on its own); without it (claims opened before
     * objections were answered one by one) every open objection of the claim is.
     */
    async resolveObjection(input: RepositoryInput<'resolveObjection'>): Promise<number> {
      return claims.resolveObjection(input, currentExecution());
    },

    /** Inspectors of the claim's region, and everyone who decided on the claim (they must recuse, R10.3). Claims opened before the random draw only. */
    async postAuditCandidates(input: { claimId: string }): Promise<{ pool: string[]; deciders: string[] }> {
      return claims.postAuditCandidates(input);
    },

    /**
     * R10.3 the post-audit draw, from a cryptographic random source (node:crypto), recorded with the claim:
     * the value and the rate, and when sampled the pool level by level (the claim's region, then its parents),
     * the excluded deciders, the picks and the team. A retry returns the recorded draw; it never draws again.
     * When even the province's pool is too small no team is drawn (never "anyone"): the lead inspector assigns.
     * With `rotation` (R10.3 inspectors rotate) the institution's previous teams are left out as long as the
     * pool up to the province allows, and the draw records who was rotated out or that rotation was relaxed.
     */
    async drawPostAudit(input: RepositoryInput<'drawPostAudit'>): Promise<PostAuditDraw> {
      return claims.drawPostAudit(input, currentExecution());
    },

    /** R10.3 the lead inspector names the team no draw could make; recorded with the draw. */
    async assignInspectionTeam(input: RepositoryInput<'assignInspectionTeam'>): Promise<void> {
      return claims.assignInspectionTeam(input, currentExecution());
    },

    /** Records the post-audit draw (value, rate, result, inspectors) so it can be checked later. */
    async recordPostAuditDraw(input: RepositoryInput<'recordPostAuditDraw'>): Promise<void> {
      return claims.recordPostAuditDraw(input, currentExecution());
    },

    /** The inspection team's finding; a false commitment marks the claim for investigation. */
    async recordInspection(input: RepositoryInput<'recordInspection'>): Promise<void> {
      return claims.recordInspection(input, currentExecution());
    },
  };
}
