// Filing (审核备案, R2.1) activities: thin, idempotent writes keyed by business ids, over the filing repository.
import { type Actor, type Problem } from '../workflows/contracts/common';
import { type FilingApplication, type FilingDecision, type FilingStatus } from '../workflows/contracts/filing';
import type { ScopeItem } from '../workflows/domain/scope';
import { currentExecution } from './audit';
import type { FilingRepository } from '../repositories/filing.repository';

export function createFilingActivities(filings: FilingRepository) {
  return {
    /** Records the policy versions the case was opened under (POLICY.md: a case keeps its version). */
    async recordFilingOpened(input: { filingId: string; policyVersionIds: string[]; actor: Actor }): Promise<void> {
      return filings.recordFilingOpened(input, currentExecution());
    },

    /**
     * Completeness check against reference data: known occupations, levels their standard defines, a region of
     * the province, teachers and facilities described. Returns the problems and the requested scope.
     */
    async checkFilingCompleteness(input: { filingId: string; revision: number }): Promise<{
      problems: Problem[];
      requestedScope: ScopeItem[];
    }> {
      return filings.checkFilingCompleteness(input);
    },

    /** Puts the filing under review and opens the reviewer's task with its due date. Returns the task id. */
    async openFilingReview(input: {
      filingId: string;
      revision: number;
      dueAt: string;
      /** made by the workflow, so its validator knows the task before anyone can see it */
      taskId?: string;
      escalation?: { fromTaskId: string };
      /** R9.9: dueAt was computed over days no calendar version covers */
      dueProvisional?: boolean;
    }): Promise<string> {
      return filings.openFilingReview(input, currentExecution());
    },

    /** A reviewer's decision: closes the case's open tasks, moves the filing, audits who/what/why. */
    async recordFilingDecision(input: {
      filingId: string;
      updateId: string;
      taskId: string;
      actor: Actor;
      decision: FilingDecision;
      status: FilingStatus;
      amendmentDueAt?: string;
      /** R9.9: amendmentDueAt was computed over days no calendar version covers */
      amendmentDueProvisional?: boolean;
    }): Promise<void> {
      return filings.recordFilingDecision(input, currentExecution());
    },

    /** The completeness check failed: returned to the institution without a reviewer (audited as the system). */
    async returnIncompleteFiling(input: {
      filingId: string;
      revision: number;
      problems: Problem[];
      amendmentDueAt: string;
      /** R9.9: amendmentDueAt was computed over days no calendar version covers */
      amendmentDueProvisional?: boolean;
    }): Promise<void> {
      return filings.returnIncompleteFiling(input, currentExecution());
    },

    /** Stores a resubmitted application as the next revision. Keyed by the Update id. */
    async saveFilingResubmission(input: {
      filingId: string;
      updateId: string;
      revision: number;
      actor: Actor;
      application: FilingApplication;
    }): Promise<void> {
      return filings.saveFilingResubmission(input, currentExecution());
    },

    /** No resubmission by the deadline: the application is withdrawn (视为撤回). */
    async withdrawFiling(input: { filingId: string; amendmentDueAt: string }): Promise<void> {
      return filings.withdrawFiling(input, currentExecution());
    },
  };
}
