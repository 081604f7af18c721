// The institution filing lifecycle (审核备案, R2.1/R2.3) through HTTP on real Temporal and PostgreSQL.
import { normaliseScope } from '../../workflows/domain/scope';
import { application, newInstitutionId } from '../fixtures/filing';
import { eventually, replayAndMaybeRecord, startHarness, type Harness } from '../support/harness';
import { TASK_KINDS } from '../../workflows/contracts/tasks';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h?.stop();
});

const reviewer = () => h.token({ sub: 'reviewer-ty', roles: ['reviewer'], region: '140100' });

/** Files an application as a new institution and waits for its reviewer task. */
async function fileAndAwaitReview(overrides = {}) {
  const institutionId = newInstitutionId();
  const token = h.token({ sub: `inst-${institutionId.slice(0, 8)}`, roles: ['institution'], region: '140105', institution: institutionId });
  const app = application(overrides);
  const res = await h.http('POST', '/filings', { token, body: app });
  expect(res.status).toBe(201);
  const filingId: string = res.body.id;
  const task = await eventually(async () => {
    const inbox = await h.http('GET', '/tasks?limit=200', { token: reviewer() });
    return inbox.body.items.find((t: any) => t.caseId === filingId);
  }, 'the review task');
  return { institutionId, token, app, filingId, task };
}

describe('institution filing (R2.1)', () => {
  it('is approved by a reviewer and becomes a qualification with the full requested scope (R2.3)', async () => {
    const { filingId, task, token, app } = await fileAndAwaitReview();
    expect(task).toMatchObject({ kind: TASK_KINDS.filingReview, role: 'reviewer', status: 'OPEN', overdue: false });
    expect(new Date(task.dueAt).getTime()).toBeGreaterThan(Date.now());

    const decided = await h.http('POST', `/tasks/${task.id}/decision`, {
      token: reviewer(),
      body: { outcome: 'APPROVE', grantedScope: app.scope, note: '材料齐全' },
    });
    expect(decided.status).toBe(200);
    expect(decided.body).toMatchObject({ filingId, status: 'APPROVED' });

    const q = await h.http('GET', `/qualifications/${decided.body.qualificationId}`, { token });
    expect(q.status).toBe(200);
    expect(q.body).toMatchObject({ route: 'FILING', status: 'ACTIVE', sourceId: filingId });
    expect(q.body.scope).toEqual(normaliseScope(app.scope)); // stored sorted by occupation code
    expect(new Date(q.body.validTo).getTime()).toBeGreaterThan(Date.now() + 2 * 365 * 86400_000); // 3 years by default

    const filing = await h.http('GET', `/filings/${filingId}`, { token });
    expect(filing.body.status).toBe('APPROVED');
    expect(filing.body.policyVersionIds.length).toBeGreaterThan(0);
    const approval = filing.body.audit.find((a: any) => a.action === 'FILING_APPROVE');
    expect(approval).toMatchObject({ actorId: 'reviewer-ty', reason: '材料齐全' });
    expect(approval.runId).toBeTruthy();
    expect(filing.body.tasks).toEqual([expect.objectContaining({ id: task.id, status: 'COMPLETED', completedBy: 'reviewer-ty' })]);

    // The run replays deterministically on the current workflow code.
    const handle = h.temporal.workflow.getHandle(filing.body.workflowId);
    await eventually(async () => (await handle.describe()).status.name === 'COMPLETED', 'workflow completion');
    await replayAndMaybeRecord(h, filing.body.workflowId, 'filing-approved');
  });

  it('grants a narrower scope than requested, and refuses a wider one without changing anything', async () => {
    const { filingId, task, token } = await fileAndAwaitReview();
    const wider = await h.http('POST', `/tasks/${task.id}/decision`, {
      token: reviewer(),
      body: { outcome: 'APPROVE', grantedScope: [{ occupationCode: '4-10-01-06', levels: [5, 4, 3, 2] }] },
    });
    expect(wider.status).toBe(422);
    expect(wider.body.error).toMatchObject({ code: 'INVALID_DECISION', messageZh: expect.any(String) });
    expect(wider.body.error.details).toEqual([expect.objectContaining({ field: 'grantedScope[0].levels[3]' })]);
    expect((await h.http('GET', `/tasks/${task.id}`, { token: reviewer() })).body.status).toBe('OPEN');

    const narrower = [{ occupationCode: '4-10-01-06', levels: [5] }];
    const ok = await h.http('POST', `/tasks/${task.id}/decision`, {
      token: reviewer(),
      body: { outcome: 'APPROVE', grantedScope: narrower },
    });
    expect(ok.status).toBe(200);
    const q = await h.http('GET', `/qualifications/${ok.body.qualificationId}`, { token });
    expect(q.body.scope).toEqual(narrower);
    const filing = await h.http('GET', `/filings/${filingId}`, { token });
    expect(filing.body.grantedScope).toEqual(narrower);
    expect(filing.body.audit.filter((a: any) => a.action.startsWith('FILING_APPROVE'))).toHaveLength(1);
  });

  it('is rejected with a reason; the task then takes no second decision', async () => {
    const { filingId, task, token } = await fileAndAwaitReview();
    const noReason = await h.http('POST', `/tasks/${task.id}/decision`, { token: reviewer(), body: { outcome: 'REJECT', reason: '  ' } });
    expect(noReason.status).toBe(400);
    expect(noReason.body.error.details[0].field).toBe('reason');

    const rejected = await h.http('POST', `/tasks/${task.id}/decision`, {
      token: reviewer(),
      body: { outcome: 'REJECT', reason: '实训场地不符合要求' },
    });
    expect(rejected.status).toBe(200);
    expect(rejected.body.status).toBe('REJECTED');

    const again = await h.http('POST', `/tasks/${task.id}/decision`, {
      token: reviewer(),
      body: { outcome: 'APPROVE', grantedScope: [{ occupationCode: '4-10-01-06', levels: [5] }] },
    });
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('TASK_NOT_OPEN');

    const filing = await h.http('GET', `/filings/${filingId}`, { token });
    expect(filing.body).toMatchObject({ status: 'REJECTED', decisionReason: '实训场地不符合要求', qualificationId: null });
    expect(await h.db.qualification.count({ where: { sourceId: filingId } })).toBe(0);
  });

  it('is returned for amendment, resubmitted by its institution, reviewed again and approved', async () => {
    const { filingId, task, token, app, institutionId } = await fileAndAwaitReview();
    const due = new Date(Date.now() + 3600_000).toISOString();
    const returned = await h.http('POST', `/tasks/${task.id}/decision`, {
      token: reviewer(),
      body: { outcome: 'RETURN', reason: '请补充教师资格证明', amendmentDueAt: due },
    });
    expect(returned.status).toBe(200);
    expect(returned.body).toMatchObject({ status: 'RETURNED', amendmentDueAt: due });

    const stranger = h.token({ sub: 'other', roles: ['institution'], region: '140105', institution: newInstitutionId() });
    const foreign = await h.http('POST', `/filings/${filingId}/resubmissions`, { token: stranger, body: app });
    expect(foreign.status).toBe(403);

    const amended = { ...app, teachers: { count: 9, summary: '9 名专职教师，附教师资格证明' } };
    const resubmitted = await h.http('POST', `/filings/${filingId}/resubmissions`, {
      token,
      body: amended,
      headers: { 'Idempotency-Key': `resubmit-${filingId}` },
    });
    expect(resubmitted.status).toBe(200);
    expect(resubmitted.body).toMatchObject({ filingId, revision: 2 });
    const replayed = await h.http('POST', `/filings/${filingId}/resubmissions`, {
      token,
      body: amended,
      headers: { 'Idempotency-Key': `resubmit-${filingId}` },
    });
    expect(replayed.status).toBe(200);
    expect(replayed.body).toEqual(resubmitted.body);
    expect(replayed.headers.get('idempotent-replayed')).toBe('true');

    const second = await eventually(async () => {
      const inbox = await h.http('GET', '/tasks?limit=200', { token: reviewer() });
      return inbox.body.items.find((t: any) => t.caseId === filingId && t.id !== task.id);
    }, 'the second review task');
    const approved = await h.http('POST', `/tasks/${second.id}/decision`, {
      token: reviewer(),
      body: { outcome: 'APPROVE', grantedScope: app.scope },
    });
    expect(approved.body.status).toBe('APPROVED');

    const filing = await h.http('GET', `/filings/${filingId}`, { token });
    expect(filing.body.revision).toBe(2);
    expect(filing.body.revisions.map((r: any) => r.revision)).toEqual([1, 2]);
    expect(filing.body.revisions[1].application.teachers.count).toBe(9);
    expect(filing.body.audit.map((a: any) => a.action)).toEqual([
      'FILING_SUBMITTED',
      'FILING_REVIEW_OPENED',
      'FILING_RETURN',
      'FILING_RESUBMITTED',
      'FILING_REVIEW_OPENED',
      'FILING_APPROVE',
    ]);
    expect(await h.db.institution.count({ where: { id: institutionId } })).toBe(1);
    await eventually(
      async () => (await h.temporal.workflow.getHandle(filing.body.workflowId).describe()).status.name === 'COMPLETED',
      'completion',
    );
    await replayAndMaybeRecord(h, filing.body.workflowId, 'filing-returned-resubmitted-approved');
  });

  it('returns an incomplete application automatically, naming each problem', async () => {
    const institutionId = newInstitutionId();
    const token = h.token({ sub: 'inst-incomplete', roles: ['institution'], region: '140105', institution: institutionId });
    const app = application({
      scope: [
        { occupationCode: '9-99-99-99', levels: [5] },
        { occupationCode: '4-10-01-06', levels: [1] },
      ],
    });
    const res = await h.http('POST', '/filings', { token, body: app });
    expect(res.status).toBe(201);
    const filing = await eventually(async () => {
      const f = await h.http('GET', `/filings/${res.body.id}`, { token });
      return f.body.status === 'RETURNED' && f.body;
    }, 'automatic return');
    expect(filing.revisions[0].completenessProblems.map((p: any) => p.field)).toEqual(['scope[0].levels[0]', 'scope[1].occupationCode']); // scope is sorted by code
    expect(filing.tasks).toEqual([]);
    expect(filing.audit.map((a: any) => a.action)).toContain('FILING_RETURNED_INCOMPLETE');
  });

  it('refuses a second open application of the same institution (409), but replays an Idempotency-Key', async () => {
    const institutionId = newInstitutionId();
    const token = h.token({ sub: 'inst-dup', roles: ['institution'], region: '140105', institution: institutionId });
    const app = application();
    const first = await h.http('POST', '/filings', { token, body: app, headers: { 'Idempotency-Key': 'first-filing' } });
    expect(first.status).toBe(201);
    const repeat = await h.http('POST', '/filings', { token, body: app, headers: { 'Idempotency-Key': 'first-filing' } });
    expect(repeat.status).toBe(201);
    expect(repeat.body.id).toBe(first.body.id);
    const second = await h.http('POST', '/filings', { token, body: app });
    expect(second.status).toBe(409);
    expect(second.body.error).toMatchObject({ code: 'FILING_ALREADY_OPEN', message: expect.any(String), messageZh: expect.any(String) });
    expect(await h.db.filing.count({ where: { creditCode: app.creditCode } })).toBe(1);
  });

  it('keeps filings to their institution and region (403) and tasks to their role', async () => {
    const { filingId, task } = await fileAndAwaitReview();
    const other = h.token({ sub: 'other-inst', roles: ['institution'], region: '140105', institution: newInstitutionId() });
    expect((await h.http('GET', `/filings/${filingId}`, { token: other })).status).toBe(403);
    const datong = h.token({ sub: 'reviewer-dt', roles: ['reviewer'], region: '140200' });
    expect((await h.http('GET', `/filings/${filingId}`, { token: datong })).status).toBe(403);
    const foreignDecision = await h.http('POST', `/tasks/${task.id}/decision`, { token: datong, body: { outcome: 'REJECT', reason: 'x' } });
    expect(foreignDecision.status).toBe(403);
    expect(foreignDecision.body.error.code).toBe('FORBIDDEN_REGION');
    const datongInbox = await h.http('GET', '/tasks?limit=200', { token: datong });
    expect(datongInbox.body.items.find((t: any) => t.id === task.id)).toBeUndefined();
    const inst = h.token({ sub: 'inst', roles: ['institution'], region: '140105', institution: newInstitutionId() });
    expect((await h.http('POST', `/tasks/${task.id}/decision`, { token: inst, body: { outcome: 'REJECT', reason: 'x' } })).status).toBe(
      403,
    );
    expect((await h.http('POST', '/filings', { token: reviewer(), body: application() })).status).toBe(403);
    expect((await h.http('GET', `/tasks/${task.id}`, { token: reviewer() })).body.status).toBe('OPEN');
  });
});
