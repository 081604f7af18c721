// R4.3 living allowance through HTTP on real Temporal and PostgreSQL: the poor-labourer registry kept by bureau
// staff (never by a roster or the institution that claims), training days within a class's dates, allowance
// days = days attended, and one allowance per person per day enforced by the database.
// Region 140900 (Xinzhou). Claims here go under full review (no commitment): lines are checked and granted in
// the register, and no money moves, so the special account of 140900 that ledger.spec.ts checks is untouched.
import { addDays, shanghaiDate } from '../../workflows/domain/calendar';
import { classWithRoster, type ClassSetup } from '../fixtures/claims';
import { peopleBase, personName, residentId, withWrongCheckDigit } from '../fixtures/people';
import { qualifiedInstitution, type QualifiedInstitution } from '../fixtures/qualified-institution';
import { eventually, startHarness, type Harness } from '../support/harness';
import { TASK_KINDS } from '../../workflows/contracts/tasks';

let h: Harness;
let inst: QualifiedInstitution;
const XINZHOU = '140900';
const reviewer = (region = XINZHOU) => h.token({ sub: `allowance-reviewer-${region}`, roles: ['reviewer'], region });
const admin = () => h.token({ sub: 'allowance-admin', roles: ['admin'], region: '140000' });

const register = (rows: object[], token = reviewer()) => h.http('POST', '/trainees/poor-labourers', { token, body: { rows } });
const registerCsv = (csv: string, token = reviewer()) =>
  h.http('POST', '/trainees/poor-labourers', { token, raw: csv, headers: { 'content-type': 'text/csv; charset=utf-8' } });
const person = (seq: number) => ({ residentId: residentId(seq), name: personName(seq) });
const traineeOf = (seq: number) => h.db.trainee.findUnique({ where: { residentId: residentId(seq) } });

/** A finished class in Xinzhou (the last five days, five training days) with the given roster. */
const xinzhouClass = (
  people: Parameters<typeof classWithRoster>[1]['people'],
  base: number,
  extra: Partial<Parameters<typeof classWithRoster>[1]> = {},
) => classWithRoster(h, { regionCode: XINZHOU, category: 'WORKER', people, base, institution: inst, ...extra });

/** A POOR_LABOURER claim under full review; resolves once its lines are written. */
async function claimAllowance(setup: ClassSetup) {
  const res = await h.http('POST', '/claims', { token: setup.token, body: { classId: setup.classId, category: 'POOR_LABOURER' } });
  expect(res.status).toBe(201);
  return linesOf(res.body.id);
}
async function linesOf(claimId: string): Promise<any[]> {
  return eventually(async () => {
    const c = await h.http('GET', `/claims/${claimId}`, { token: reviewer() });
    return c.body.lines.length > 0 && c.body.lines;
  }, 'claim lines');
}
const rulesOf = (line: any) => line.failures.map((f: any) => f.rule);

beforeAll(async () => {
  h = await startHarness();
  inst = await qualifiedInstitution(h, { regionCode: XINZHOU });
});
afterAll(async () => {
  await h?.stop();
});

describe('the poor-labourer registry (R4.3): entered or imported by bureau staff only', () => {
  it('R4.3 a reviewer of the region registers people from JSON, row by row, each change audited', async () => {
    const base = peopleBase();
    const res = await register([
      { ...person(base), regionCode: '140902' }, // new to the real-name registry: registered with its region
      { ...person(base + 1), regionCode: '140105' }, // Taiyuan: outside the reviewer's region
      person(base + 2), // unknown and no region code
      { ...person(base + 3), residentId: withWrongCheckDigit(residentId(base + 3)), regionCode: XINZHOU },
    ]);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ received: 4, accepted: 1, rejected: 3, created: 1, registered: 1, removed: 0, unchanged: 0 });
    expect(res.body.errors.map((e: any) => [e.row, e.field])).toEqual([
      [2, 'regionCode'],
      [3, 'regionCode'],
      [4, 'residentId'],
    ]);
    for (const e of res.body.errors) expect(e.problemZh).toMatch(/[\u4e00-\u9fff]/);
    expect(JSON.stringify(res.body)).not.toContain(residentId(base).slice(6, 17));

    const a = (await traineeOf(base))!;
    expect(a).toMatchObject({ poorLabourer: true, regionCode: '140902', name: personName(base) });
    expect(await traineeOf(base + 1)).toBeNull();
    const audit = await h.db.auditEvent.findMany({ where: { caseType: 'TRAINEE', caseId: a.id } });
    expect(audit).toEqual([
      expect.objectContaining({ action: 'POOR_LABOURER_REGISTERED', actorId: `allowance-reviewer-${XINZHOU}`, actorRoles: ['reviewer'] }),
    ]);
    expect(JSON.stringify(audit.map((e) => e.details))).not.toContain(residentId(base));

    // The same import again changes nothing and audits nothing new.
    const again = await register([{ ...person(base), regionCode: '140902' }]);
    expect(again.body).toMatchObject({ accepted: 1, created: 0, registered: 0, unchanged: 1 });
    expect(await h.db.auditEvent.count({ where: { caseType: 'TRAINEE', caseId: a.id } })).toBe(1);
  });

  it('R4.3 imports a clerk CSV (BOM, Chinese columns, 是/否), removes people marked 否 and refuses a name that differs (R5.4)', async () => {
    const base = peopleBase();
    await register([
      { ...person(base), regionCode: XINZHOU },
      { ...person(base + 1), regionCode: XINZHOU },
    ]);
    const csv =
      `\uFEFF序号,姓名,公民身份号码,行政区划代码,建档立卡贫困劳动力\r\n` +
      `1,${personName(base)},${residentId(base)},,否\r\n` +
      `2,冒名顶替,${residentId(base + 1)},,是\r\n` +
      `3,${personName(base + 2)},${residentId(base + 2)},${XINZHOU},是\r\n` +
      `4,${personName(base + 3)},${residentId(base + 3)},${XINZHOU},可能\r\n`;
    const res = await registerCsv(csv, admin());
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      received: 4,
      accepted: 2,
      rejected: 2,
      created: 1,
      registered: 1,
      removed: 1,
      ignoredColumns: ['序号'],
    });
    expect(res.body.errors.map((e: any) => [e.row, e.field])).toEqual([
      [2, 'name'],
      [4, 'poorLabourer'],
    ]);
    expect((await traineeOf(base))!.poorLabourer).toBe(false);
    expect((await traineeOf(base + 1))!).toMatchObject({ poorLabourer: true, name: personName(base + 1) });
    const removed = await h.db.auditEvent.findMany({
      where: { caseType: 'TRAINEE', caseId: (await traineeOf(base))!.id },
      orderBy: { id: 'asc' },
    });
    expect(removed.map((e) => e.action)).toEqual(['POOR_LABOURER_REGISTERED', 'POOR_LABOURER_REMOVED']);
  });

  it('R4.3 refuses institutions, other roles and other regions; bad files change nothing', async () => {
    const base = peopleBase();
    const rows = [{ ...person(base), regionCode: XINZHOU }];
    expect((await register(rows, inst.token)).status).toBe(403);
    expect((await register(rows, h.token({ sub: 'fin', roles: ['finance'], region: XINZHOU }))).status).toBe(403);
    const taiyuan = await register(rows, reviewer('140100'));
    expect(taiyuan.body).toMatchObject({ accepted: 0, rejected: 1, errors: [expect.objectContaining({ field: 'regionCode' })] });
    const noColumn = await registerCsv(`姓名,行政区划代码\n${personName(base)},${XINZHOU}\n`);
    expect(noColumn.status).toBe(422);
    expect(noColumn.body.error).toMatchObject({ code: 'REGISTRY_UNREADABLE', messageZh: expect.any(String) });
    expect((await h.http('POST', '/trainees/poor-labourers', { token: reviewer(), body: { rows: 'x' } })).status).toBe(400);
    expect((await register([])).status).toBe(422);
    expect(await traineeOf(base)).toBeNull();

    // POST /trainees: an institution may not set the status either (R4.3), and nothing is written.
    const declared = await h.http('POST', '/trainees', {
      token: inst.token,
      body: { ...person(base), regionCode: XINZHOU, poorLabourer: true },
    });
    expect(declared.status).toBe(403);
    expect(declared.body.error).toMatchObject({
      code: 'REGISTRY_STAFF_ONLY',
      details: [expect.objectContaining({ field: 'poorLabourer' })],
    });
    expect(await traineeOf(base)).toBeNull();
  });
});

describe('a class and its roster (R4.3)', () => {
  it('R4.3 refuses a class whose training days exceed the calendar days from start to end (422), storing nothing', async () => {
    const start = addDays(shanghaiDate(new Date()), 10);
    const body = {
      qualificationId: inst.qualificationId,
      occupationCode: '4-10-01-06',
      level: 5,
      category: 'WORKER',
      startDate: start,
      endDate: addDays(start, 4),
      hours: 40,
      trainingDays: 6,
      regionCode: XINZHOU,
    };
    const before = await h.db.trainingClass.count({ where: { institutionId: inst.institutionId } });
    const res = await h.http('POST', '/classes', { token: inst.token, body });
    expect(res.status).toBe(422);
    expect(res.body.error).toMatchObject({
      code: 'TRAINING_DAYS_EXCEED_DATES',
      messageZh: expect.stringContaining('R4.3'),
      details: [expect.objectContaining({ field: 'trainingDays', problem: expect.stringContaining('5') })],
    });
    expect(await h.db.trainingClass.count({ where: { institutionId: inst.institutionId } })).toBe(before);
    expect((await h.http('POST', '/classes', { token: inst.token, body: { ...body, trainingDays: 5 } })).status).toBe(201);
  });

  it("R4.3 keeps a roster's poor-labourer column as the institution's declaration: it writes nothing to the registry and does not count", async () => {
    const base = peopleBase();
    await register([{ ...person(base + 1), regionCode: XINZHOU }]); // registered by the bureau
    const setup = await xinzhouClass(
      [
        { attendancePercent: 100, daysAttended: 4, poorLabourer: true }, // declared poor, not in the registry
        { attendancePercent: 100, daysAttended: 4, poorLabourer: false }, // declared not poor, registered
      ],
      base,
    );
    expect((await traineeOf(base))!.poorLabourer).toBe(false);
    expect((await traineeOf(base + 1))!.poorLabourer).toBe(true);
    const cls = await h.http('GET', `/classes/${setup.classId}`, { token: inst.token });
    const declared = Object.fromEntries(cls.body.roster.map((e: any) => [e.trainee.id, e.declaredPoorLabourer]));
    expect(declared).toEqual({ [setup.people[0].traineeId]: true, [setup.people[1].traineeId]: false });
    expect(JSON.stringify(cls.body)).not.toContain(residentId(base));

    const lines = await claimAllowance(setup);
    const of = (seq: number) => lines.find((l) => l.traineeId === setup.people[seq - base].traineeId);
    expect(rulesOf(of(base))).toEqual(['R4.3']);
    expect(of(base).failures[0].problem).toMatch(/registry/);
    expect(of(base + 1)).toMatchObject({ status: 'PASSED', amountFen: 6_000, failures: [] }); // 4 days × 15 yuan
  });

  it('R4.3 refuses a roster row with more days attended than the training days', async () => {
    const setup = await xinzhouClass([{ attendancePercent: 100, daysAttended: 5 }], peopleBase());
    const res = await h.http('POST', `/classes/${setup.classId}/roster`, {
      token: inst.token,
      body: { rows: [{ ...person(peopleBase()), daysAttended: 6 }] },
    });
    expect(res.body).toMatchObject({
      accepted: 0,
      rejected: 1,
      errors: [expect.objectContaining({ field: 'daysAttended', problem: expect.stringContaining('R4.3') })],
    });
  });
});

describe('one allowance per person per day (R4.3, enforced in PostgreSQL)', () => {
  it('R4.3 lets only one of two claims racing for the same person on overlapping classes pay', async () => {
    const base = peopleBase();
    await register([{ ...person(base), regionCode: XINZHOU }]);
    // Both classes run over the same five days; the person attended all five of each.
    const [a, b] = [
      await xinzhouClass([{ attendancePercent: 100, daysAttended: 5 }], base),
      await xinzhouClass([{ attendancePercent: 100, daysAttended: 5 }], base),
    ];
    const traineeId = a.people[0].traineeId;
    expect(b.people[0].traineeId).toBe(traineeId);
    const [la, lb] = (await Promise.all([claimAllowance(a), claimAllowance(b)])).map((lines) => lines[0]);
    expect([la.status, lb.status].sort()).toEqual(['FLAGGED', 'PASSED']);
    expect([...rulesOf(la), ...rulesOf(lb)]).toEqual(['R4.3']);
    expect([la, lb].find((l) => l.status === 'FLAGGED').failures[0].problem).toMatch(/one a day/);

    const days = await h.db.allowanceDay.findMany({ where: { traineeId }, orderBy: { day: 'asc' } });
    const start = addDays(shanghaiDate(new Date()), -5);
    expect(days.map((d) => d.day.toISOString().slice(0, 10))).toEqual([0, 1, 2, 3, 4].map((i) => addDays(start, i)));
    expect(new Set(days.map((d) => d.grantId)).size).toBe(1);
    expect(await h.db.subsidyGrant.count({ where: { traineeId, kind: 'ALLOWANCE' } })).toBe(1);
  });

  it('R4.3 pays both overlapping classes when their days attended fit in the days of their dates', async () => {
    const base = peopleBase();
    await register([{ ...person(base), regionCode: XINZHOU }]);
    const a = await xinzhouClass([{ attendancePercent: 100, daysAttended: 2 }], base);
    const b = await xinzhouClass([{ attendancePercent: 100, daysAttended: 3 }], base);
    const [la] = await claimAllowance(a);
    const [lb] = await claimAllowance(b);
    expect([la, lb].map((l) => [l.status, l.amountFen])).toEqual([
      ['PASSED', 3_000],
      ['PASSED', 4_500],
    ]);
    const days = await h.db.allowanceDay.findMany({ where: { traineeId: a.people[0].traineeId } });
    expect(new Set(days.map((d) => d.day.toISOString())).size).toBe(5);
  });

  it('R4.3 a rejected allowance line gives its days back, so another class can pay them', async () => {
    const base = peopleBase();
    await register([{ ...person(base), regionCode: XINZHOU }]);
    const a = await xinzhouClass([{ attendancePercent: 100, daysAttended: 5 }], base);
    const b = await xinzhouClass([{ attendancePercent: 100, daysAttended: 5 }], base);
    const [la] = await claimAllowance(a);
    expect(la.status).toBe('PASSED');
    const claimId = (await h.db.claimLine.findUniqueOrThrow({ where: { id: la.id } })).claimId;
    const task = await eventually(
      async () =>
        (await h.http('GET', '/tasks?limit=200', { token: reviewer() })).body.items.find(
          (t: any) => t.caseId === claimId && t.kind === TASK_KINDS.claimReview,
        ),
      'review task',
    );
    const decided = await h.http('POST', `/tasks/${task.id}/decision`, {
      token: reviewer(),
      body: { lines: [{ lineId: la.id, approve: false, reason: '出勤记录不实' }] },
    });
    expect(decided.status).toBe(200);
    await eventually(async () => (await h.db.allowanceDay.count({ where: { traineeId: a.people[0].traineeId } })) === 0, 'days given back');
    const [lb] = await claimAllowance(b);
    expect(lb).toMatchObject({ status: 'PASSED', amountFen: 7_500 });
  });

  it('R4.3 the database itself refuses a second allowance for a day, whatever the application does', async () => {
    const base = peopleBase();
    await register([{ ...person(base), regionCode: XINZHOU }]);
    const setup = await xinzhouClass([{ attendancePercent: 100, daysAttended: 1 }], base);
    const [line] = await claimAllowance(setup);
    expect(line.status).toBe('PASSED');
    const [taken] = await h.db.allowanceDay.findMany({ where: { traineeId: setup.people[0].traineeId } });
    const other = await h.db.subsidyGrant.findFirstOrThrow({ where: { claimLineId: line.id } });
    await expect(
      h.db.allowanceDay.create({ data: { traineeId: taken.traineeId, day: taken.day, grantId: other.id, classId: setup.classId } }),
    ).rejects.toThrow(/Unique constraint|unique/i);
  });
});
