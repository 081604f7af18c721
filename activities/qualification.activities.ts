// Qualifications (R2.3): created by an approved filing (or, later, a procurement award), then kept by the
// institution's entity workflow: reminder, expiry, suspension, revocation.
import type { Client } from '@temporalio/client';
import type { Db, Prisma } from '../prisma/client';
import type { Actor } from '../workflows/contracts/common';
import { WORKFLOW_TYPES } from '../workflows/contracts/common';
import type { InstitutionWorkflowInput, QualificationGranted } from '../workflows/contracts/institution';
import type { CatalogueChange } from '../workflows/contracts/catalogue';
import { amendmentWorkflowId, catalogueChangedSignal, type CatalogueWorkflowInput } from '../workflows/contracts/catalogue';
import { institutionWorkflowId, qualificationGrantedSignal, type QualificationStatus } from '../workflows/contracts/institution';
import type { ScopeItem } from '../workflows/domain/scope';
import { appendAudit, notify } from '../repositories/audit.repository';
import { currentExecution } from './audit';
import { RecordNotFoundError } from '../repositories/errors';

export const QUALIFICATION_CASE_TYPE = 'QUALIFICATION';

// The workflows' signatures from their contracts (activities never import workflow modules, even as types).
type InstitutionWorkflowFn = (input: InstitutionWorkflowInput) => Promise<void>;
type CatalogueWorkflowFn = (input: CatalogueWorkflowInput) => Promise<unknown>;

export function createQualificationActivities(db: Db, temporal: Client, taskQueue: string) {
  return {
    /** Creates the qualification of an approved filing; a retry finds the one already made. */
    async grantFilingQualification(input: {
      filingId: string;
      scope: ScopeItem[];
      validFrom: string;
      validTo: string;
      actor: Actor;
    }): Promise<{ qualificationId: string; institutionId: string; creditCode: string }> {
      const { workflowId, runId } = currentExecution();
      const filing = await db.filing.findUnique({ where: { id: input.filingId } });
      if (!filing) throw new RecordNotFoundError('Filing', input.filingId);
      const qualification = await db.$transaction(async (tx) => {
        const q = await tx.qualification.upsert({
          where: { route_sourceId: { route: 'FILING', sourceId: filing.id } },
          update: {},
          create: {
            institutionId: filing.institutionId,
            route: 'FILING',
            sourceId: filing.id,
            regionCode: filing.regionCode,
            scope: input.scope as unknown as Prisma.InputJsonValue,
            validFrom: new Date(input.validFrom),
            validTo: new Date(input.validTo),
          },
        });
        await tx.filing.update({ where: { id: filing.id }, data: { qualificationId: q.id } });
        await appendAudit(tx, {
          dedupeKey: `qualification:${q.id}:granted`,
          actor: input.actor,
          action: 'QUALIFICATION_GRANTED',
          caseType: QUALIFICATION_CASE_TYPE,
          caseId: q.id,
          workflowId,
          runId,
          details: { route: 'FILING', filingId: filing.id, validFrom: input.validFrom, validTo: input.validTo },
        });
        return q;
      });
      return { qualificationId: qualification.id, institutionId: filing.institutionId, creditCode: filing.creditCode };
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
      const { workflowId, runId } = currentExecution();
      await db.$transaction(async (tx) => {
        const q = await tx.qualification.findUnique({ where: { id: input.qualificationId } });
        if (!q) throw new RecordNotFoundError('Qualification', input.qualificationId);
        await tx.qualification.update({
          where: { id: q.id },
          data: {
            status: input.status,
            statusReason: input.reason,
            suspendedAt: input.status === 'SUSPENDED' ? (q.suspendedAt ?? new Date()) : input.status === 'ACTIVE' ? null : q.suspendedAt,
          },
        });
        await appendAudit(tx, {
          dedupeKey: `qualification:${q.id}:${input.actionId}`,
          actor: { userId: input.actorId, roles: [], regionCode: q.regionCode },
          action: `QUALIFICATION_${input.status}`,
          caseType: QUALIFICATION_CASE_TYPE,
          caseId: q.id,
          workflowId,
          runId,
          reason: input.reason,
          details: { from: q.status, to: input.status },
        });
      });
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
      const q = await db.qualification.findUnique({ where: { id: input.qualificationId } });
      if (!q) throw new RecordNotFoundError('Qualification', input.qualificationId);
      const validTo = q.validTo.toISOString();
      await db.$transaction(async (tx) => {
        await notify(tx, {
          dedupeKey: `qualification:${q.id}:expiry-reminder`,
          institutionId: q.institutionId,
          kind: 'QUALIFICATION_EXPIRY_REMINDER',
          caseType: QUALIFICATION_CASE_TYPE,
          caseId: q.id,
          message: `Your training qualification expires at ${validTo}; file again in time to keep delivering subsidised training.`,
          messageZh: `您的培训资质将于 ${validTo} 到期，请及时重新申请备案。`,
        });
        await tx.qualification.update({ where: { id: q.id }, data: { reminderSentAt: new Date() } });
      });
    },
  };
}
