// catalogueWorkflow on its own (R3.1 目录清单管理, issue 8.4): the annual review and the amendment debouncer,
// with stub activities.
import { WORKFLOW_TYPES } from '../../workflows/contracts/common';
import {
  catalogueChangedSignal,
  catalogueDecisionUpdate,
  catalogueStateQuery,
  type CatalogueState,
} from '../../workflows/contracts/catalogue';
import type { Actor } from '../../workflows/contracts/common';
import type { catalogueWorkflow } from '../../workflows/catalogue.workflow';
import { commonStubs, refusal, shortPolicy, startStubWorld, pollUntil, wid, type StubWorld } from './stub-worker';

const reviewer: Actor = { userId: 'rev-1', roles: ['reviewer'], regionCode: '140000' };
const summary = {
  projects: { added: 1, removed: 0, changed: 0 },
  institutions: { added: 1, removed: 0, changed: 0 },
  evaluators: { added: 0, removed: 0, changed: 0 },
};

let w: StubWorld;
beforeAll(async () => {
  w = await startStubWorld({
    ...commonStubs(shortPolicy({ amendmentDelaySeconds: 2 })),
    compileCatalogueDraft: (i) => ({ versionId: `v-${i.year}`, basedOnNumber: 3, summary: summary as any }),
    publishCatalogue: () => ({ number: 4, effectiveFrom: '2028-01-01T00:00:00+08:00' }),
    publishAmendment: (i) => ({ number: 10 + i.seq }),
  });
});
afterAll(() => w?.stop());

async function annual() {
  const workflowId = wid('catalogue');
  const handle = await w.env.client.workflow.start<typeof catalogueWorkflow>(WORKFLOW_TYPES.catalogue, {
    taskQueue: w.taskQueue,
    workflowId,
    args: [{ kind: 'ANNUAL', year: 2028, requestedBy: 'admin' }],
  });
  const state = await pollUntil(
    () => handle.query(catalogueStateQuery),
    (s: CatalogueState) => s.status === 'UNDER_REVIEW',
    'the review task',
  );
  // The state names the task before its activity has run: wait for the call itself.
  await pollUntil(
    async () => w.callsOf(workflowId, 'openCatalogueReview'),
    (calls) => calls.length === 1,
    'the review task opened',
  );
  return { workflowId, handle, taskId: state.openTaskId! };
}

describe('catalogueWorkflow with stub activities', () => {
  it('R3.1 approve: the draft is published as the next number', async () => {
    const c = await annual();
    expect(w.callsOf(c.workflowId, 'openCatalogueReview').map((x) => x.input.taskId)).toEqual([c.taskId]);
    const result = await c.handle.executeUpdate(catalogueDecisionUpdate, {
      args: [{ taskId: c.taskId, actor: reviewer, outcome: 'APPROVE' }],
    });
    expect(result).toMatchObject({ versionId: 'v-2028', status: 'PUBLISHED', number: 4 });
    expect(await c.handle.result()).toMatchObject({ status: 'PUBLISHED', published: [4] });
    expect(w.callsOf(c.workflowId, 'rejectCatalogue')).toEqual([]);
  });

  it('R3.1 reject: needs a reason (refused without one, nothing recorded), then the draft is rejected', async () => {
    const c = await annual();
    expect(
      (
        await refusal(
          c.handle.executeUpdate(catalogueDecisionUpdate, {
            args: [{ taskId: c.taskId, actor: reviewer, outcome: 'REJECT', reason: ' ' }],
          }),
        )
      ).type,
    ).toBe('INVALID_DECISION');
    expect(
      (
        await refusal(
          c.handle.executeUpdate(catalogueDecisionUpdate, { args: [{ taskId: 'not-the-task', actor: reviewer, outcome: 'APPROVE' }] }),
        )
      ).type,
    ).toBe('TASK_NOT_OPEN');
    expect(w.callsOf(c.workflowId, 'rejectCatalogue')).toEqual([]);
    await c.handle.executeUpdate(catalogueDecisionUpdate, {
      args: [{ taskId: c.taskId, actor: reviewer, outcome: 'REJECT', reason: '缺少评价机构目录' }],
    });
    expect(await c.handle.result()).toMatchObject({ status: 'REJECTED', published: [] });
    expect(w.callsOf(c.workflowId, 'publishCatalogue')).toEqual([]);
  });

  it('amendments: a burst of changes within the delay becomes one amendment with every reason', async () => {
    const workflowId = wid('catalogue-amendments');
    const change = (q: string) => ({ qualificationId: q, status: 'REVOKED', reason: `revoked ${q}` });
    const handle = await w.env.client.workflow.signalWithStart<typeof catalogueWorkflow, [ReturnType<typeof change>]>(
      WORKFLOW_TYPES.catalogue,
      {
        taskQueue: w.taskQueue,
        workflowId,
        args: [{ kind: 'AMENDMENT', requestedBy: 'system' }],
        signal: catalogueChangedSignal,
        signalArgs: [change('q1')],
      },
    );
    await handle.signal(catalogueChangedSignal, change('q2'));
    await handle.signal(catalogueChangedSignal, change('q3'));
    expect(await handle.result()).toMatchObject({ kind: 'AMENDMENT', status: 'DONE', published: [11] });
    const published = w.callsOf(workflowId, 'publishAmendment');
    expect(published).toHaveLength(1);
    expect(published[0].input).toEqual({ seq: 1, changes: [change('q1'), change('q2'), change('q3')] });
  });
});
