// Competitive selection (R9) activities: thin, idempotent writes over the procurement repository. The bids are
// opened here, once the opening is recorded, with the key derived from the server's secret and the process; the
// Temporal signals and starts that follow a write are sent here too.
import type { Client } from '@temporalio/client';
import { openBid } from '../platform/sealed-bids';
import { WORKFLOW_TYPES, type Actor } from '../workflows/contracts/common';
import { procurementWorkflowId, type FailureDecisionRequest, type ProcurementWorkflowInput } from '../workflows/contracts/procurement';
import {
  amendmentWorkflowId,
  catalogueChangedSignal,
  type CatalogueChange,
  type CatalogueWorkflowInput,
} from '../workflows/contracts/catalogue';
import { currentExecution } from './audit';
import type { ProcurementRepository } from '../repositories/procurement.repository';

// The workflows' signatures from their contracts (activities never import workflow modules, even as types).
type ProcurementWorkflowFn = (input: ProcurementWorkflowInput) => Promise<unknown>;
type CatalogueWorkflowFn = (input: CatalogueWorkflowInput) => Promise<unknown>;

/** An activity's input is its repository method's, less the workflow execution the activity adds. */
type RepositoryInput<K extends keyof ProcurementRepository> = Parameters<ProcurementRepository[K]>[0];

export interface ProcurementActivityDeps {
  procurements: ProcurementRepository;
  temporal: Client;
  taskQueue: string;
  /** the server secret sealed bids are opened with (never stored, never in history) */
  bidSealSecret: string;
}

export function createProcurementActivities({ procurements, temporal, taskQueue, bidSealSecret }: ProcurementActivityDeps) {
  return {
    /** Records the policy versions the process runs under; returns its criteria for the score validator. */
    async recordProcurementOpened(input: RepositoryInput<'recordProcurementOpened'>) {
      return procurements.recordProcurementOpened(input, currentExecution());
    },

    /** R9.1 the notice goes up: the process takes bids until its response deadline. */
    async recordProcurementPublished(input: RepositoryInput<'recordProcurementPublished'>) {
      return procurements.recordProcurementPublished(input, currentExecution());
    },

    /** R9.1 a clarification; one that moves the deadline asks every bidder to confirm its bid again. */
    async recordClarification(input: RepositoryInput<'recordClarification'>) {
      return procurements.recordClarification(input, currentExecution());
    },

    /** A sealed bid taken in time: it replaces the bidder's earlier bid for the lot. */
    async acceptBid(input: RepositoryInput<'acceptBid'>) {
      return procurements.acceptBid(input, currentExecution());
    },

    async withdrawBid(input: RepositoryInput<'withdrawBid'>) {
      return procurements.withdrawBid(input, currentExecution());
    },

    /** R9.1 the bidder stands by its bid after the deadline moved. */
    async confirmBid(input: RepositoryInput<'confirmBid'>) {
      return procurements.confirmBid(input, currentExecution());
    },

    /**
     * The opening (开标, R9.2): recorded first, then each bid in time is opened — its price and validity
     * written — and each lot proceeds or fails with the reasons every bidder of the lot is told.
     */
    async openBids(input: { procurementId: string }) {
      return procurements.openBids(input, currentExecution(), (identity, sealed) => openBid(bidSealSecret, identity, sealed));
    },

    /**
     * R9.3–R9.5 draws the committee at random from the pool: experts of the lots' occupations, none who declared
     * a relationship with a bidder within the lookback, none of the purchaser's own staff, nobody seated before.
     * With `replacing`, one seat for a released member. A pool too small fails the attempt, which is retried
     * until the pool has grown.
     */
    async drawCommittee(input: RepositoryInput<'drawCommittee'>) {
      return procurements.drawCommittee(input, currentExecution());
    },

    /** R9.5 a member's scores, signature or dissent; the task closes. Returns the task id. */
    async recordScores(input: RepositoryInput<'recordScores'>) {
      return procurements.recordScores(input, currentExecution());
    },

    /** R9.5 a member recused or absent: the seat is released and its task cancelled. */
    async releaseSeat(input: RepositoryInput<'releaseSeat'>) {
      return procurements.releaseSeat(input, currentExecution());
    },

    /** Evaluation again after an upheld challenge: the same members score afresh, each in a new task. */
    async reopenScoring(input: RepositoryInput<'reopenScoring'>) {
      return procurements.reopenScoring(input, currentExecution());
    },

    /**
     * R9.5/R9.10 the ranking of each lot: technical score (the members' average), the price score from the
     * lowest evaluation price (SME deduction in evaluation only), ties to the lower price, then the stated rule.
     */
    async rankLots(input: RepositoryInput<'rankLots'>) {
      return procurements.rankLots(input, currentExecution());
    },

    async openProcurementTask(input: RepositoryInput<'openProcurementTask'>) {
      return procurements.openProcurementTask(input, currentExecution());
    },

    /**
     * R9.6 the award notice and the result announcement: the lot's winner, the experts' names; each bidder of
     * the lot is told its own score and rank. Returns the notice's instant (the same on a retry).
     */
    async recordAward(input: RepositoryInput<'recordAward'>) {
      return procurements.recordAward(input, currentExecution());
    },

    /** The award lapses (declined, not signed in time, an upheld challenge): the lot waits for its next award. */
    async withdrawAward(input: RepositoryInput<'withdrawAward'>) {
      return procurements.withdrawAward(input, currentExecution());
    },

    /**
     * R9.6 → R2.4 the contract is signed: the winner's qualification for the lot (route TENDER) with its scope,
     * trainees, the awarded price per person and the service period; the catalogue follows (R3.1).
     */
    async recordContract(input: { procurementId: string; lotNumber: number; bidId: string; actor: Actor }) {
      const granted = await procurements.recordContract(input, currentExecution());
      // The published catalogues follow (R3.1): the amendment debouncer takes the new qualification.
      await temporal.workflow.signalWithStart<CatalogueWorkflowFn, [CatalogueChange]>(WORKFLOW_TYPES.catalogue, {
        workflowId: amendmentWorkflowId(taskQueue),
        taskQueue,
        args: [{ kind: 'AMENDMENT', requestedBy: 'system' }],
        signal: catalogueChangedSignal,
        signalArgs: [
          {
            qualificationId: granted.qualificationId,
            status: 'ACTIVE',
            reason: `contract signed for procurement ${input.procurementId} lot ${input.lotNumber} (R2.4)`,
          },
        ],
      });
      return granted;
    },

    /** R9.6 (Regs 49) nobody is left to take the award: the lot fails and is run again. */
    async failLotWithoutWinner(input: RepositoryInput<'failLotWithoutWinner'>) {
      return procurements.failLotWithoutWinner(input, currentExecution());
    },

    /** R9.2 the officer's choice for a failed lot; a switch of method or a negotiation waits for approval. */
    async recordFailureDecision(input: RepositoryInput<'recordFailureDecision'>) {
      return procurements.recordFailureDecision(input, currentExecution());
    },

    async recordFailureApproval(input: RepositoryInput<'recordFailureApproval'>) {
      return procurements.recordFailureApproval(input, currentExecution());
    },

    /**
     * R9.2 a re-run is a new process linked to the failed one: the lot again, by the method chosen, on the
     * decision's schedule (a negotiation with two invites only the two responsive bidders). Its workflow
     * starts in draft for the officer to publish.
     */
    async startFollowUpProcess(input: { procurementId: string; newProcurementId: string; request: FailureDecisionRequest }) {
      const { method, regionCode } = await procurements.startFollowUpProcess(input, currentExecution());
      await temporal.workflow
        .start<ProcurementWorkflowFn>(WORKFLOW_TYPES.procurement, {
          workflowId: procurementWorkflowId(input.newProcurementId),
          taskQueue,
          args: [{ procurementId: input.newProcurementId, method, regionCode, lots: [1], createdBy: input.request.actor }],
        })
        .catch((err: unknown) => {
          if ((err as Error).name !== 'WorkflowExecutionAlreadyStartedError') throw err;
        });
      return input.newProcurementId;
    },

    /** R9.7 a challenge in time: kept, and the purchaser's task to answer it within 7 working days. */
    async recordChallenge(input: RepositoryInput<'recordChallenge'>) {
      return procurements.recordChallenge(input, currentExecution());
    },

    async recordChallengeAnswer(input: RepositoryInput<'recordChallengeAnswer'>) {
      return procurements.recordChallengeAnswer(input, currentExecution());
    },

    async recordComplaint(input: RepositoryInput<'recordComplaint'>) {
      return procurements.recordComplaint(input, currentExecution());
    },

    async recordComplaintDecision(input: RepositoryInput<'recordComplaintDecision'>) {
      return procurements.recordComplaintDecision(input, currentExecution());
    },

    /** R9.7 an inquiry, kept, and the officer's task to answer it within 3 working days. */
    async recordInquiry(input: RepositoryInput<'recordInquiry'>) {
      return procurements.recordInquiry(input, currentExecution());
    },

    /** R9.7 the answer reaches the inquirer; the task closes. Returns the task id. */
    async recordInquiryAnswer(input: RepositoryInput<'recordInquiryAnswer'>) {
      return procurements.recordInquiryAnswer(input, currentExecution());
    },

    /** R9.3 a round of revised quotations opens or closes; closing the final round fixes each valid bid's final price. */
    async recordQuotationRound(input: RepositoryInput<'recordQuotationRound'>) {
      return procurements.recordQuotationRound(input, currentExecution());
    },

    /** R9.3 a bidder's revised quotation in the open round (one per round; a retry keeps the first). */
    async recordQuotation(input: RepositoryInput<'recordQuotation'>) {
      return procurements.recordQuotation(input, currentExecution());
    },

    async closeProcurement(input: RepositoryInput<'closeProcurement'>) {
      return procurements.closeProcurement(input, currentExecution());
    },
  };
}
