// The audit repository: the append-only audit trail, notifications and the closing of human tasks, written inside
// the caller's transaction. Every write is keyed by a business id, so a retried activity records once.
import type { Prisma } from '../prisma/client';
import type { Actor } from '../workflows/contracts/common';

export interface AuditEntry {
  dedupeKey: string;
  actor: Actor;
  action: string;
  caseType: string;
  caseId: string;
  workflowId?: string;
  runId?: string;
  reason?: string;
  details?: Prisma.InputJsonValue;
}

export async function appendAudit(tx: Prisma.TransactionClient, entry: AuditEntry): Promise<void> {
  await tx.auditEvent.createMany({
    data: [
      {
        dedupeKey: entry.dedupeKey,
        actorId: entry.actor.userId,
        actorRoles: entry.actor.roles,
        action: entry.action,
        caseType: entry.caseType,
        caseId: entry.caseId,
        workflowId: entry.workflowId,
        runId: entry.runId,
        reason: entry.reason,
        details: entry.details,
      },
    ],
    skipDuplicates: true,
  });
}

export async function notify(
  tx: Prisma.TransactionClient,
  n: { dedupeKey: string; institutionId?: string; kind: string; caseType: string; caseId: string; message: string; messageZh: string },
): Promise<void> {
  await tx.notification.createMany({ data: [n], skipDuplicates: true });
}

/**
 * Closes a human task as `actor` decided it, with what was decided. Only an OPEN task changes, so a retried
 * activity leaves the first completion as it was.
 */
export async function completeTask(
  tx: Prisma.TransactionClient,
  taskId: string,
  actor: Actor,
  outcome: Prisma.InputJsonValue,
  at = new Date(),
): Promise<void> {
  await tx.humanTask.updateMany({
    where: { id: taskId, status: 'OPEN' },
    data: { status: 'COMPLETED', completedAt: at, completedBy: actor.userId, outcome },
  });
}

/** The workflow run a write works for, recorded with its audit entries (an activity passes its own). */
export interface WorkflowExecution {
  workflowId: string;
  runId: string;
}
