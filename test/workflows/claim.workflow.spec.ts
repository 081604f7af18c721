// claimWorkflow on its own (R6.2, R10.1–R10.3, R7.1; issue 8.4): the fast path and full review, a refused
// Update, posting with an objection, funds short then allocated, post-audit sampled or not — stub activities,
// periods in seconds.
import type { Actor } from '../../workflows/contracts/common';
import { WORKFLOW_TYPES } from '../../workflows/contracts/common';
import {
  claimDecisionUpdate,
  claimStateQuery,
  fundsAllocatedSignal,
  inspectionReportUpdate,
  objectionFiledSignal,
  objectionResolutionUpdate,
  type ClaimState,
  type ClaimWorkflowInput,
} from '../../workflows/contracts/claim';
import { TASK_KINDS } from '../../workflows/contracts/tasks';
import type { claimWorkflow } from '../../workflows/claim.workflow';
import { commonStubs, refusal, shortPolicy, startStubWorld, pollUntil, wid, type Stubs, type StubWorld } from './stub-worker';

const reviewer: Actor = { userId: 'rev-1', roles: ['reviewer'], regionCode: '140100' };
const inspector = (userId: string): Actor => ({ userId, roles: ['inspector'], regionCode: '140100' });
const institution: Actor = { userId: 'inst-1', roles: ['institution'], regionCode: '140100', institutionId: 'i1' };
const paid = { status: 'PAID' as const, transactionId: 'tx', fundBalanceFen: 1_000_000 };
const notSampled = { sampled: false } as any;

let w: StubWorld;
beforeAll(async () => {
  w = await startStubWorld({
    ...commonStubs(shortPolicy({ reviewSeconds: 600, postingSeconds: 2, recheckSeconds: 600 })),
    recordClaimOpened: () => ({ regime: 'COMMITMENT' }),
    checkClaim: () => ({ passed: ['l1', 'l2'], flagged: [] }),
    autoApproveLines: (i) => i.lineIds.length * 30_000,
    openClaimTask: (i) => i.taskId,
    openObjectionTask: (i) => i.taskId,
    payClaim: () => paid,
    drawPostAudit: () => notSampled,
  });
});
afterAll(() => w?.stop());

async function open(withCommitment: boolean, stubs: Stubs = {}) {
  const workflowId = wid('claim');
  w.stub(workflowId, stubs);
  const input: ClaimWorkflowInput = {
    claimId: workflowId,
    classId: 'c1',
    institutionId: 'i1',
    regionCode: '140100',
    category: 'WORKER',
    withCommitment,
    submittedBy: institution,
  };
  const handle = await w.env.client.workflow.start<typeof claimWorkflow>(WORKFLOW_TYPES.claim, {
    taskQueue: w.taskQueue,
    workflowId,
    args: [input],
  });
  const state = (ok: (s: ClaimState) => boolean, what: string) => pollUntil(() => handle.query(claimStateQuery), ok, what);
  const statuses = () => w.callsOf(workflowId, 'setClaimStatus').map((c) => c.input.status);
  const tasks = (kind?: string) => w.callsOf(workflowId, 'openClaimTask').filter((c) => !kind || c.input.kind === kind);
  return { workflowId, handle, state, statuses, tasks };
}

describe('claimWorkflow with stub activities', () => {
  it('R6.2 fast path: a signed commitment claim is approved automatically, posted (R10.2), paid; not sampled', async () => {
    const c = await open(true);
    expect(await c.handle.result()).toMatchObject({ status: 'PAID', approvedFen: 60_000, paidFen: 60_000 });
    expect(c.statuses()).toEqual(['POSTED', 'PAID']);
    expect(c.tasks()).toEqual([]); // no reviewer, and no inspection
    expect(w.callsOf(c.workflowId, 'autoApproveLines').map((x) => x.input.lineIds)).toEqual([['l1', 'l2']]);
    expect(w.callsOf(c.workflowId, 'drawPostAudit').map((x) => x.input.withCommitment)).toEqual([true]);
  });

  it('R6.2 full review: a reviewer decides every line; an invalid decision is refused by the validator and records nothing', async () => {
    const c = await open(false, {
      checkClaim: () => ({ passed: ['l1'], flagged: [{ lineId: 'l2', rules: ['R5.1'] }] }),
      decideClaimLines: (i) => ({ approvedFen: i.decisions.filter((d) => d.approve).length * 30_000, refused: [] }),
    });
    const review = await c.state((s) => s.status === 'UNDER_REVIEW' && s.openTaskIds.length === 1, 'the review task');
    // The state names the task before its activity has run: wait for the call itself.
    const opened = await pollUntil(
      async () => c.tasks(TASK_KINDS.claimReview),
      (t) => t.length === 1,
      'the review task opened',
    );
    expect(opened.map((x) => x.input.taskId)).toEqual(review.openTaskIds);
    expect(w.callsOf(c.workflowId, 'autoApproveLines')).toEqual([]);
    const taskId = review.openTaskIds[0];
    // R5.1 is binding: approving the flagged line is refused.
    const refused = await refusal(
      c.handle.executeUpdate(claimDecisionUpdate, {
        args: [
          {
            taskId,
            actor: reviewer,
            lines: [
              { lineId: 'l1', approve: true },
              { lineId: 'l2', approve: true },
            ],
          },
        ],
      }),
    );
    expect(refused.type).toBe('INVALID_DECISION');
    expect(
      (await refusal(c.handle.executeUpdate(claimDecisionUpdate, { args: [{ taskId: 'other', actor: reviewer, lines: [] }] }))).type,
    ).toBe('TASK_NOT_OPEN');
    expect(w.callsOf(c.workflowId, 'decideClaimLines')).toEqual([]);
    const decided = await c.handle.executeUpdate(claimDecisionUpdate, {
      args: [
        {
          taskId,
          actor: reviewer,
          lines: [
            { lineId: 'l1', approve: true },
            { lineId: 'l2', approve: false, reason: '超过年度培训次数' },
          ],
        },
      ],
    });
    expect(decided.approvedFen).toBe(30_000);
    expect(await c.handle.result()).toMatchObject({ status: 'PAID', approvedFen: 30_000, paidFen: 30_000 });
    expect(c.statuses()).toEqual(['UNDER_REVIEW', 'POSTED', 'PAID']);
    expect(w.callsOf(c.workflowId, 'drawPostAudit').map((x) => x.input.withCommitment)).toEqual([false]);
  });

  it('R10.2 posting with an objection: the unnamed line is paid at once, the named one after the answer', async () => {
    const c = await open(true, {
      ...commonStubs(shortPolicy({ reviewSeconds: 600, postingSeconds: 4, recheckSeconds: 600 })),
      payableFen: () => 30_000,
      resolveObjection: () => 60_000, // dismissed: both lines stay approved
    });
    await c.state((s) => s.status === 'POSTED', 'the posting');
    await c.handle.signal(objectionFiledSignal, { objectionId: 'o1', lineIds: ['l2'] });
    const held = await c.state((s) => s.status === 'HELD' && s.objectionsOpen === 1, 'the hold');
    expect(held.objectionsFiled).toBe(1);
    const [task] = await pollUntil(
      async () => w.callsOf(c.workflowId, 'openObjectionTask'),
      (calls) => calls.length === 1,
      'the objection task opened',
    );
    expect(task.input).toMatchObject({ objectionId: 'o1', kind: TASK_KINDS.claimObjection });
    // R10.2 an objection upholds only the lines it names.
    const wrongLine = await refusal(
      c.handle.executeUpdate(objectionResolutionUpdate, {
        args: [{ taskId: task.input.taskId, actor: reviewer, outcome: 'UPHOLD', reason: '属实', lineIds: ['l1'] }],
      }),
    );
    expect(wrongLine.type).toBe('INVALID_DECISION');
    // The posting period ends with the objection open: instalment 1 pays the line it does not name.
    await pollUntil(
      async () => w.callsOf(c.workflowId, 'payClaim'),
      (p) => p.length === 1,
      'instalment 1',
    );
    await c.handle.executeUpdate(objectionResolutionUpdate, {
      args: [{ taskId: task.input.taskId, actor: reviewer, outcome: 'DISMISS', reason: '经核实培训真实' }],
    });
    expect(await c.handle.result()).toMatchObject({ status: 'PAID', paidFen: 60_000 });
    expect(w.callsOf(c.workflowId, 'payableFen').map((x) => x.input.heldLineIds)).toEqual([['l2']]);
    expect(w.callsOf(c.workflowId, 'payClaim').map((x) => [x.input.instalment, x.input.amountFen])).toEqual([
      [1, 30_000],
      [2, 30_000],
    ]);
  });

  it('R7.1 funds short: the claim waits visibly until finance allocates, then is paid', async () => {
    let attempts = 0;
    const c = await open(true, {
      payClaim: () => (++attempts === 1 ? { status: 'INSUFFICIENT_FUNDS', fundBalanceFen: 10_000, shortFen: 50_000 } : paid),
    });
    await c.state((s) => s.status === 'AWAITING_FUNDS', 'awaiting funds');
    const recorded = await pollUntil(
      async () => w.callsOf(c.workflowId, 'setClaimStatus').at(-1)?.input,
      (i) => i?.status === 'AWAITING_FUNDS',
      'the status recorded',
    );
    expect(recorded?.reason).toContain('50000');
    await c.handle.signal(fundsAllocatedSignal);
    expect(await c.handle.result()).toMatchObject({ status: 'PAID', paidFen: 60_000 });
    expect(c.statuses()).toEqual(['POSTED', 'AWAITING_FUNDS', 'PAID']);
    expect(attempts).toBe(2);
  });

  it('R10.3 post-audit sampled: the drawn team inspects; whoever decided on the claim is refused (recusal)', async () => {
    const c = await open(true, { drawPostAudit: () => ({ sampled: true, inspectors: ['insp-1', 'insp-2'], excluded: ['rev-1'] }) as any });
    const { auditTaskId } = await c.state((s) => s.auditTaskId !== undefined, 'the inspection task');
    const inspection = await pollUntil(
      async () => c.tasks(TASK_KINDS.claimInspection),
      (t) => t.length === 1,
      'the inspection task opened',
    );
    expect(inspection.map((x) => x.input.assignees)).toEqual([['insp-1', 'insp-2']]);
    const report = (actor: Actor) =>
      c.handle.executeUpdate(inspectionReportUpdate, {
        args: [{ taskId: auditTaskId!, actor, outcome: 'CONFIRMED', findings: '现场核查属实' }],
      });
    expect((await refusal(report({ ...inspector('rev-1') }))).type).toBe('FORBIDDEN');
    expect((await refusal(report(inspector('insp-9')))).type).toBe('FORBIDDEN');
    expect(w.callsOf(c.workflowId, 'recordInspection')).toEqual([]);
    await report(inspector('insp-2'));
    expect(await c.handle.result()).toMatchObject({ status: 'PAID' });
    expect(w.callsOf(c.workflowId, 'recordInspection').map((x) => x.input.audit)).toEqual([
      { inspectors: ['insp-1', 'insp-2'], taskId: auditTaskId },
    ]);
  });
});
