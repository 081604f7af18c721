// Institution filing (审核备案, R2.1): the contract between the API, the worker and filingWorkflow.
import { defineQuery, defineUpdate } from '@temporalio/workflow';
import type { ScopeItem } from '../domain/scope';
import type { Actor } from './common';

export const FILING_CASE_TYPE = 'FILING';

/** One workflow per application: a second open application of the same institution collides. */
export function filingWorkflowId(creditCode: string, sequence: number): string {
  return `filing-${creditCode}-${sequence}`;
}

/** Institution types that may file (R2.1); other institutions qualify through procurement (R2.2). */
export const FILING_INSTITUTION_TYPES = ['ENTERPRISE', 'VOCATIONAL_COLLEGE', 'GOVERNMENT_CENTRE'] as const;
export type FilingInstitutionType = (typeof FILING_INSTITUTION_TYPES)[number];

/** The application as the institution submitted it (stored in PostgreSQL as a FilingRevision). */
export interface FilingApplication {
  institutionName: string;
  institutionType: FilingInstitutionType;
  creditCode: string; // 统一社会信用代码
  regionCode: string;
  contact: { name: string; phone: string; email?: string };
  scope: ScopeItem[]; // requested occupations and levels (R2.3)
  capacity: number; // trainees at a time
  teachers: { count: number; summary: string };
  facilities: string;
}

export interface FilingWorkflowInput {
  filingId: string;
  institutionId: string;
  creditCode: string;
  regionCode: string;
  submittedBy: Actor;
}

export type FilingStatus = 'SUBMITTED' | 'UNDER_REVIEW' | 'RETURNED' | 'APPROVED' | 'REJECTED' | 'WITHDRAWN';

export type FilingDecision =
  | { outcome: 'APPROVE'; grantedScope: ScopeItem[]; note?: string }
  | { outcome: 'REJECT'; reason: string }
  | { outcome: 'RETURN'; reason: string; amendmentDueAt?: string };

export interface FilingDecisionRequest {
  taskId: string;
  actor: Actor;
  decision: FilingDecision;
}

export interface FilingDecisionResult {
  filingId: string;
  status: FilingStatus;
  qualificationId?: string;
  amendmentDueAt?: string;
}

export interface FilingResubmissionRequest {
  actor: Actor;
  application: FilingApplication;
}

export interface FilingResubmissionResult {
  filingId: string;
  revision: number;
  status: FilingStatus;
}

export interface FilingOpenTask {
  taskId: string;
  role: string;
  dueAt: string;
  escalated: boolean;
}

/** What the workflow knows right now (the database holds the full record). */
export interface FilingState {
  filingId: string;
  status: FilingStatus;
  revision: number;
  policyVersionIds: string[];
  openTasks: FilingOpenTask[];
  reviewDueAt?: string;
  amendmentDueAt?: string;
  qualificationId?: string;
}

export const filingDecisionUpdate = defineUpdate<FilingDecisionResult, [FilingDecisionRequest]>('filing.decide');
export const filingResubmitUpdate = defineUpdate<FilingResubmissionResult, [FilingResubmissionRequest]>('filing.resubmit');
export const filingStateQuery = defineQuery<FilingState>('filing.state');
