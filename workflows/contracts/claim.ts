// Subsidy claims (R4–R7, R10): the contract between the API, the worker and claimWorkflow.
import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type { Actor } from './common';

export const CLAIM_CASE_TYPE = 'CLAIM';

export function claimWorkflowId(claimId: string): string {
  return `claim-${claimId}`;
}

export const SUBSIDY_CATEGORIES = ['ENTERPRISE_EMPLOYEE', 'WORKER', 'POOR_LABOURER', 'CERTIFICATE'] as const;
export type SubsidyCategory = (typeof SUBSIDY_CATEGORIES)[number];

/** 告知承诺: the exact text the claimant agreed to, who signed, when (R6.2). */
export interface Commitment {
  text: string;
  signedBy: string;
  signedAt: string;
}

export interface ClaimWorkflowInput {
  claimId: string;
  classId: string;
  institutionId: string;
  regionCode: string;
  category: SubsidyCategory;
  withCommitment: boolean;
  submittedBy: Actor;
}

export type ClaimStatus = 'CHECKING' | 'UNDER_REVIEW' | 'POSTED' | 'HELD' | 'AWAITING_FUNDS' | 'PAID' | 'REJECTED';

/** A reviewer's decision on the lines of a claim: every line named must be open for decision. */
export interface ClaimLineDecision {
  lineId: string;
  approve: boolean;
  reason?: string;
  /** R10.1 override: where the attendance evidence is (sign-in sheets, video…) */
  evidence?: string;
  /** R4.2 with no catalogue standard: the amount per person the reviewer sets (≤ the cap), with its basis in `reason` */
  amountFen?: number;
}

export interface ClaimDecisionRequest {
  taskId: string;
  actor: Actor;
  lines: ClaimLineDecision[];
}

/** Resolving an objection raised during posting (R10.2): uphold removes the named lines from payment. */
export interface ObjectionResolutionRequest {
  taskId: string;
  actor: Actor;
  outcome: 'DISMISS' | 'UPHOLD';
  reason: string;
  /** with UPHOLD: the lines the objection is right about */
  lineIds?: string[];
}

/** A post-audit inspection's finding (R6.2, R10.3). */
export interface InspectionReportRequest {
  taskId: string;
  actor: Actor;
  outcome: 'CONFIRMED' | 'COMMITMENT_FALSE';
  findings: string;
}

/** R10.3 the lead inspector names a team when none could be drawn (the pools were too small). */
export interface InspectionTeamRequest {
  taskId: string;
  actor: Actor;
  inspectors: string[];
}

export interface ClaimState {
  claimId: string;
  status: ClaimStatus;
  policyVersionIds: string[];
  openTaskIds: string[];
  approvedFen: number;
  paidFen: number;
  postingEndsAt?: string;
  auditTaskId?: string;
  /** R10.2 objections received, each answered on its own (including late ones) */
  objectionsFiled?: number;
  /** R10.2 objections still awaiting a reviewer's answer */
  objectionsOpen?: number;
}

export interface ClaimDecisionResult {
  claimId: string;
  status: ClaimStatus;
  approvedFen: number;
}

export const claimDecisionUpdate = defineUpdate<ClaimDecisionResult, [ClaimDecisionRequest]>('claim.decide');
export const objectionResolutionUpdate = defineUpdate<ClaimDecisionResult, [ObjectionResolutionRequest]>('claim.resolveObjection');
export const inspectionReportUpdate = defineUpdate<ClaimDecisionResult, [InspectionReportRequest]>('claim.reportInspection');
export const inspectionTeamUpdate = defineUpdate<ClaimDecisionResult, [InspectionTeamRequest]>('claim.assignInspectionTeam');
/**
 * An objection was filed during posting (R10.2): the claim is held. `lineIds` are the posted lines it names
 * (none: the whole claim); one that reaches the workflow after the posting period is answered as late.
 */
export const objectionFiledSignal = defineSignal<[{ objectionId: string; lineIds?: string[] }]>('claim.objectionFiled');
/** Finance allocated money to the fund the claim waits on. */
export const fundsAllocatedSignal = defineSignal('claim.fundsAllocated');
export const claimStateQuery = defineQuery<ClaimState>('claim.state');
