// Post-audit inspection teams (R10.3) through HTTP on real Temporal and PostgreSQL: the team the lead
// inspector names when no draw could make one, its members' report and a decider's refusal (recusal,
// 行政处罚法 art. 43); the draw activity retried without drawing again; inspectors who rotate between an
// institution's sampled claims; the published result without personal data (R7.9).
//
// All claims are in Jincheng (140500) and under full review, sampled at 100 %. They are paid before the
// post-audit, from FUND:140500: ledger.spec.ts checks only that fund's change for its own payment, never its
// balance. Tests run in order; each puts its policy in force.
import { MockActivityEnvironment } from '@temporalio/testing';
import { randomUUID } from 'node:crypto';
import { createClaimActivities } from '../../activities/claim.activities';
import { AnomalyRepository } from '../../repositories/anomaly.repository';
import { ClaimRepository } from '../../repositories/claim.repository';
import { claimWorkflowId } from '../../workflows/contracts/claim';
import { classWithRoster } from '../fixtures/claims';
import { institutionRows } from '../fixtures/institution-rows';
import { qualifiedInstitution } from '../fixtures/qualified-institution';
import { addPolicyVersion, eventually, replayAndMaybeRecord, startHarness, type Harness } from '../support/harness';
import { TASK_KINDS } from '../../workflows/contracts/tasks';

let h: Harness;
const JINCHENG = '140500';
const REVIEWER = 'jc-reviewer'; // decides the claims, and is a registered inspector too: recusal applies
const reviewer = () => h.token({ sub: REVIEWER, roles: ['reviewer'], region: '140000' });
const inspector = (sub: string) => h.token({ sub, roles: ['inspector'], region: '140000' });
const lead = () => h.token({ sub: 'jc-lead', roles: ['lead_inspector'], region: '140000' });

const policy = (inspectorsPerTeam: number) => ({
  claim: { postingPeriod: { unit: 'SECONDS', amount: 2 }, fundsRecheckInterval: { unit: 'SECONDS', amount: 600 } },
  postAudit: {
    sampleRatePercent: { COMMITMENT: 0, FULL_REVIEW: 100 },
    inspectorsPerTeam,
    inspectionPeriod: { unit: 'DAYS', amount: 5 },
    rotationLookback: { claims: 1, period: null },
  },
});

async function claimWhere(claimId: string, ok: (c: any) => boolean, what: string, timeoutMs = 60_000) {
  return eventually(
    async () => {
      const c = (await h.http('GET', `/claims/${claimId}`, { token: reviewer() })).body;
      return ok(c) && c;
    },
    what,
    timeoutMs,
  );
}

async function tasksOf(claimId: string, kind: string, token: string) {
  const inbox = await h.http('GET', `/tasks?limit=200&kind=${kind}`, { token });
  return inbox.body.items.filter((t: any) => t.caseId === claimId);
}

/** A full-review claim of one person, approved by the reviewer; resolves once its post-audit draw is recorded. */
async function drawnClaim(institution?: { institutionId: string; token: string; qualificationId: string }) {
  const setup = await classWithRoster(h, {
    regionCode: JINCHENG,
    category: 'ENTERPRISE_EMPLOYEE',
    people: [{ attendancePercent: 100 }],
    institution,
  });
  const created = await h.http('POST', '/claims', {
    token: setup.token,
    body: { classId: setup.classId, category: 'ENTERPRISE_EMPLOYEE' },
  });
  expect(created.status).toBe(201);
  const claimId = created.body.id as string;
  const review = await eventually(async () => (await tasksOf(claimId, TASK_KINDS.claimReview, reviewer()))[0], 'review task');
  const line = (await h.http('GET', `/claims/${claimId}`, { token: reviewer() })).body.lines[0];
  expect(
    (await h.http('POST', `/tasks/${review.id}/decision`, { token: reviewer(), body: { lines: [{ lineId: line.id, approve: true }] } }))
      .status,
  ).toBe(200);
  const claim = await claimWhere(claimId, (c) => c.postAudit?.drawId, 'post-audit draw');
  expect(claim).toMatchObject({ status: 'PAID', paidFen: 30_000 });
  return { setup, claimId, draw: claim.postAudit };
}

async function report(claimId: string, member: string, findings = '现场核查：签到表与培训记录一致') {
  const task = await eventually(async () => (await tasksOf(claimId, TASK_KINDS.claimInspection, inspector(member)))[0], 'inspection task');
  const res = await h.http('POST', `/tasks/${task.id}/decision`, { token: inspector(member), body: { outcome: 'CONFIRMED', findings } });
  expect(res.status).toBe(200);
  return task;
}

const completed = (claimId: string) =>
  eventually(
    async () => (await h.temporal.workflow.getHandle(claimWorkflowId(claimId)).describe()).status.name === 'COMPLETED',
    'completion',
    60_000,
  );

beforeAll(async () => {
  h = await startHarness();
  const finance = h.token({ sub: 'jc-finance', roles: ['finance'], region: '140000' });
  const res = await h.http('POST', '/ledger/allocations', {
    token: finance,
    body: { regionCode: JINCHENG, amountFen: 10_000_000, memo: '失业保险基金结余划转' },
  });
  expect(res.status).toBe(201);
  await h.db.inspector.createMany({
    data: [{ userId: REVIEWER, name: '晋城审核员（兼检查员）', regionCode: JINCHENG }],
    skipDuplicates: true,
  });
});
afterAll(async () => {
  await h?.stop();
});

describe('R10.3 a team the lead inspector names', () => {
  const team = Array.from({ length: 10 }, (_, i) => `jc-team-${String(i + 1).padStart(2, '0')}`);

  afterAll(async () => {
    // Out of the pool again, so the rotation tests below draw from a pool they know.
    await h.db.inspector.updateMany({ where: { userId: { in: team } }, data: { active: false } });
  });

  it('gets the inspection task for the named team, refuses a decider in the team and as reporter, records the assignment with the draw, and publishes the outcome without personal data (R10.3, R7.9)', async () => {
    // A team of 10: the pool up to the province (without the deciding reviewer) cannot give one.
    await addPolicyVersion(h, JINCHENG, policy(10));
    const { setup, claimId, draw } = await drawnClaim();
    expect(draw).toMatchObject({
      sampled: true,
      claimKind: 'FULL_REVIEW',
      teamSize: 10,
      widenedTo: null,
      inspectors: [],
      excluded: [REVIEWER],
      problem: expect.stringContaining('lead inspector'),
    });
    const task = await eventually(async () => (await tasksOf(claimId, TASK_KINDS.claimInspectionTeam, lead()))[0], 'team task');

    // The lead inspector brings in inspectors from elsewhere: registered now, they are in no draw's pool.
    await h.db.inspector.createMany({
      data: team.map((userId) => ({ userId, name: '晋城检查员', regionCode: JINCHENG })),
      skipDuplicates: true,
    });
    const withDecider = await h.http('POST', `/tasks/${task.id}/decision`, {
      token: lead(),
      body: { inspectors: [REVIEWER, ...team.slice(1)] },
    });
    expect(withDecider.status).toBe(422);
    expect(withDecider.body.error).toMatchObject({ code: 'INVALID_DECISION', messageZh: expect.any(String) });
    expect(withDecider.body.error.details).toEqual([
      expect.objectContaining({ field: 'inspectors', problem: expect.stringContaining(REVIEWER) }),
    ]);
    const asInspector = await h.http('POST', `/tasks/${task.id}/decision`, { token: inspector(team[0]), body: { inspectors: team } });
    expect(asInspector.status).toBe(403); // the lead inspector's task

    const assigned = await h.http('POST', `/tasks/${task.id}/decision`, { token: lead(), body: { inspectors: team } });
    expect(assigned.status).toBe(200);
    const again = await h.http('POST', `/tasks/${task.id}/decision`, { token: lead(), body: { inspectors: team } });
    expect(again.status).toBe(409);

    // The named team, and only it, gets the inspection task.
    const inspection = await eventually(
      async () => (await tasksOf(claimId, TASK_KINDS.claimInspection, inspector(team[3])))[0],
      'inspection task',
    );
    expect([...inspection.assignees].sort()).toEqual(team);
    expect(await tasksOf(claimId, TASK_KINDS.claimInspection, inspector(REVIEWER))).toEqual([]);
    const decider = await h.http('POST', `/tasks/${inspection.id}/decision`, {
      token: inspector(REVIEWER),
      body: { outcome: 'CONFIRMED', findings: '核查属实' },
    });
    expect(decider.status).toBe(403);

    // Recorded with the claim's draw (same draw id), and audited once each.
    const claim = await claimWhere(claimId, (c) => c.postAudit?.inspectors?.length === 10, 'team recorded');
    expect(claim.postAudit).toMatchObject({
      drawId: draw.drawId,
      value: draw.value,
      sampled: true,
      inspectors: team,
      assignedBy: 'jc-lead',
    });
    const actions = (a: string) => claim.audit.filter((e: any) => e.action === a);
    expect(actions('CLAIM_POST_AUDIT_DRAWN')).toHaveLength(1);
    expect(actions('CLAIM_INSPECTION_TEAM_ASSIGNED')).toEqual([expect.objectContaining({ actorId: 'jc-lead' })]);
    expect(actions('CLAIM_INSPECTION_TEAM_OPENED')).toHaveLength(1);

    // A member reports; the inspection is then closed to the others.
    const trainee = setup.people[0];
    await report(claimId, team[3], `现场核查：学员${trainee.name}签到属实`);
    const late = await h.http('POST', `/tasks/${inspection.id}/decision`, {
      token: inspector(team[5]),
      body: { outcome: 'CONFIRMED', findings: '同意' },
    });
    expect(late.status).toBe(409);
    const done = await claimWhere(claimId, (c) => c.postAudit?.outcome === 'CONFIRMED', 'inspection recorded');
    expect(done.postAudit).toMatchObject({ drawId: draw.drawId, outcome: 'CONFIRMED', reportedBy: team[3], inspectors: team });

    // R10.3 results are published; R7.9 without the trainee, the findings or the inspectors.
    const published = await h.http('GET', `/public/inspections?region=${JINCHENG}&limit=100`);
    expect(published.status).toBe(200);
    const row = published.body.items.find((i: any) => i.claimId === claimId);
    expect(row).toMatchObject({
      outcome: 'CONFIRMED',
      claimKind: 'FULL_REVIEW',
      sampleRatePercent: 100,
      teamSize: 10,
      regionCode: JINCHENG,
      institution: { name: expect.any(String), creditCode: expect.any(String) },
    });
    const text = JSON.stringify(row);
    for (const secret of [trainee.name, trainee.residentId, 'jc-', '签到']) expect(text).not.toContain(secret);
    expect(row).not.toHaveProperty('findings');

    await completed(claimId);
    await replayAndMaybeRecord(h, claimWorkflowId(claimId), 'claim-inspection-team-assigned');
  }, 180_000);
});

describe('R10.3 the draw activity is idempotent', () => {
  it('returns the recorded draw on every retry, sequential or concurrent, and never draws again (one audit event)', async () => {
    // A paid claim's row as the workflow leaves it before the post-audit; the activity needs no more.
    const { institutionId, qualificationId } = await institutionRows(h.db, JINCHENG);
    const cls = await h.db.trainingClass.create({
      data: {
        institutionId,
        qualificationId,
        occupationCode: '4-10-01-06',
        level: 5,
        category: 'ENTERPRISE_EMPLOYEE',
        startDate: new Date('2026-03-02'),
        endDate: new Date('2026-03-06'),
        hours: 40,
        trainingDays: 5,
        regionCode: JINCHENG,
        createdBy: 'inspections-test',
      },
    });
    const claimId = randomUUID();
    await h.db.claim.create({
      data: {
        id: claimId,
        workflowId: claimWorkflowId(claimId),
        classId: cls.id,
        institutionId,
        regionCode: JINCHENG,
        category: 'ENTERPRISE_EMPLOYEE',
        status: 'PAID',
        approvedFen: 30_000,
        policyVersionIds: [],
        submittedBy: 'inspections-test',
      },
    });

    const activities = createClaimActivities(new ClaimRepository(h.db), new AnomalyRepository(h.db));
    const env = new MockActivityEnvironment({ workflowExecution: { workflowId: claimWorkflowId(claimId), runId: randomUUID() } });
    const input = { claimId, withCommitment: false, ratePercent: 100, teamSize: 2, rotation: { claims: 1, period: null } };
    const first = await env.run(activities.drawPostAudit, input);
    expect(first).toMatchObject({ sampled: true, ratePercent: 100, drawId: expect.stringMatching(/^[0-9a-f]{32}$/) });
    // A retry, even one given another rate, returns what was recorded: the draw is made once.
    const retry = await env.run(activities.drawPostAudit, { ...input, ratePercent: 0 });
    expect(retry).toEqual(first);
    const concurrent = await Promise.all(
      [1, 2, 3].map(() =>
        new MockActivityEnvironment({ workflowExecution: { workflowId: claimWorkflowId(claimId), runId: randomUUID() } }).run(
          activities.drawPostAudit,
          input,
        ),
      ),
    );
    for (const c of concurrent) expect(c).toEqual(first);

    expect(await h.db.auditEvent.count({ where: { caseType: 'CLAIM', caseId: claimId, action: 'CLAIM_POST_AUDIT_DRAWN' } })).toBe(1);
    const row = await h.db.claim.findUniqueOrThrow({ where: { id: claimId } });
    expect(row.postAuditDraw).toEqual(first);
  }, 30_000);
});

describe('R10.3 inspectors rotate', () => {
  const pool = ['jc-insp-1', 'jc-insp-2', 'jc-insp-3', 'jc-insp-4'];

  beforeAll(async () => {
    await h.db.inspector.createMany({
      data: pool.map((userId) => ({ userId, name: '晋城检查员', regionCode: JINCHENG })),
      skipDuplicates: true,
    });
    await addPolicyVersion(h, JINCHENG, policy(2));
  });

  it("leaves the team of the institution's previous sampled claim out of its next draw, records who was rotated out, and leaves other institutions' draws alone", async () => {
    const institution = await qualifiedInstitution(h, { regionCode: JINCHENG });
    const first = await drawnClaim(institution);
    expect(first.draw).toMatchObject({
      widenedTo: JINCHENG,
      excluded: [REVIEWER],
      rotation: { lookback: { claims: 1, period: null }, previousClaimIds: [], rotatedOut: [], relaxed: false },
    });
    const firstTeam = [...first.draw.inspectors].sort();
    expect(firstTeam).toHaveLength(2);
    expect(pool).toEqual(expect.arrayContaining(firstTeam));
    await report(first.claimId, firstTeam[0]);

    const [second, other] = await Promise.all([drawnClaim(institution), drawnClaim()]);
    const rest = pool.filter((u) => !firstTeam.includes(u));
    // The city's pool without the previous team still makes a team: exactly the two others.
    expect(second.draw).toMatchObject({
      sampled: true,
      teamSize: 2,
      widenedTo: JINCHENG,
      rotation: { previousClaimIds: [first.claimId], previousInspectors: firstTeam, rotatedOut: firstTeam, relaxed: false },
    });
    expect([...second.draw.inspectors].sort()).toEqual(rest);
    const audit = (await h.http('GET', `/claims/${second.claimId}`, { token: reviewer() })).body.audit;
    expect(audit.filter((a: any) => a.action === 'CLAIM_POST_AUDIT_DRAWN')).toHaveLength(1);
    // Another institution's claim: nobody rotates out of its draw.
    expect(other.draw.rotation).toMatchObject({ previousClaimIds: [], rotatedOut: [], relaxed: false });

    const task = await report(second.claimId, rest[1]);
    expect([...task.assignees].sort()).toEqual(rest);
    await report(other.claimId, other.draw.inspectors[0]);
    const published = (await h.http('GET', `/public/inspections?region=${JINCHENG}&limit=100`)).body.items;
    for (const id of [first.claimId, second.claimId, other.claimId])
      expect(published.find((i: any) => i.claimId === id)).toMatchObject({ outcome: 'CONFIRMED', teamSize: 2 });
    expect(JSON.stringify(published)).not.toMatch(/jc-insp|jc-reviewer|现场核查/);
    await completed(second.claimId);
    await replayAndMaybeRecord(h, claimWorkflowId(second.claimId), 'claim-draw-inspectors-rotated');
  }, 240_000);

  it('refuses a rotation period in working days with 400 and the field, and changes nothing (R10.3 parameter)', async () => {
    const admin = h.token({ sub: 'admin', roles: ['admin'], region: '140000' });
    const before = await h.db.policyVersion.count({ where: { regionCode: JINCHENG } });
    const res = await h.http('POST', '/policy/versions', {
      token: admin,
      body: {
        regionCode: JINCHENG,
        effectiveFrom: new Date(Date.now() - 60_000).toISOString(),
        note: 'bad rotation',
        parameters: { postAudit: { rotationLookback: { claims: 1, period: { unit: 'WORKING_DAYS', amount: 5 } } } },
      },
    });
    expect(res.status).toBe(400);
    expect(res.body.error.details.map((d: any) => d.field).join(' ')).toContain('rotationLookback');
    expect(await h.db.policyVersion.count({ where: { regionCode: JINCHENG } })).toBe(before);
  }, 30_000);
});
