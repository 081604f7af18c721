// Public posting and post-audit through HTTP on real Temporal and PostgreSQL: every objection kept and
// answered on its own, including one filed while held and one filed late; the rest of a claim paid while an
// objection is open (R10.2); unpredictable, recorded post-audit draws with recusal and a team never smaller
// than the policy's, widened to the parent region's pool (R10.3); published inspection results (R7.9).
//
// All claims are in Datong (140200): its fund FUND:140200 moves money in no other test file (ledger.spec.ts
// asserts exact balances of FUND:141100 and FUND:141000). Tests run in order; each puts its policy in force.
import { claimWorkflowId } from '../../workflows/contracts/claim';
import { classWithRoster, COMMITMENT } from '../fixtures/claims';
import { addPolicyVersion, eventually, replayAndMaybeRecord, startHarness, type Harness } from '../support/harness';
import { TASK_KINDS } from '../../workflows/contracts/tasks';

let h: Harness;
const DATONG = '140200';
const reviewer = (sub = 'posting-reviewer') => h.token({ sub, roles: ['reviewer'], region: '140000' });
const finance = () => h.token({ sub: 'posting-finance', roles: ['finance'], region: '140000' });
const inspector = (sub: string) => h.token({ sub, roles: ['inspector'], region: '140000' });

async function claimWhere(token: string, claimId: string, ok: (c: any) => boolean, what: string, timeoutMs = 30_000) {
  return eventually(
    async () => {
      const c = (await h.http('GET', `/claims/${claimId}`, { token })).body;
      return ok(c) && c;
    },
    what,
    timeoutMs,
  );
}

async function tasksOf(claimId: string, kind: string, token = reviewer()) {
  const inbox = await h.http('GET', `/tasks?limit=200&kind=${kind}`, { token });
  return inbox.body.items.filter((t: any) => t.caseId === claimId);
}

async function newClaim(people: number, withCommitment: boolean, category = 'ENTERPRISE_EMPLOYEE') {
  const setup = await classWithRoster(h, {
    regionCode: DATONG,
    category,
    people: Array.from({ length: people }, () => ({ attendancePercent: 100 })),
  });
  const body = withCommitment
    ? { classId: setup.classId, category, commitment: { text: COMMITMENT, agreed: true } }
    : { classId: setup.classId, category };
  const created = await h.http('POST', '/claims', { token: setup.token, body });
  expect(created.status).toBe(201);
  return { setup, claimId: created.body.id as string };
}

const completed = (claimId: string) =>
  eventually(
    async () => (await h.temporal.workflow.getHandle(claimWorkflowId(claimId)).describe()).status.name === 'COMPLETED',
    'completion',
    60_000,
  );

beforeAll(async () => {
  h = await startHarness();
  const res = await h.http('POST', '/ledger/allocations', {
    token: finance(),
    body: { regionCode: DATONG, amountFen: 50_000_000, memo: '失业保险基金结余划转' },
  });
  expect(res.status).toBe(201);
});
afterAll(async () => {
  await h?.stop();
});

// Datong's bureau also lets filed institutions use the commitment regime (R6.2's scope is a parameter).
describe('R10.2 objections are never lost', () => {
  beforeAll(async () => {
    await addPolicyVersion(h, DATONG, {
      claim: {
        commitmentRegime: { qualificationRoutes: ['FILING', 'TENDER'] },
        postingPeriod: { unit: 'SECONDS', amount: 15 },
        fundsRecheckInterval: { unit: 'SECONDS', amount: 600 },
      },
      postAudit: { sampleRatePercent: 0 },
    });
  });

  it('keeps and answers each objection on its own (one filed while held, one late) and pays the lines no open objection names (R10.2)', async () => {
    const { setup, claimId } = await newClaim(3, true);
    await claimWhere(setup.token, claimId, (c) => c.status === 'POSTED', 'posted');
    const posted = (await h.http('GET', `/public/postings/${claimId}`)).body;
    expect(posted.lines).toHaveLength(3);
    const [l0, l1, l2] = posted.lines.map((l: any) => l.lineId);

    const a = await h.http('POST', `/public/claims/${claimId}/objections`, {
      body: { text: '前两名学员未到场参加培训', lineIds: [l0, l1] },
    });
    expect(a.status).toBe(201);
    expect(a.body.status).toBe('RECEIVED');
    await claimWhere(setup.token, claimId, (c) => c.status === 'HELD', 'held');
    const b = await h.http('POST', `/public/claims/${claimId}/objections`, { body: { text: '第三名学员为机构员工亲属', lineIds: [l2] } }); // while held
    expect(b.status).toBe(201);
    const notPosted = await h.http('POST', `/public/claims/${claimId}/objections`, {
      body: { text: '不在名单中的人员', lineIds: ['00000000-0000-4000-8000-000000000000'] },
    });
    expect(notPosted.status).toBe(422);

    // Two objections, two tasks, each linked to its objection.
    const tasks = await eventually(async () => {
      const t = await tasksOf(claimId, TASK_KINDS.claimObjection);
      return t.length === 2 && t;
    }, 'two objection tasks');
    const claim = (await h.http('GET', `/claims/${claimId}`, { token: reviewer() })).body;
    expect(claim.objectionCount).toBe(2);
    const taskOf = (objectionId: string) => tasks.find((t: any) => t.id === claim.objections.find((o: any) => o.id === objectionId).taskId);
    const taskA = taskOf(a.body.objectionId);
    const taskB = taskOf(b.body.objectionId);
    expect(taskA.id).not.toBe(taskB.id);

    // An objection upholds only the lines it names (l2 is not A's).
    const wrongLine = await h.http('POST', `/tasks/${taskA.id}/decision`, {
      token: reviewer(),
      body: { outcome: 'UPHOLD', reason: '核实', lineIds: [l2] },
    });
    expect(wrongLine.status).toBe(422);
    const dismissed = await h.http('POST', `/tasks/${taskB.id}/decision`, {
      token: reviewer(),
      body: { outcome: 'DISMISS', reason: '经核实不存在亲属关系' },
    });
    expect(dismissed.status).toBe(200);
    expect((await h.http('GET', `/public/objections/${b.body.objectionId}`)).body).toMatchObject({
      status: 'DISMISSED',
      answer: '经核实不存在亲属关系',
    });

    // The posting period ends with A open: l2 is paid now, l0 and l1 wait.
    const partly = await claimWhere(setup.token, claimId, (c) => c.paidFen > 0, 'first instalment', 60_000);
    expect(partly).toMatchObject({ status: 'HELD', approvedFen: 90_000, paidFen: 30_000 });
    expect(partly.payments).toEqual([expect.objectContaining({ kind: 'PAYMENT', amountFen: 30_000 })]);
    expect(partly.objections.find((o: any) => o.id === a.body.objectionId).status).toBe('OPEN');

    // After the period: kept, answered as late, and the filer sees the answer.
    const late = await h.http('POST', `/public/claims/${claimId}/objections`, { body: { text: '公示结束后才看到名单，提出异议' } });
    expect(late.status).toBe(201);
    expect(late.body.status).toBe('LATE');
    const lateAnswer = (await h.http('GET', `/public/objections/${late.body.objectionId}`)).body;
    expect(lateAnswer).toMatchObject({ status: 'LATE', answer: expect.stringContaining('逾期') });
    expect(lateAnswer).not.toHaveProperty('contact');

    const upheld = await h.http('POST', `/tasks/${taskA.id}/decision`, {
      token: reviewer(),
      body: { outcome: 'UPHOLD', reason: '经核实第一名学员未参训', lineIds: [l0] },
    });
    expect(upheld.status).toBe(200);
    expect(upheld.body.approvedFen).toBe(60_000);
    const paid = await claimWhere(setup.token, claimId, (c) => c.status === 'PAID', 'paid', 60_000);
    expect(paid).toMatchObject({ approvedFen: 60_000, paidFen: 60_000, objectionCount: 3 });
    expect(paid.payments.map((p: any) => p.amountFen)).toEqual([30_000, 30_000]); // instalment 2 paid the held l1
    const byId = (id: string) => paid.objections.find((o: any) => o.id === id);
    expect(byId(a.body.objectionId)).toMatchObject({ status: 'UPHELD', upheldLineIds: [l0], resolvedBy: 'posting-reviewer' });
    expect(byId(b.body.objectionId)).toMatchObject({ status: 'DISMISSED' });
    expect(byId(late.body.objectionId)).toMatchObject({ status: 'LATE', resolvedBy: 'system' });
    expect(await h.db.subsidyGrant.count({ where: { claimLineId: { in: [l0, l1, l2] } } })).toBe(2); // l0 left the register
    expect(
      (await h.db.ledgerTransaction.findMany({ where: { claimId }, orderBy: { createdAt: 'asc' } })).map((t) => t.businessKey),
    ).toEqual([`payment:${claimId}`, `payment:${claimId}:2`]);
    expect((await h.http('GET', `/ledger/balance?region=${DATONG}`, { token: finance() })).body.reconciled).toBe(true);
    await completed(claimId);
    await replayAndMaybeRecord(h, claimWorkflowId(claimId), 'claim-objections-each-answered-instalments');
  }, 180_000);

  it('pages through every posting, newest first (GET /public/postings)', async () => {
    const claims = [];
    for (let i = 0; i < 3; i++) {
      const c = await newClaim(1, true);
      await claimWhere(c.setup.token, c.claimId, (x) => x.postingEndsAt, 'posted');
      claims.push(c.claimId);
    }
    const seen: any[] = [];
    let cursor: string | null = null;
    do {
      const res: any = await h.http('GET', `/public/postings?region=${DATONG}&limit=2${cursor ? `&cursor=${cursor}` : ''}`);
      expect(res.status).toBe(200);
      expect(res.body.items.length).toBeLessThanOrEqual(2);
      seen.push(...res.body.items);
      cursor = res.body.nextCursor;
    } while (cursor);
    const ids = seen.map((p) => p.claimId);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids).toEqual(expect.arrayContaining(claims));
    expect(ids.length).toBeGreaterThanOrEqual(4); // with the paid claim of the test before: not only current postings
    const ends = seen.map((p) => Date.parse(p.postingEndsAt));
    expect(ends).toEqual([...ends].sort((x, y) => y - x));
    expect(seen.every((p) => p.residentId === undefined && p.objections.filed >= 0)).toBe(true);
    expect((await h.http('GET', '/public/postings?cursor=bm90LWEtY3Vyc29y')).status).toBe(400);
    expect((await h.http('GET', '/public/postings?limit=0')).status).toBe(400);
  }, 120_000);
});

describe('R10.3 draws nobody can predict', () => {
  beforeAll(async () => {
    await h.db.inspector.createMany({
      data: [
        { userId: 'dt-insp-1', name: '大同检查员', regionCode: DATONG },
        { userId: 'dt-reviewer', name: '大同审核员（兼检查员）', regionCode: DATONG },
        { userId: 'sx-insp-1', name: '省检查员', regionCode: '140000' },
      ],
      skipDuplicates: true,
    });
    // Full-review claims sampled too; a short posting.
    await addPolicyVersion(h, DATONG, {
      claim: {
        commitmentRegime: { qualificationRoutes: ['FILING', 'TENDER'] },
        postingPeriod: { unit: 'SECONDS', amount: 2 },
        fundsRecheckInterval: { unit: 'SECONDS', amount: 600 },
      },
      postAudit: {
        sampleRatePercent: { COMMITMENT: 0, FULL_REVIEW: 100 },
        inspectorsPerTeam: 2,
        inspectionPeriod: { unit: 'DAYS', amount: 5 },
      },
    });
  });

  it('records the value, pool and excluded deciders, widens to the parent pool to keep the team size, refuses a decider as reporter and publishes the result', async () => {
    const { setup, claimId } = await newClaim(1, false);
    const review = await eventually(
      async () => (await tasksOf(claimId, TASK_KINDS.claimReview, reviewer('dt-reviewer')))[0],
      'review task',
    );
    const line = (await h.http('GET', `/claims/${claimId}`, { token: reviewer() })).body.lines[0];
    expect(
      (
        await h.http('POST', `/tasks/${review.id}/decision`, {
          token: reviewer('dt-reviewer'),
          body: { lines: [{ lineId: line.id, approve: true }] },
        })
      ).status,
    ).toBe(200);

    const drawn = await claimWhere(setup.token, claimId, (c) => c.postAudit?.drawId, 'draw', 60_000);
    const draw = drawn.postAudit;
    expect(draw).toMatchObject({
      claimKind: 'FULL_REVIEW',
      ratePercent: 100,
      sampled: true,
      scale: 1_000_000,
      teamSize: 2,
      widenedTo: '140000',
    });
    expect(Number.isInteger(draw.value) && draw.value >= 0 && draw.value < draw.scale).toBe(true);
    expect(draw.pool).toEqual([
      { regionCode: DATONG, inspectors: ['dt-insp-1', 'dt-reviewer'] },
      { regionCode: '140000', inspectors: expect.arrayContaining(['sx-insp-1']) },
    ]);
    expect(draw.excluded).toContain('dt-reviewer');
    expect(draw.inspectors).toHaveLength(2);
    expect(draw.inspectors).toContain('dt-insp-1'); // the city's only eligible inspector, then the province's pool
    expect(draw.inspectors).not.toContain('dt-reviewer');
    const audit = (await h.http('GET', `/claims/${claimId}`, { token: reviewer() })).body.audit;
    expect(audit.filter((a: any) => a.action === 'CLAIM_POST_AUDIT_DRAWN')).toHaveLength(1);

    const inspection = await eventually(
      async () => (await tasksOf(claimId, TASK_KINDS.claimInspection, inspector('dt-insp-1')))[0],
      'inspection task',
    );
    expect([...inspection.assignees].sort()).toEqual([...draw.inspectors].sort());
    const decider = await h.http('POST', `/tasks/${inspection.id}/decision`, {
      token: inspector('dt-reviewer'),
      body: { outcome: 'CONFIRMED', findings: '现场核查属实' },
    });
    expect(decider.status).toBe(403);
    const report = await h.http('POST', `/tasks/${inspection.id}/decision`, {
      token: inspector('dt-insp-1'),
      body: { outcome: 'CONFIRMED', findings: '现场核查：学员张某某签到属实' },
    });
    expect(report.status).toBe(200);

    const published = await h.http('GET', `/public/inspections?region=${DATONG}&limit=50`);
    expect(published.status).toBe(200);
    const row = published.body.items.find((i: any) => i.claimId === claimId);
    expect(row).toMatchObject({
      outcome: 'CONFIRMED',
      claimKind: 'FULL_REVIEW',
      teamSize: 2,
      institution: { name: expect.any(String), creditCode: expect.any(String) },
    });
    // R7.9: no findings text, no people.
    expect(JSON.stringify(published.body)).not.toMatch(/张某某|dt-insp-1|findings/);
    await completed(claimId);
    await replayAndMaybeRecord(h, claimWorkflowId(claimId), 'claim-full-review-draw-widened');
  }, 120_000);

  it('opens a task for the lead inspector when even the province is too small, never "anyone"', async () => {
    await addPolicyVersion(h, DATONG, {
      claim: {
        commitmentRegime: { qualificationRoutes: ['FILING', 'TENDER'] },
        postingPeriod: { unit: 'SECONDS', amount: 2 },
        fundsRecheckInterval: { unit: 'SECONDS', amount: 600 },
      },
      postAudit: {
        sampleRatePercent: { COMMITMENT: 100, FULL_REVIEW: 0 },
        inspectorsPerTeam: 10,
        inspectionPeriod: { unit: 'DAYS', amount: 5 },
      },
    });
    const { setup, claimId } = await newClaim(1, true);
    const drawn = await claimWhere(setup.token, claimId, (c) => c.postAudit?.drawId, 'draw', 60_000);
    expect(drawn.postAudit).toMatchObject({
      sampled: true,
      claimKind: 'COMMITMENT',
      teamSize: 10,
      widenedTo: null,
      inspectors: [],
      problem: expect.stringContaining('lead inspector'),
    });
    const lead = h.token({ sub: 'dt-lead', roles: ['lead_inspector'], region: '140000' });
    const task = await eventually(async () => (await tasksOf(claimId, TASK_KINDS.claimInspectionTeam, lead))[0], 'team task');
    expect(task.assignees).toEqual([]);
    expect(await tasksOf(claimId, TASK_KINDS.claimInspection, inspector('dt-insp-1'))).toEqual([]);
    const unknown = await h.http('POST', `/tasks/${task.id}/decision`, { token: lead, body: { inspectors: ['nobody-1', 'dt-insp-1'] } });
    expect(unknown.status).toBe(422);
    const short = await h.http('POST', `/tasks/${task.id}/decision`, { token: lead, body: { inspectors: ['dt-insp-1', 'sx-insp-1'] } });
    expect(short.status).toBe(422); // the policy's team is 10
  }, 120_000);
});
