// filingWorkflow on its own (R2.1 审核备案, issue 8.4): every branch with stub activities, deadlines in seconds.
import type { Actor } from '../../workflows/contracts/common';
import { WORKFLOW_TYPES } from '../../workflows/contracts/common';
import {
  filingDecisionUpdate,
  filingResubmitUpdate,
  filingStateQuery,
  type FilingApplication,
  type FilingState,
  type FilingWorkflowInput,
} from '../../workflows/contracts/filing';
import type { filingWorkflow } from '../../workflows/filing.workflow';
import { commonStubs, refusal, shortPolicy, startStubWorld, pollUntil, wid, type StubWorld } from './stub-worker';

const requested = [{ occupationCode: '4-10-01-06', levels: [5, 4] as (1 | 2 | 3 | 4 | 5)[] }];
const reviewer: Actor = { userId: 'rev-1', roles: ['reviewer'], regionCode: '140100' };
const lead: Actor = { userId: 'lead-1', roles: ['lead_reviewer'], regionCode: '140100' };
const institution: Actor = { userId: 'inst-1', roles: ['institution'], regionCode: '140100', institutionId: 'i1' };
const application = { scope: requested } as unknown as FilingApplication; // the stubs never read it

let w: StubWorld;
beforeAll(async () => {
  w = await startStubWorld({
    ...commonStubs(shortPolicy({ reviewSeconds: 600 })), // no review lapses unless a test says so
    checkFilingCompleteness: () => ({ problems: [], requestedScope: requested }),
    openFilingReview: (i) => i.taskId ?? '',
    grantFilingQualification: (i) => ({ qualificationId: `q-${i.filingId}`, institutionId: 'i1', creditCode: '91140100MA0000000X' }),
  });
});
afterAll(() => w?.stop());

async function open(over: Parameters<StubWorld['stub']>[1] = {}) {
  const workflowId = wid('filing');
  w.stub(workflowId, over);
  const input: FilingWorkflowInput = {
    filingId: workflowId,
    institutionId: 'i1',
    creditCode: '91140100MA0000000X',
    regionCode: '140100',
    submittedBy: institution,
  };
  const handle = await w.env.client.workflow.start<typeof filingWorkflow>(WORKFLOW_TYPES.filing, {
    taskQueue: w.taskQueue,
    workflowId,
    args: [input],
  });
  const state = (ok: (s: FilingState) => boolean, what: string) => pollUntil(() => handle.query(filingStateQuery), ok, what);
  return { workflowId, handle, state };
}
const underReview = (s: FilingState) => s.status === 'UNDER_REVIEW' && s.openTasks.length > 0;

describe('filingWorkflow with stub activities', () => {
  it('R2.1 approve: grants the qualification on the granted scope (R2.3) and tracks it', async () => {
    const f = await open();
    const {
      openTasks: [task],
    } = await f.state(underReview, 'the review task');
    const result = await f.handle.executeUpdate(filingDecisionUpdate, {
      args: [{ taskId: task.taskId, actor: reviewer, decision: { outcome: 'APPROVE', grantedScope: requested } }],
    });
    expect(result).toMatchObject({ status: 'APPROVED', qualificationId: `q-${f.workflowId}` });
    expect(await f.handle.result()).toMatchObject({
      status: 'APPROVED',
      qualificationId: `q-${f.workflowId}`,
      policyVersionIds: ['policy-test'],
    });
    expect(w.callsOf(f.workflowId, 'grantFilingQualification').map((c) => c.input.scope)).toEqual([requested]);
    expect(w.callsOf(f.workflowId, 'trackQualification')).toHaveLength(1);
  });

  it('R2.3 refuses a grant wider than the request without recording anything; a rejection then ends the case', async () => {
    const f = await open();
    const {
      openTasks: [task],
    } = await f.state(underReview, 'the review task');
    const wider = await refusal(
      f.handle.executeUpdate(filingDecisionUpdate, {
        args: [
          {
            taskId: task.taskId,
            actor: reviewer,
            decision: { outcome: 'APPROVE', grantedScope: [{ occupationCode: '4-10-01-06', levels: [3] }] },
          },
        ],
      }),
    );
    expect(wider.type).toBe('INVALID_DECISION');
    expect(w.callsOf(f.workflowId, 'recordFilingDecision')).toEqual([]);
    await f.handle.executeUpdate(filingDecisionUpdate, {
      args: [{ taskId: task.taskId, actor: reviewer, decision: { outcome: 'REJECT', reason: '场地不符合要求' } }],
    });
    expect(await f.handle.result()).toMatchObject({ status: 'REJECTED', openTasks: [] });
    expect(w.callsOf(f.workflowId, 'grantFilingQualification')).toEqual([]);
    expect(w.callsOf(f.workflowId, 'recordFilingDecision')).toHaveLength(1);
  });

  it('returned for amendment, resubmitted in time: reviewed again as revision 2 and approved', async () => {
    const f = await open();
    const first = await f.state(underReview, 'the review task');
    await f.handle.executeUpdate(filingDecisionUpdate, {
      args: [{ taskId: first.openTasks[0].taskId, actor: reviewer, decision: { outcome: 'RETURN', reason: '补充师资证明' } }],
    });
    const returned = await f.state((s) => s.status === 'RETURNED', 'the return');
    expect(Date.parse(returned.amendmentDueAt!)).toBeGreaterThan(Date.now() - 5_000);
    const resubmitted = await f.handle.executeUpdate(filingResubmitUpdate, { args: [{ actor: institution, application }] });
    expect(resubmitted).toMatchObject({ revision: 2, status: 'SUBMITTED' });
    // A second resubmission of the same return is refused (the case object, not a made-up state, says so).
    expect((await refusal(f.handle.executeUpdate(filingResubmitUpdate, { args: [{ actor: institution, application }] }))).type).toBe(
      'CASE_STATE_CONFLICT',
    );
    const second = await f.state((s) => underReview(s) && s.revision === 2, 'the second review');
    expect(second.openTasks[0].taskId).not.toBe(first.openTasks[0].taskId);
    await f.handle.executeUpdate(filingDecisionUpdate, {
      args: [{ taskId: second.openTasks[0].taskId, actor: reviewer, decision: { outcome: 'APPROVE', grantedScope: requested } }],
    });
    expect(await f.handle.result()).toMatchObject({ status: 'APPROVED', revision: 2 });
    expect(w.callsOf(f.workflowId, 'checkFilingCompleteness').map((c) => c.input.revision)).toEqual([1, 2]);
    expect(w.callsOf(f.workflowId, 'saveFilingResubmission')).toHaveLength(1);
  });

  it('returned for amendment, no resubmission by the deadline: withdrawn', async () => {
    const f = await open({ ...commonStubs(shortPolicy({ reviewSeconds: 600, amendmentSeconds: 2 })) });
    const {
      openTasks: [task],
    } = await f.state(underReview, 'the review task');
    await f.handle.executeUpdate(filingDecisionUpdate, {
      args: [{ taskId: task.taskId, actor: reviewer, decision: { outcome: 'RETURN', reason: '补充场地证明' } }],
    });
    const final = await f.handle.result();
    expect(final.status).toBe('WITHDRAWN');
    expect(w.callsOf(f.workflowId, 'withdrawFiling').map((c) => c.input.amendmentDueAt)).toEqual([final.amendmentDueAt]);
    expect(w.callsOf(f.workflowId, 'saveFilingResubmission')).toEqual([]);
  });

  it('an incomplete application is returned by the completeness check and withdrawn when not amended', async () => {
    const f = await open({
      ...commonStubs(shortPolicy({ amendmentSeconds: 2 })),
      checkFilingCompleteness: () => ({
        problems: [{ field: 'teachers', problem: 'missing', problemZh: '缺少' }],
        requestedScope: requested,
      }),
    });
    expect(await f.handle.result()).toMatchObject({ status: 'WITHDRAWN' });
    expect(w.callsOf(f.workflowId, 'returnIncompleteFiling')).toHaveLength(1);
    expect(w.callsOf(f.workflowId, 'openFilingReview')).toEqual([]);
  });

  it("escalation: a review still open when due goes to the region's lead reviewer, who decides", async () => {
    const f = await open({ ...commonStubs(shortPolicy({ reviewSeconds: 2, escalatedSeconds: 600 })) });
    const escalated = await f.state((s) => s.openTasks.length === 2, 'the escalation');
    const [own, leads] = escalated.openTasks;
    expect(own).toMatchObject({ role: 'reviewer', escalated: true });
    expect(leads).toMatchObject({ role: 'lead_reviewer', escalated: false });
    // The workflow shows the lead's task before its activity has run: wait for the call itself.
    const opened = await pollUntil(
      async () => w.callsOf(f.workflowId, 'openFilingReview'),
      (calls) => calls.length === 2,
      'the lead review opened',
    );
    expect(opened.map((c) => c.input.escalation)).toEqual([undefined, { fromTaskId: own.taskId }]);
    await f.handle.executeUpdate(filingDecisionUpdate, {
      args: [{ taskId: leads.taskId, actor: lead, decision: { outcome: 'APPROVE', grantedScope: requested } }],
    });
    expect(await f.handle.result()).toMatchObject({ status: 'APPROVED', openTasks: [] });
  });
});
