// Qualifications (R2.3): created by an approved filing (or, later, a procurement award), then kept by the
// institution's entity workflow: reminder, expiry, suspension, revocation. The queries are the qualification
// repository's; these activities add the workflow execution and the Temporal signals.
import type { Client } from '@temporalio/client';
import type { QualificationRepository } from '../repositories/qualification.repository';
import type { Actor } from '../workflows/contracts/common';
import { WORKFLOW_TYPES } from '../workflows/contracts/common';
import type { InstitutionWorkflowInput, QualificationGranted } from '../workflows/contracts/institution';
import type { CatalogueChange } from '../workflows/contracts/catalogue';
import { amendmentWorkflowId, catalogueChangedSignal, type CatalogueWorkflowInput } from '../workflows/contracts/catalogue';
import { institutionWorkflowId, qualificationGrantedSignal, type QualificationStatus } from '../workflows/contracts/institution';
import type { ScopeItem } from '../workflows/domain/scope';
import { currentExecution } from './audit';

// The workflows' signatures from their contracts (activities never import workflow modules, even as types).
type InstitutionWorkflowFn = (input: InstitutionWorkflowInput) => Promise<void>;
type CatalogueWorkflowFn = (input: CatalogueWorkflowInput) => Promise<unknown>;

export function createQualificationActivities(qualifications: QualificationRepository, temporal: Client, taskQueue: string) {
  return {
    /** Creates the qualification of an approved filing; a retry finds the one already made. */
    async grantFilingQualification(input: {
      filingId: string;
      scope: ScopeItem[];
      validFrom: string;
      validTo: string;
      actor: Actor;
    }): Promise<{ qualificationId: string; institutionId: string; creditCode: string }> {
      return qualifications.grantFilingQualification(input, currentExecution());
    },

    /** Hands the qualification to the institution's entity workflow, starting it if needed. */
    async trackQualification(input: {
      institutionId: string;
      creditCode: string;
      qualificationId: string;
      validTo: string;
      reminderAt: string;
    }): Promise<void> {
      await temporal.workflow.signalWithStart<InstitutionWorkflowFn, [QualificationGranted]>(WORKFLOW_TYPES.institution, {
        workflowId: institutionWorkflowId(input.creditCode),
        taskQueue,
        args: [{ institutionId: input.institutionId, creditCode: input.creditCode }],
        signal: qualificationGrantedSignal,
        signalArgs: [{ qualificationId: input.qualificationId, validTo: input.validTo, reminderAt: input.reminderAt }],
      });
    },

    /** Moves a qualification to a new status, once per business action id. */
    async setQualificationStatus(input: {
      qualificationId: string;
      status: QualificationStatus;
      reason: string;
      actorId: string;
      actionId: string;
    }): Promise<void> {
      await qualifications.setQualificationStatus(input, currentExecution());
      // The published catalogues must follow (R3.1): the amendment debouncer collects this change with any others
      // arriving shortly after and publishes one amendment. A retried activity signals again, which is harmless.
      const amendment: CatalogueWorkflowInput = { kind: 'AMENDMENT', requestedBy: 'system' };
      await temporal.workflow.signalWithStart<CatalogueWorkflowFn, [CatalogueChange]>(WORKFLOW_TYPES.catalogue, {
        workflowId: amendmentWorkflowId(taskQueue),
        taskQueue,
        args: [amendment],
        signal: catalogueChangedSignal,
        signalArgs: [{ qualificationId: input.qualificationId, status: input.status, reason: input.reason }],
      });
    },

    /** Reminds the institution that a qualification expires soon (once). */
    async remindQualificationExpiry(input: { qualificationId: string }): Promise<void> {
      return qualifications.remindQualificationExpiry(input);
    },
  };
}
