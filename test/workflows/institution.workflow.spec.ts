// institutionWorkflow on its own (issue 8.4): a qualification's reminder and expiry on durable timers, and
// suspension, reinstatement and revocation (R7.4) from other lifecycles, with stub activities.
import { WORKFLOW_TYPES } from '../../workflows/contracts/common';
import {
  institutionStateQuery,
  qualificationActionSignal,
  qualificationGrantedSignal,
  type TrackedQualification,
} from '../../workflows/contracts/institution';
import type { institutionWorkflow } from '../../workflows/institution.workflow';
import { startStubWorld, pollUntil, wid, type StubWorld } from './stub-worker';

let w: StubWorld;
beforeAll(async () => {
  w = await startStubWorld({});
});
afterAll(() => w?.stop());

async function open() {
  const workflowId = wid('institution');
  const handle = await w.env.client.workflow.start<typeof institutionWorkflow>(WORKFLOW_TYPES.institution, {
    taskQueue: w.taskQueue,
    workflowId,
    args: [{ institutionId: 'i1', creditCode: workflowId }],
  });
  const tracked = (ok: (q: TrackedQualification[]) => boolean, what: string) =>
    pollUntil(() => handle.query(institutionStateQuery), ok, what);
  return { workflowId, handle, tracked };
}
const inSeconds = (s: number) => new Date(Date.now() + s * 1000).toISOString();
const statuses = (workflowId: string) =>
  w.callsOf(workflowId, 'setQualificationStatus').map((c) => `${c.input.qualificationId}:${c.input.status}`);

describe('institutionWorkflow with stub activities', () => {
  it('reminds before expiry, then expires the qualification on its date and stops watching it', async () => {
    const i = await open();
    await i.handle.signal(qualificationGrantedSignal, { qualificationId: 'q1', reminderAt: inSeconds(1), validTo: inSeconds(3) });
    await pollUntil(
      async () => w.callsOf(i.workflowId, 'remindQualificationExpiry'),
      (c) => c.length > 0,
      'the reminder',
    );
    expect(statuses(i.workflowId)).toEqual([]); // reminded, not yet expired
    await pollUntil(
      async () => statuses(i.workflowId),
      (s) => s.length > 0,
      'the expiry',
    );
    expect(statuses(i.workflowId)).toEqual(['q1:EXPIRED']);
    expect(w.callsOf(i.workflowId, 'remindQualificationExpiry').map((c) => c.input.qualificationId)).toEqual(['q1']);
    await i.tracked((q) => q.length === 0, 'expired qualification dropped');
    await i.handle.terminate('test done');
  });

  it('R7.4 suspend, reinstate, revoke: each applies once, in order; actions that do not apply are ignored', async () => {
    const i = await open();
    await i.handle.signal(qualificationGrantedSignal, { qualificationId: 'q1', reminderAt: inSeconds(600), validTo: inSeconds(1200) });
    const act = (action: 'SUSPEND' | 'REINSTATE' | 'REVOKE', actionId: string) =>
      i.handle.signal(qualificationActionSignal, { action, reason: `test ${action}`, actorId: 'inspector-1', actionId });
    await act('REINSTATE', 'a0'); // an active qualification is not reinstated
    await act('SUSPEND', 'a1');
    await i.tracked((q) => q[0]?.status === 'SUSPENDED', 'suspended');
    await act('SUSPEND', 'a2'); // already suspended
    await act('REINSTATE', 'a3');
    await i.tracked((q) => q[0]?.status === 'ACTIVE', 'reinstated');
    await act('REVOKE', 'a4');
    await i.tracked((q) => q.length === 0, 'revoked and dropped');
    await act('REINSTATE', 'a5'); // revoked is final
    await pollUntil(
      async () => statuses(i.workflowId),
      (s) => s.length >= 3,
      'the three changes',
    );
    expect(statuses(i.workflowId)).toEqual(['q1:SUSPENDED', 'q1:ACTIVE', 'q1:REVOKED']);
    expect(w.callsOf(i.workflowId, 'setQualificationStatus').map((c) => c.input.actionId)).toEqual(['a1', 'a3', 'a4']);
    expect(w.callsOf(i.workflowId, 'remindQualificationExpiry')).toEqual([]);
    await i.handle.terminate('test done');
  });
});
