// The institution entity workflow: one per institution, keeping its qualifications' lifecycles
// (reminder before expiry, expiry, suspension, revocation) for as long as the institution exists.
import { defineQuery, defineSignal } from '@temporalio/workflow';

export function institutionWorkflowId(creditCode: string): string {
  return `institution-${creditCode}`;
}

export interface InstitutionWorkflowInput {
  institutionId: string;
  creditCode: string;
  /** Carried over by continue-as-new. */
  qualifications?: TrackedQualification[];
}

export type QualificationStatus = 'ACTIVE' | 'SUSPENDED' | 'REVOKED' | 'EXPIRED';

export interface TrackedQualification {
  qualificationId: string;
  status: QualificationStatus;
  validTo: string;
  reminderAt: string;
  reminded: boolean;
}

export interface QualificationGranted {
  qualificationId: string;
  validTo: string;
  reminderAt: string;
}

/**
 * Sent by later lifecycles: an investigation suspends (and reinstates), a blacklisting revokes (R7.4).
 * Without a qualificationId the action applies to every qualification of the institution.
 */
export interface QualificationAction {
  action: 'SUSPEND' | 'REINSTATE' | 'REVOKE';
  qualificationId?: string;
  reason: string;
  actorId: string;
  /** Business id of the action, so a repeated signal is applied once. */
  actionId: string;
}

export const qualificationGrantedSignal = defineSignal<[QualificationGranted]>('institution.qualificationGranted');
export const qualificationActionSignal = defineSignal<[QualificationAction]>('institution.qualificationAction');
export const institutionStateQuery = defineQuery<TrackedQualification[]>('institution.state');
