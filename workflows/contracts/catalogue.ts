// Catalogues (目录清单管理, R3.1): the contract between the API, the worker and catalogueWorkflow.
import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type { Actor } from './common';

export const CATALOGUE_CASE_TYPE = 'CATALOGUE';
/** Where catalogue reviews land: the province's reviewers publish the province's catalogue. */
export const CATALOGUE_REGION = '140000';
export const CATALOGUE_SCHEDULE_ID = 'catalogue-annual';

/** One annual compilation per year at a time: a second start for the year collides (409). */
export function annualCatalogueWorkflowId(year: number): string {
  return `catalogue-${year}`;
}

/**
 * The amendment debouncer (目录调整). One per task queue: production has one queue, so one debouncer; tests run
 * a worker per file on its own queue, and a debouncer must never wait on a queue whose worker has gone.
 */
export function amendmentWorkflowId(taskQueue: string): string {
  return `catalogue-amendments-${taskQueue}`;
}

export type CatalogueKind = 'ANNUAL' | 'AMENDMENT';

export interface CatalogueWorkflowInput {
  kind: CatalogueKind;
  /** the year the catalogue governs; omitted by the Schedule: the year after the run's date */
  year?: number;
  requestedBy: string;
  /** AMENDMENT: changes carried over by continue-as-new */
  pendingChanges?: CatalogueChange[];
}

/** Why an amendment is due: a qualification was revoked, expired, suspended … (sent by setQualificationStatus). */
export interface CatalogueChange {
  qualificationId: string;
  status: string;
  reason: string;
}

export interface CatalogueDecisionRequest {
  taskId: string;
  actor: Actor;
  outcome: 'APPROVE' | 'REJECT';
  reason?: string;
}

export interface CatalogueDecisionResult {
  versionId: string;
  status: 'PUBLISHED' | 'REJECTED';
  number?: number;
  effectiveFrom?: string;
}

export interface CatalogueState {
  kind: CatalogueKind;
  year?: number;
  status: 'COMPILING' | 'UNDER_REVIEW' | 'PUBLISHED' | 'REJECTED' | 'WAITING' | 'DONE';
  versionId?: string;
  openTaskId?: string;
  /** numbers published by this run */
  published: number[];
}

export const catalogueDecisionUpdate = defineUpdate<CatalogueDecisionResult, [CatalogueDecisionRequest]>('catalogue.decide');
export const catalogueChangedSignal = defineSignal<[CatalogueChange]>('catalogue.changed');
export const catalogueStateQuery = defineQuery<CatalogueState>('catalogue.state');
