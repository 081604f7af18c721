// Competitive selection (R2.2, R2.4, R9): the contract between the API, the worker and procurementWorkflow.
import { defineQuery, defineUpdate } from '@temporalio/workflow';
import type { Actor } from './common';

export const PROCUREMENT_CASE_TYPE = 'PROCUREMENT';

export function procurementWorkflowId(procurementId: string): string {
  return `procurement-${procurementId}`;
}

/** R9 the three methods: 公开招标, 竞争性谈判, 竞争性磋商. */
export const PROCUREMENT_METHODS = ['OPEN_TENDER', 'COMPETITIVE_NEGOTIATION', 'COMPETITIVE_CONSULTATION'] as const;
export type ProcurementMethod = (typeof PROCUREMENT_METHODS)[number];

export const PROCUREMENT_METHOD_ZH: Record<ProcurementMethod, string> = {
  OPEN_TENDER: '公开招标',
  COMPETITIVE_NEGOTIATION: '竞争性谈判',
  COMPETITIVE_CONSULTATION: '竞争性磋商',
};

/** A lot (包): one occupation and its levels, for so many trainees of a region, at a ceiling price per person. */
export interface LotSpec {
  /** the lot's number within the process, 1, 2, … */
  number: number;
  title: string;
  occupationCode: string;
  /** certificate levels the training leads to, '5' (初级) … '1' (高级技师) */
  levels: string[];
  trainees: number;
  regionCode: string;
  /** 最高限价: the most a bid may ask per person, fen */
  ceilingPricePerPersonFen: number;
  /** R2.4 service period in months: ≤ 12, or ≤ 36 with a reason */
  serviceMonths: number;
  serviceMonthsReason?: string;
}

/** An evaluation criterion other than price, with its weight (percent of the total score). */
export interface Criterion {
  key: string;
  name: string;
  weightPercent: number;
}

/**
 * The dates a process runs on (ISO instants). The documents are on offer from documentsFrom to documentsUntil;
 * bids or first responses are due at responseDeadline, when they open.
 */
export interface ProcurementSchedule {
  documentsFrom: string;
  documentsUntil: string;
  responseDeadline: string;
}

/** One rule a schedule breaks, and the date that would satisfy it (R9.1, R9.3, R9.4, R9.9). */
export interface ScheduleProblem {
  rule: string;
  field: keyof ProcurementSchedule | 'publishAt';
  problem: string;
  problemZh: string;
  /** the earliest valid value for the field */
  earliest: string;
}

export type ProcurementStatus = 'DRAFT' | 'PUBLISHED' | 'EVALUATION' | 'AWARDED' | 'CLOSED' | 'FAILED';

/** R9.2 what the officer does with a failed lot: the last two need the finance department's approval. */
export const FAILURE_CHOICES = ['RERUN', 'SWITCH_METHOD', 'NEGOTIATE_WITH_TWO'] as const;
export type FailureChoice = (typeof FAILURE_CHOICES)[number];

/** R9.7 what a challenge is about; each has its own start of the 7 working days. */
export const CHALLENGE_SUBJECTS = ['DOCUMENTS', 'STEP', 'RESULT'] as const;
export type ChallengeSubject = (typeof CHALLENGE_SUBJECTS)[number];

export interface ProcurementWorkflowInput {
  procurementId: string;
  method: ProcurementMethod;
  regionCode: string;
  /** the lots' numbers */
  lots: number[];
  createdBy: Actor;
}

/** One lot as the workflow follows it. */
export interface LotState {
  number: number;
  status: 'OPEN' | 'EVALUATING' | 'FAILED' | 'AWARDED' | 'CONTRACTED';
  /** R9.2 after a failure: what the officer chose, awaiting approval or done */
  failureChoice?: FailureChoice;
  failureChoiceApproved?: boolean;
  /** the process that re-runs it (RERUN, SWITCH_METHOD, NEGOTIATE_WITH_TWO) */
  followedById?: string;
  awardedBidId?: string;
  /** R9.6 candidates in rank order still able to take the award */
  candidates?: string[];
  awardNoticeAt?: string;
  /** R9.6/R9.7 the result announcement ends: the 7 working days for challenges to the result start */
  resultAnnouncementEndsAt?: string;
  contractDueAt?: string;
  qualificationId?: string;
}

export interface ProcurementState {
  procurementId: string;
  status: ProcurementStatus;
  method: ProcurementMethod;
  policyVersionIds: string[];
  publishedAt?: string;
  responseDeadline?: string;
  /** R9.1 the notice's announcement period ends */
  announcementEndsAt?: string;
  openedAt?: string;
  /** R9.6 report, choice, award announcement and result announcement deadlines */
  choiceDueAt?: string;
  resultAnnouncedAt?: string;
  resultAnnouncementEndsAt?: string;
  lots: LotState[];
  /** committee seats still to score */
  seatsToScore: number;
  openTaskIds: string[];
  /** R9.7 challenges not yet answered that may change the result: contract signing waits */
  challengesBlockingSigning: number;
  /** R9.7 the finance department suspended the process until */
  suspendedUntil?: string;
  clarifications: number;
  /** R9.3 a competitive negotiation's rounds of revised quotations */
  negotiation?: { round: number; roundOpen: boolean; final: boolean; closed: boolean };
  /** R9.7 inquiries not yet answered */
  inquiriesOpen: number;
}

export interface PublishRequest {
  actor: Actor;
}

/** R9.1/R9.3/R9.4 a clarification or change of the documents (澄清或者修改). */
export interface ClarificationRequest {
  actor: Actor;
  text: string;
  /** it may affect how responses are prepared: inside the lead time, the deadline moves */
  affectsResponses: boolean;
}

/** A bid came in sealed (the API stored the ciphertext): the workflow takes it if before the deadline. */
export interface BidRequest {
  actor: Actor;
  bidId: string;
  lotNumber: number;
  institutionId: string;
}

export interface BidWithdrawalRequest {
  actor: Actor;
  bidId: string;
  institutionId: string;
}

/** R9.1 a bidder confirms its bid after a clarification moved the deadline. */
export interface BidConfirmationRequest {
  actor: Actor;
  bidId: string;
  institutionId: string;
}

/** R9.5 a committee member's scores of every valid bid on each criterion, and the signature or a dissent. */
export interface ScoreRequest {
  actor: Actor;
  /** { [bidId]: { [criterionKey]: centipoints } } */
  scores: Record<string, Record<string, number>>;
  sign: boolean;
  dissent?: string;
}

/** R9.5 a member cannot sit: recused (回避) or absent (缺席); a new draw replaces them. */
export interface SeatReleaseRequest {
  actor: Actor;
  expertId: string;
  reason: 'RECUSED' | 'ABSENT';
  note: string;
}

/** R9.6 the purchaser confirms the winner of a lot in ranking order. */
export interface AwardChoiceRequest {
  actor: Actor;
  lotNumber: number;
  bidId: string;
}

/** R9.2 the officer's choice for a failed lot; a re-run's schedule comes with it. */
export interface FailureDecisionRequest {
  actor: Actor;
  lotNumber: number;
  choice: FailureChoice;
  reason: string;
  /** RERUN fixes the documents: the new process's method and schedule */
  method?: ProcurementMethod;
  schedule: ProcurementSchedule;
}

/** R9.2 the finance department approves or refuses a switch of method or a negotiation with two. */
export interface FailureApprovalRequest {
  actor: Actor;
  lotNumber: number;
  approve: boolean;
  reason: string;
}

/** R9.6 the winner signs the contract, or declines (the next-ranked candidate then takes it). */
export interface ContractRequest {
  actor: Actor;
  lotNumber: number;
  institutionId: string;
  sign: boolean;
  reason?: string;
}

export interface ChallengeRequest {
  actor: Actor;
  challengeId: string;
  institutionId: string;
  subject: ChallengeSubject;
  lotNumber?: number;
  text: string;
  /** STEP: when the step challenged ended */
  stepEndedAt?: string;
  /** DOCUMENTS: when the supplier received them (later than the announcement's end counts from receipt) */
  receivedAt?: string;
}

export interface ChallengeAnswerRequest {
  actor: Actor;
  challengeId: string;
  upheld: boolean;
  answer: string;
  /** an upheld challenge on the result: evaluate again, or give the award to the next-ranked */
  remedy?: 'REEVALUATE' | 'NEXT_RANKED';
}

export interface ComplaintRequest {
  actor: Actor;
  challengeId: string;
  institutionId: string;
  text: string;
}

export interface ComplaintDecisionRequest {
  actor: Actor;
  challengeId: string;
  upheld: boolean;
  decision: string;
  /** R9.7 suspend the process for this many days (≤ the policy's maximum) */
  suspendDays?: number;
  remedy?: 'REEVALUATE' | 'NEXT_RANKED';
}

/** R9.7 a supplier's inquiry (询问): the officer answers within 3 working days. */
export interface InquiryRequest {
  actor: Actor;
  inquiryId: string;
  institutionId: string;
  text: string;
}

export interface InquiryAnswerRequest {
  actor: Actor;
  inquiryId: string;
  answer: string;
}

/** R9.3 the negotiating panel opens a round of revised quotations; the final one decides. */
export interface RoundRequest {
  actor: Actor;
  final: boolean;
}

export interface QuotationRequest {
  actor: Actor;
  bidId: string;
  institutionId: string;
  pricePerPersonFen: number;
}

export interface ProcurementResult {
  procurementId: string;
  status: ProcurementStatus;
}

export const publishUpdate = defineUpdate<ProcurementState, [PublishRequest]>('procurement.publish');
export const clarifyUpdate = defineUpdate<ProcurementState, [ClarificationRequest]>('procurement.clarify');
export const bidUpdate = defineUpdate<ProcurementState, [BidRequest]>('procurement.bid');
export const withdrawBidUpdate = defineUpdate<ProcurementState, [BidWithdrawalRequest]>('procurement.withdrawBid');
export const confirmBidUpdate = defineUpdate<ProcurementState, [BidConfirmationRequest]>('procurement.confirmBid');
export const scoreUpdate = defineUpdate<ProcurementState, [ScoreRequest]>('procurement.score');
export const releaseSeatUpdate = defineUpdate<ProcurementState, [SeatReleaseRequest]>('procurement.releaseSeat');
export const chooseAwardUpdate = defineUpdate<ProcurementState, [AwardChoiceRequest]>('procurement.chooseAward');
export const decideFailureUpdate = defineUpdate<ProcurementState, [FailureDecisionRequest]>('procurement.decideFailure');
export const approveFailureUpdate = defineUpdate<ProcurementState, [FailureApprovalRequest]>('procurement.approveFailure');
export const contractUpdate = defineUpdate<ProcurementState, [ContractRequest]>('procurement.contract');
export const challengeUpdate = defineUpdate<ProcurementState, [ChallengeRequest]>('procurement.challenge');
export const answerChallengeUpdate = defineUpdate<ProcurementState, [ChallengeAnswerRequest]>('procurement.answerChallenge');
export const complaintUpdate = defineUpdate<ProcurementState, [ComplaintRequest]>('procurement.complain');
export const decideComplaintUpdate = defineUpdate<ProcurementState, [ComplaintDecisionRequest]>('procurement.decideComplaint');
export const inquireUpdate = defineUpdate<ProcurementState, [InquiryRequest]>('procurement.inquire');
export const answerInquiryUpdate = defineUpdate<ProcurementState, [InquiryAnswerRequest]>('procurement.answerInquiry');
export const openRoundUpdate = defineUpdate<ProcurementState, [RoundRequest]>('procurement.openRound');
export const closeRoundUpdate = defineUpdate<ProcurementState, [{ actor: Actor }]>('procurement.closeRound');
export const quoteUpdate = defineUpdate<ProcurementState, [QuotationRequest]>('procurement.quote');
export const procurementStateQuery = defineQuery<ProcurementState>('procurement.state');
