// The institution entity workflow (one per institution): keeps each qualification's lifecycle on durable
// timers — a reminder before expiry, expiry on the date — and takes suspension, reinstatement and
// revocation from later lifecycles (investigations, blacklisting, R7.4) as signals.
import { condition, continueAsNew, setHandler, workflowInfo } from '@temporalio/workflow';
import {
  institutionStateQuery,
  qualificationActionSignal,
  qualificationGrantedSignal,
  type InstitutionWorkflowInput,
  type QualificationAction,
  type QualificationStatus,
  type TrackedQualification,
} from './contracts/institution';
import { activities } from './workflow-kit';

const LIVE: QualificationStatus[] = ['ACTIVE', 'SUSPENDED'];

/** The status an action leads to, or null when it does not apply (e.g. reinstating an active one). */
export function statusAfterAction(current: QualificationStatus, action: QualificationAction['action']): QualificationStatus | null {
  if (!LIVE.includes(current)) return null; // revoked and expired are final
  if (action === 'SUSPEND') return current === 'ACTIVE' ? 'SUSPENDED' : null;
  if (action === 'REINSTATE') return current === 'SUSPENDED' ? 'ACTIVE' : null;
  return 'REVOKED';
}

export async function institutionWorkflow(input: InstitutionWorkflowInput): Promise<void> {
  const tracked = new Map<string, TrackedQualification>((input.qualifications ?? []).map((q) => [q.qualificationId, q]));
  const actions: QualificationAction[] = [];
  let changed = false;

  setHandler(institutionStateQuery, () => [...tracked.values()]);
  setHandler(qualificationGrantedSignal, (g) => {
    if (!tracked.has(g.qualificationId)) {
      tracked.set(g.qualificationId, { ...g, status: 'ACTIVE', reminded: false });
      changed = true;
    }
  });
  setHandler(qualificationActionSignal, (a) => {
    actions.push(a);
    changed = true;
  });

  for (;;) {
    // Actions from other lifecycles, in the order they arrived.
    while (actions.length > 0) {
      const a = actions.shift()!;
      const targets = [...tracked.values()].filter((q) => !a.qualificationId || q.qualificationId === a.qualificationId);
      for (const q of targets) {
        const next = statusAfterAction(q.status, a.action);
        if (!next) continue;
        q.status = next;
        await activities.setQualificationStatus({
          qualificationId: q.qualificationId,
          status: next,
          reason: a.reason,
          actorId: a.actorId,
          actionId: a.actionId,
        });
      }
    }

    // Timers that have come due.
    const now = Date.now();
    for (const q of tracked.values()) {
      if (!LIVE.includes(q.status)) continue;
      if (Date.parse(q.validTo) <= now) {
        q.status = 'EXPIRED';
        await activities.setQualificationStatus({
          qualificationId: q.qualificationId,
          status: 'EXPIRED',
          reason: 'validity period ended',
          actorId: 'system',
          actionId: 'expired',
        });
      } else if (!q.reminded && Date.parse(q.reminderAt) <= now) {
        q.reminded = true;
        await activities.remindQualificationExpiry({ qualificationId: q.qualificationId });
      }
    }

    // Final qualifications need no more watching.
    for (const [id, q] of tracked) if (!LIVE.includes(q.status)) tracked.delete(id);

    if (workflowInfo().continueAsNewSuggested && actions.length === 0) {
      await continueAsNew<typeof institutionWorkflow>({ ...input, qualifications: [...tracked.values()] });
    }

    const next = nextDue([...tracked.values()]);
    changed = false;
    if (next === undefined) await condition(() => changed);
    else await condition(() => changed, Math.max(1, next - Date.now()));
  }
}

function nextDue(qs: TrackedQualification[]): number | undefined {
  const times = qs.flatMap((q) => [Date.parse(q.validTo), ...(q.reminded ? [] : [Date.parse(q.reminderAt)])]);
  return times.length ? Math.min(...times) : undefined;
}
