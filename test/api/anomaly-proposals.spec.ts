// Anomaly rules through HTTP on real Temporal and PostgreSQL (issue 10 item 1): every roster upload and claim
// check runs them, each anomaly becomes one proposal an inspector reads (GET /investigation-proposals) with the
// rule, what it saw and when, and nothing is decided: uploads and claims go on as before.
// Region 140300 (Yangquan), which eligibility-limits.spec.ts also uses: every query here names this file's
// institutions (the `institution` filter), so proposals of other files do not count.
import { addDays, shanghaiDate } from '../../workflows/domain/calendar';
import { classWithRoster, type ClassSetup, type RosterPerson } from '../fixtures/claims';
import { peopleBase, personName, residentId } from '../fixtures/people';
import { qualifiedInstitution, type QualifiedInstitution } from '../fixtures/qualified-institution';
import { eventually, startHarness, type Harness } from '../support/harness';

let h: Harness;
let inst: QualifiedInstitution;
let base: number;
const YANGQUAN = '140300';
const started = new Date();
const today = () => shanghaiDate(new Date());
const inspector = () => h.token({ sub: 'anomaly-inspector', roles: ['inspector'], region: YANGQUAN });

const yangquanClass = (people: RosterPerson[], offset: number, extra: Partial<Parameters<typeof classWithRoster>[1]> = {}) =>
  classWithRoster(h, { regionCode: YANGQUAN, category: 'WORKER', people, base: base + offset, institution: inst, ...extra });

async function proposals(query: Record<string, string>, token = inspector()) {
  const res = await h.http('GET', `/investigation-proposals?${new URLSearchParams({ institution: inst.institutionId, ...query })}`, {
    token,
  });
  expect(res.status).toBe(200);
  return res.body.items as any[];
}
/** Proposals of a rule that name this class or claim as their source, once there are `n`. */
const proposalsFor = (rule: string, sourceId: string, n = 1, institution = inst.institutionId) =>
  eventually(async () => {
    const items = (await proposals({ rule, institution })).filter((p) => p.sourceId === sourceId);
    return items.length >= n && items;
  }, `${rule} proposals for ${sourceId}`);

/** The roster again, as the institution uploads a correction: the same people, only the columns given. */
const reupload = (setup: ClassSetup, rows: object[]) =>
  h.http('POST', `/classes/${setup.classId}/roster`, { token: setup.token, body: { rows } });

function expectRecorded(p: any, rule: string, source: 'ROSTER' | 'CLAIM', sourceId: string) {
  expect(p).toMatchObject({ rule, status: 'PROPOSED', source, sourceId, regionCode: YANGQUAN, decision: null });
  expect(new Date(p.detectedAt).getTime()).toBeGreaterThanOrEqual(started.getTime() - 1000);
  expect(new Date(p.detectedAt).getTime()).toBeLessThanOrEqual(Date.now());
}

beforeAll(async () => {
  h = await startHarness();
  inst = await qualifiedInstitution(h, { regionCode: YANGQUAN });
  base = peopleBase();
});
afterAll(async () => {
  await h?.stop();
});

describe('anomaly rules propose investigations (issue 10 item 1), one proposal per rule', () => {
  it('a clean class proposes nothing', async () => {
    const start = addDays(today(), -10);
    const setup = await yangquanClass(
      [
        {
          phone: '13800000001',
          certificateNumber: 'YQ-CLEAN-1',
          certificateLevel: '5',
          certificateDate: addDays(start, 5),
          daysAttended: 5,
        },
        { phone: '13800000002', daysAttended: 5 },
        { phone: '13800000002', daysAttended: 4 }, // two sharing a phone: under K (3)
      ],
      0,
      { startDate: start, endDate: addDays(start, 4), trainingDays: 5 },
    );
    const claim = await h.http('POST', '/claims', { token: setup.token, body: { classId: setup.classId, category: 'WORKER' } });
    expect(claim.status).toBe(201);
    await eventually(async () => (await h.db.claimLine.count({ where: { claimId: claim.body.id } })) === 3, 'claim lines');
    await eventually(
      async () => (await h.db.auditEvent.count({ where: { caseId: claim.body.id, action: 'CLAIM_CHECKED' } })) === 1,
      'claim checked',
    );
    await new Promise((r) => setTimeout(r, 1000)); // the rules run right after the check
    const all = await proposals({});
    expect(all.filter((p) => [setup.classId, claim.body.id].includes(p.sourceId))).toEqual([]);
    expect(await h.db.investigationProposal.count({ where: { sourceId: { in: [setup.classId, claim.body.id] } } })).toBe(0);
  });

  it('(a) R5.1 one person in two classes whose dates overlap, proposed once however often the roster is uploaded', async () => {
    const first = await yangquanClass([{}, {}], 100);
    const second = await yangquanClass([{}], 100); // the same person as the first of `first`, on the same days
    const [p] = await proposalsFor('OVERLAPPING_CLASSES', second.classId);
    expectRecorded(p, 'OVERLAPPING_CLASSES', 'ROSTER', second.classId);
    expect(p.institutionId).toBe(inst.institutionId);
    expect(p.seen).toMatchObject({
      classId: second.classId,
      otherClassId: first.classId,
      otherInstitutionId: inst.institutionId,
      people: [{ traineeId: first.people[0].traineeId }],
    });
    expect(JSON.stringify(p)).not.toContain(first.people[0].residentId);

    const again = await reupload(second, [{ residentId: residentId(base + 100), name: personName(base + 100) }]);
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ accepted: 1, rejected: 0 }); // the upload's outcome is its own
    expect(await h.db.investigationProposal.count({ where: { rule: 'OVERLAPPING_CLASSES', sourceId: second.classId } })).toBe(1);
    // the first class's roster seen again names the same pair and people: still one proposal
    await reupload(first, [{ residentId: residentId(base + 100), name: personName(base + 100) }]);
    expect(
      await h.db.investigationProposal.count({
        where: { rule: 'OVERLAPPING_CLASSES', sourceId: { in: [first.classId, second.classId] } },
      }),
    ).toBe(1);
  });

  it('(b) R5.2 the same person, occupation and level claimed again, proposed by the claim check', async () => {
    const earlierStart = addDays(today(), -25);
    const earlier = await yangquanClass([{ attendancePercent: 100 }], 200, {
      startDate: earlierStart,
      endDate: addDays(earlierStart, 4),
      trainingDays: 5,
    });
    const later = await yangquanClass([{ attendancePercent: 100 }], 200);
    const c1 = await h.http('POST', '/claims', { token: earlier.token, body: { classId: earlier.classId, category: 'WORKER' } });
    expect(c1.status).toBe(201);
    await eventually(async () => (await h.db.claimLine.count({ where: { claimId: c1.body.id } })) === 1, 'first claim lines');
    const c2 = await h.http('POST', '/claims', { token: later.token, body: { classId: later.classId, category: 'WORKER' } });
    expect(c2.status).toBe(201);
    const [p] = await proposalsFor('REPEATED_TRAINING', c2.body.id);
    expectRecorded(p, 'REPEATED_TRAINING', 'CLAIM', c2.body.id);
    expect(p.seen).toMatchObject({
      claimId: c2.body.id,
      otherClaimId: c1.body.id,
      otherClassId: earlier.classId,
      occupationCode: '4-10-01-06',
      level: 5,
      people: [{ traineeId: later.people[0].traineeId }],
    });
    // the claim's own checks are untouched: its line is flagged by R5.2 as before, not by the proposal
    const lines = await h.db.claimLine.findMany({ where: { claimId: c2.body.id } });
    expect(lines.map((l) => (l.failures as any[]).map((f) => f.rule))).toEqual([['R5.2']]);
    expect(await h.db.claimLine.findMany({ where: { claimId: c1.body.id } })).toEqual([expect.objectContaining({ status: 'PASSED' })]);
  });

  it('(c) R4.4 a certificate dated before its class began', async () => {
    const start = addDays(today(), -40);
    const setup = await yangquanClass(
      [{ certificateNumber: `YQ-${base}-C`, certificateLevel: '5', certificateDate: addDays(start, -3) }, {}],
      300,
      { startDate: start, endDate: addDays(start, 4), trainingDays: 5 },
    );
    const [p] = await proposalsFor('CERTIFICATE_DATE', setup.classId);
    expectRecorded(p, 'CERTIFICATE_DATE', 'ROSTER', setup.classId);
    expect(p.seen).toMatchObject({
      classStartDate: start,
      people: [{ traineeId: setup.people[0].traineeId, certificateDate: addDays(start, -3), problem: 'BEFORE_CLASS' }],
    });
  });

  it('(d) R4.3 allowance days above the class’s training days', async () => {
    const setup = await yangquanClass([{ daysAttended: 5 }, { daysAttended: 5 }], 400);
    // days attended written around the roster's own check (which refuses more than the training days)
    await h.db.enrolment.updateMany({ where: { classId: setup.classId, traineeId: setup.people[0].traineeId }, data: { daysAttended: 7 } });
    const res = await reupload(setup, [{ residentId: setup.people[1].residentId, name: setup.people[1].name }]);
    expect(res.status).toBe(200);
    const [p] = await proposalsFor('ALLOWANCE_DAYS', setup.classId);
    expectRecorded(p, 'ALLOWANCE_DAYS', 'ROSTER', setup.classId);
    expect(p.seen).toMatchObject({ trainingDays: 5, people: [{ traineeId: setup.people[0].traineeId, daysAttended: 7 }] });
  });

  it('(e) R2.1 more trainees at a time than the institution filed it can take', async () => {
    const small = await qualifiedInstitution(h, { regionCode: YANGQUAN, capacity: 2 });
    const setup = await classWithRoster(h, {
      regionCode: YANGQUAN,
      category: 'WORKER',
      people: [{}, {}, {}],
      base: base + 500,
      institution: small,
    });
    expect(setup.people).toHaveLength(3); // the roster is stored: the rule only proposes
    const [p] = await proposalsFor('OVER_CAPACITY', setup.classId, 1, small.institutionId);
    expectRecorded(p, 'OVER_CAPACITY', 'ROSTER', setup.classId);
    expect(p.institutionId).toBe(small.institutionId);
    expect(p.seen).toEqual({ classId: setup.classId, limit: 'FILED_CAPACITY', allowed: 2, counted: 3 });
  });

  it('(f) R7.3 K (3) trainees of one class sharing a phone number; the number is never shown in full', async () => {
    const phone = '13912345678';
    const setup = await yangquanClass([{ phone }, { phone: '139 1234 5678' }, { phone: `+86${phone}` }, { phone: '13900000000' }], 600);
    const [p] = await proposalsFor('SHARED_PHONE', setup.classId);
    expectRecorded(p, 'SHARED_PHONE', 'ROSTER', setup.classId);
    expect(p.seen).toMatchObject({ phone: '*******5678', threshold: 3 });
    expect(p.seen.people.map((x: any) => x.traineeId).sort()).toEqual(
      setup.people
        .slice(0, 3)
        .map((x) => x.traineeId)
        .sort(),
    );
    expect(JSON.stringify(p)).not.toContain(phone);
    const cls = await h.http('GET', `/classes/${setup.classId}`, { token: inspector() });
    expect(cls.status).toBe(200);
    expect(JSON.stringify(cls.body)).not.toContain(phone);
  });
});

describe('a rule that fails never fails the upload or the claim', () => {
  it('the capacity rule cannot read a malformed filing: the roster is stored, the claim checked, the other rules still propose', async () => {
    const broken = await qualifiedInstitution(h, { regionCode: YANGQUAN });
    // a filing whose stored capacity is not a number: rule (e)'s query fails on it
    await h.db.$executeRaw`
      UPDATE "FilingRevision" r SET "application" = jsonb_set(r."application", '{capacity}', '"many"')
        FROM "Filing" f WHERE f."id" = r."filingId" AND f."qualificationId" = ${broken.qualificationId}::uuid`;
    const phone = '13711112222';
    const setup = await classWithRoster(h, {
      regionCode: YANGQUAN,
      category: 'WORKER',
      people: [
        { phone, attendancePercent: 100 },
        { phone, attendancePercent: 100 },
        { phone, attendancePercent: 100 },
      ],
      base: base + 700,
      institution: broken,
    }); // throws unless the upload answered 200 with every row accepted
    const [p] = await proposalsFor('SHARED_PHONE', setup.classId, 1, broken.institutionId);
    expectRecorded(p, 'SHARED_PHONE', 'ROSTER', setup.classId);
    expect(await h.db.investigationProposal.count({ where: { rule: 'OVER_CAPACITY', institutionId: broken.institutionId } })).toBe(0);

    const claim = await h.http('POST', '/claims', { token: setup.token, body: { classId: setup.classId, category: 'WORKER' } });
    expect(claim.status).toBe(201);
    const lines = await eventually(async () => {
      const c = await h.http('GET', `/claims/${claim.body.id}`, { token: inspector() });
      return c.body.lines?.length === 3 && c.body.lines;
    }, 'claim lines');
    expect(lines.map((l: any) => l.status)).toEqual(['PASSED', 'PASSED', 'PASSED']);
  });
});

describe('GET /investigation-proposals', () => {
  it('filters by rule and status, pages by cursor', async () => {
    const all = await proposals({});
    expect(all.length).toBeGreaterThanOrEqual(5);
    expect(new Set(all.map((p) => p.rule))).toEqual(
      new Set(['OVERLAPPING_CLASSES', 'REPEATED_TRAINING', 'CERTIFICATE_DATE', 'ALLOWANCE_DAYS', 'SHARED_PHONE']),
    );
    expect((await proposals({ rule: 'SHARED_PHONE' })).every((p) => p.rule === 'SHARED_PHONE')).toBe(true);
    expect(await proposals({ status: 'DISMISSED' })).toEqual([]);
    expect((await proposals({ status: 'PROPOSED' })).length).toBe(all.length);

    const first = await h.http('GET', `/investigation-proposals?institution=${inst.institutionId}&limit=2`, { token: inspector() });
    expect(first.body.items).toHaveLength(2);
    expect(first.body.nextCursor).toEqual(expect.any(String));
    const second = await h.http(
      'GET',
      `/investigation-proposals?institution=${inst.institutionId}&limit=200&cursor=${first.body.nextCursor}`,
      {
        token: inspector(),
      },
    );
    expect(second.body.items.map((p: any) => p.id)).toEqual(all.slice(2).map((p) => p.id));
  });

  it('is for inspectors of the region: another region, an institution and a reviewer are refused', async () => {
    const datong = h.token({ sub: 'anomaly-inspector-datong', roles: ['inspector'], region: '140200' });
    const otherRegion = await h.http('GET', `/investigation-proposals?region=${YANGQUAN}`, { token: datong });
    expect(otherRegion.status).toBe(403);
    expect(otherRegion.body.error).toMatchObject({ code: 'FORBIDDEN_REGION', messageZh: expect.stringMatching(/[\u4e00-\u9fff]/) });
    const own = await h.http('GET', `/investigation-proposals?institution=${inst.institutionId}`, { token: datong });
    expect(own.status).toBe(200);
    expect(own.body.items).toEqual([]); // Datong's inspectors do not see Yangquan's proposals
    const lead = h.token({ sub: 'anomaly-lead', roles: ['lead_inspector'], region: '140000' });
    expect(
      (await h.http('GET', `/investigation-proposals?institution=${inst.institutionId}`, { token: lead })).body.items.length,
    ).toBeGreaterThan(0);
    for (const token of [inst.token, h.token({ sub: 'anomaly-reviewer', roles: ['reviewer'], region: YANGQUAN })]) {
      const res = await h.http('GET', '/investigation-proposals', { token });
      expect(res.status).toBe(403);
      expect(res.body.error.code).toBe('FORBIDDEN_ROLE');
    }
    const bad = await h.http('GET', '/investigation-proposals?rule=NOT_A_RULE', { token: inspector() });
    expect(bad.status).toBe(400);
  });
});
