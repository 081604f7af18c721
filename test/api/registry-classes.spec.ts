// Real-name registry (实名制, R5.4), training archive (R6.3), classes within scope (R2.3) and rosters (花名册),
// through HTTP on the real API, worker, Temporal and PostgreSQL.
import { addDays, shanghaiDate } from '../../workflows/domain/calendar';
import { maskResidentId } from '../../workflows/domain/resident-id';
import { peopleBase, personName, residentId, withWrongCheckDigit } from '../fixtures/people';
import { qualifiedInstitution, type QualifiedInstitution } from '../fixtures/qualified-institution';
import { startHarness, type Harness } from '../support/harness';

let h: Harness;
let inst: QualifiedInstitution;
let other: QualifiedInstitution;
beforeAll(async () => {
  h = await startHarness();
  [inst, other] = await Promise.all([qualifiedInstitution(h), qualifiedInstitution(h)]);
}, 60_000);
afterAll(async () => {
  await h?.stop();
});

const START = addDays(shanghaiDate(new Date()), 7);
const admin = () => h.token({ sub: 'admin-1', roles: ['admin'], region: '140000' });
const reviewer = (region = '140100') => h.token({ sub: `reviewer-${region}`, roles: ['reviewer'], region });

function classBody(q: QualifiedInstitution, overrides: Record<string, unknown> = {}) {
  return {
    qualificationId: q.qualificationId,
    occupationCode: '4-10-01-06', // 家政服务员, granted at levels 5–3
    level: 5,
    category: 'WORKER',
    startDate: START,
    endDate: addDays(START, 9),
    hours: 80,
    trainingDays: 10,
    regionCode: '140105',
    ...overrides,
  };
}

async function openClass(q: QualifiedInstitution = inst, overrides: Record<string, unknown> = {}): Promise<string> {
  const res = await h.http('POST', '/classes', { token: q.token, body: classBody(q, overrides) });
  expect(res.status).toBe(201);
  return res.body.id;
}

const people = (n: number, base = peopleBase()) =>
  Array.from({ length: n }, (_, i) => ({ residentId: residentId(base + i), name: personName(base + i) }));
const upload = (classId: string, body: unknown, token = inst.token) => h.http('POST', `/classes/${classId}/roster`, { token, body });
const uploadCsv = (classId: string, csv: string, token = inst.token) =>
  h.http('POST', `/classes/${classId}/roster`, { token, raw: csv, headers: { 'content-type': 'text/csv; charset=utf-8' } });

describe('training classes (R2.3)', () => {
  it('opens a class inside the qualification scope, replaying an Idempotency-Key', async () => {
    const headers = { 'Idempotency-Key': `class-${inst.institutionId}` };
    const res = await h.http('POST', '/classes', { token: inst.token, body: classBody(inst, { level: 4 }), headers });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      institutionId: inst.institutionId,
      qualificationId: inst.qualificationId,
      occupationCode: '4-10-01-06',
      level: 4,
      category: 'WORKER',
      startDate: START,
      catalogueStandardFen: null,
      createdBy: `inst-${inst.institutionId.slice(0, 8)}`,
      counts: { enrolled: 0 },
      roster: [],
    });
    const again = await h.http('POST', '/classes', { token: inst.token, body: classBody(inst, { level: 4 }), headers });
    expect(again.body.id).toBe(res.body.id);
    expect(await h.db.trainingClass.count({ where: { institutionId: inst.institutionId, level: 4 } })).toBe(1);
  });

  it.each([
    ['an occupation outside the scope', { occupationCode: '4-01-02-01' }, 'OUT_OF_SCOPE', 'occupationCode'],
    ['a level outside the scope', { level: 1 }, 'OUT_OF_SCOPE', 'level'],
    ['dates beyond the validity', { endDate: '2099-12-31' }, 'QUALIFICATION_NOT_VALID', 'endDate'],
  ])('refuses %s with 422 and stores nothing', async (_, overrides, code, field) => {
    const before = await h.db.trainingClass.count();
    const res = await h.http('POST', '/classes', { token: inst.token, body: classBody(inst, overrides) });
    expect(res.status).toBe(422);
    expect(res.body.error).toMatchObject({ code, message: expect.stringContaining('R2.3'), messageZh: expect.stringContaining('R2.3') });
    expect(res.body.error.details).toEqual([expect.objectContaining({ field, problemZh: expect.any(String) })]);
    expect(await h.db.trainingClass.count()).toBe(before);
  });

  it("refuses another institution's qualification (422) and bad dates (400)", async () => {
    const foreign = await h.http('POST', '/classes', { token: inst.token, body: classBody(other) });
    expect(foreign.status).toBe(422);
    expect(foreign.body.error.code).toBe('QUALIFICATION_NOT_VALID');
    const backwards = await h.http('POST', '/classes', { token: inst.token, body: classBody(inst, { endDate: addDays(START, -1) }) });
    expect(backwards.status).toBe(400);
    expect(backwards.body.error.details[0].field).toBe('endDate');
    expect((await h.http('POST', '/classes', { token: reviewer(), body: classBody(inst) })).status).toBe(403);
  });

  it('refuses a class under a suspended qualification (422)', async () => {
    const q = await qualifiedInstitution(h);
    await h.db.qualification.update({ where: { id: q.qualificationId }, data: { status: 'SUSPENDED', statusReason: 'test' } });
    const res = await h.http('POST', '/classes', { token: q.token, body: classBody(q) });
    expect(res.status).toBe(422);
    expect(res.body.error).toMatchObject({
      code: 'QUALIFICATION_NOT_VALID',
      details: [expect.objectContaining({ problem: expect.stringContaining('SUSPENDED') })],
    });
    expect(await h.db.trainingClass.count({ where: { institutionId: q.institutionId } })).toBe(0);
  });
});

describe('roster upload (花名册, R5.4)', () => {
  it('keeps the good rows of a JSON roster and reports a wrong check digit on its row, in both languages', async () => {
    const classId = await openClass();
    const [a, b, c] = people(3);
    const res = await upload(classId, {
      rows: [{ ...a, attendancePercent: 90 }, { ...b, residentId: withWrongCheckDigit(b.residentId) }, c],
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ classId, received: 3, accepted: 2, rejected: 1 });
    expect(res.body.errors).toEqual([
      { row: 2, field: 'residentId', problem: expect.stringContaining('GB 11643'), problemZh: expect.stringContaining('校验码') },
    ]);
    expect(JSON.stringify(res.body)).not.toContain(b.residentId.slice(6, 17));

    const cls = await h.http('GET', `/classes/${classId}`, { token: inst.token });
    expect(cls.body.counts).toEqual({ enrolled: 2, attendanceRecorded: 1, certified: 0 });
    expect(cls.body.roster.map((e: any) => e.trainee.residentId).sort()).toEqual(
      [maskResidentId(a.residentId), maskResidentId(c.residentId)].sort(),
    );
    expect(JSON.stringify(cls.body)).not.toContain(a.residentId);
    expect(await h.db.trainee.count({ where: { residentId: b.residentId } })).toBe(0);
  });

  it('reads a CSV with BOM and Chinese column names; a re-upload updates attendance and certificates', async () => {
    const classId = await openClass();
    const [a, b] = people(2);
    const first = `\uFEFF序号,姓名,公民身份号码,出勤率(%),出勤天数,建档立卡贫困劳动力\r\n1,${a.name},${a.residentId},70,7,是\r\n2,"${b.name}",${b.residentId},85,9,否\r\n`;
    const res = await uploadCsv(classId, first);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ received: 2, accepted: 2, rejected: 0, errors: [], ignoredColumns: ['序号'] });
    const trainee = await h.db.trainee.findUniqueOrThrow({ where: { residentId: a.residentId } });
    // R4.3: the poor-labourer column is the institution's declaration, kept on the enrolment, not the registry's fact
    expect(trainee).toMatchObject({ name: a.name, poorLabourer: false, regionCode: '140105' });
    expect(await h.db.enrolment.findFirstOrThrow({ where: { classId, traineeId: trainee.id } })).toMatchObject({
      declaredPoorLabourer: true,
    });

    const second = `姓名,身份证号码,出勤率,证书编号,证书等级,发证日期\n${a.name},${a.residentId},95,SX-001,初级工,${shanghaiDate(new Date())}\n`;
    expect((await uploadCsv(classId, second)).body).toMatchObject({ accepted: 1, rejected: 0 });
    const rows = await h.db.enrolment.findMany({ where: { classId }, include: { trainee: true } });
    expect(rows).toHaveLength(2);
    const ea = rows.find((e) => e.trainee.residentId === a.residentId)!;
    // stored as '5', which the client names LEVEL_5
    expect(ea).toMatchObject({ attendancePercent: 95, daysAttended: 7, certificateNumber: 'SX-001', certificateLevel: 'LEVEL_5' });
    // the API shows the level as the roster wrote it, not as the client names the enum value
    const roster = (await h.http('GET', `/classes/${classId}`, { token: inst.token })).body.roster;
    expect(roster.find((e: any) => e.enrolmentId === ea.id).certificate).toMatchObject({ number: 'SX-001', level: '5' });
    const archive = (await h.http('GET', `/trainees/${ea.traineeId}/archive`, { token: inst.token })).body;
    expect(archive.certificates).toEqual([expect.objectContaining({ certificateNumber: 'SX-001', level: '5' })]);
    expect(rows.find((e) => e.trainee.residentId === b.residentId)).toMatchObject({ attendancePercent: 85 });
  });

  it('refuses a resident ID registered under another name (R5.4), without overwriting it', async () => {
    const classId = await openClass();
    const [a, b] = people(2);
    await upload(classId, { rows: [a] });
    const res = await upload(classId, { rows: [b, { ...a, name: '冒名顶替' }] });
    expect(res.body).toMatchObject({
      accepted: 1,
      rejected: 1,
      errors: [expect.objectContaining({ row: 2, field: 'name', problem: expect.stringContaining('R5.4') })],
    });
    expect((await h.db.trainee.findUniqueOrThrow({ where: { residentId: a.residentId } })).name).toBe(a.name);
  });

  it('takes 2,000 people in one upload and refuses 2,001 without storing any', async () => {
    const classId = await openClass();
    const base = peopleBase();
    const tooMany = await upload(classId, { rows: people(2001, base) });
    expect(tooMany.status).toBe(413);
    expect(tooMany.body.error).toMatchObject({ code: 'ROSTER_TOO_LARGE', messageZh: expect.any(String) });
    expect(await h.db.enrolment.count({ where: { classId } })).toBe(0);
    expect(await h.db.trainee.count({ where: { residentId: residentId(base) } })).toBe(0);

    const csv = ['name,residentId,attendancePercent', ...people(2000, base).map((p) => `${p.name},${p.residentId},88`)].join('\n');
    const ok = await uploadCsv(classId, csv);
    expect(ok.body).toMatchObject({ received: 2000, accepted: 2000, rejected: 0 });
    expect(await h.db.enrolment.count({ where: { classId, attendancePercent: 88 } })).toBe(2000);
  }, 60_000);

  it("lets only the class's institution upload (403), and answers 404 for an unknown class", async () => {
    const classId = await openClass();
    const res = await upload(classId, { rows: people(1) }, other.token);
    expect(res.status).toBe(403);
    expect(await h.db.enrolment.count({ where: { classId } })).toBe(0);
    expect((await h.http('GET', `/classes/${classId}`, { token: other.token })).status).toBe(403);
    expect((await upload('00000000-0000-4000-8000-000000000000', { rows: people(1) })).status).toBe(404);
    expect((await upload(classId, { rows: 'x' })).status).toBe(400);
  });
});

describe('real-name registry and archive (R5.4, R6.3)', () => {
  it('registers a person with the ID masked for institutions and reviewers, full for admins and inspectors', async () => {
    const [p] = people(1);
    const body = { ...p, regionCode: '140105', poorLabourer: true, inServiceEmployee: false };
    const created = await h.http('POST', '/trainees', { token: reviewer(), body });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      created: true,
      residentId: maskResidentId(p.residentId),
      name: p.name,
      poorLabourer: true,
      birthDate: expect.stringMatching(/^(19|20)\d\d-\d\d-\d\d$/),
    });
    const updated = await h.http('POST', '/trainees', { token: admin(), body: { ...body, employedAfterTraining: true } });
    expect(updated.status).toBe(200);
    expect(updated.body).toMatchObject({ created: false, id: created.body.id, residentId: p.residentId, employedAfterTraining: true });
    const inspector = h.token({ sub: 'insp', roles: ['inspector'], region: '140100' });
    expect((await h.http('GET', `/trainees/${created.body.id}/archive`, { token: inspector })).body.trainee.residentId).toBe(p.residentId);
  });

  it('refuses a resident ID failing GB 11643 (400, field residentId)', async () => {
    const [p] = people(1);
    const res = await h.http('POST', '/trainees', {
      token: reviewer(),
      body: { ...p, residentId: withWrongCheckDigit(p.residentId), regionCode: '140105' },
    });
    expect(res.status).toBe(400);
    expect(res.body.error.details).toEqual([
      expect.objectContaining({ field: 'residentId', problemZh: expect.stringContaining('校验码') }),
    ]);
  });

  it('shows a worker their own archive only; staff their region; an institution its rosters', async () => {
    const classId = await openClass();
    const [a, b] = people(2);
    await upload(classId, {
      rows: [
        { ...a, attendancePercent: 92, certificateNumber: 'SX-9', certificateLevel: '五级', certificateDate: shanghaiDate(new Date()) },
        b,
      ],
    });
    const ids = await h.db.trainee.findMany({ where: { residentId: { in: [a.residentId, b.residentId] } } });
    const aId = ids.find((t) => t.residentId === a.residentId)!.id;
    const bId = ids.find((t) => t.residentId === b.residentId)!.id;

    const worker = h.token({ sub: aId, roles: ['worker'], region: '140105' });
    const own = await h.http('GET', `/trainees/${aId}/archive`, { token: worker });
    expect(own.status).toBe(200);
    expect(own.body.trainee).toMatchObject({ id: aId, residentId: maskResidentId(a.residentId), name: a.name });
    expect(own.body.trainings).toEqual([
      expect.objectContaining({
        attendancePercent: 92,
        class: expect.objectContaining({
          id: classId,
          level: 5,
          category: 'WORKER',
          startDate: START,
          institution: expect.objectContaining({ id: inst.institutionId }),
        }),
      }),
    ]);
    expect(own.body.certificates).toEqual([expect.objectContaining({ certificateNumber: 'SX-9', level: '5', classId })]);
    expect(own.body.subsidies).toEqual([]);
    const foreign = await h.http('GET', `/trainees/${bId}/archive`, { token: worker });
    expect(foreign.status).toBe(403);
    expect(foreign.body.error.messageZh).toEqual(expect.any(String));

    expect((await h.http('GET', `/trainees/${bId}/archive`, { token: reviewer('140100') })).status).toBe(200);
    expect((await h.http('GET', `/trainees/${bId}/archive`, { token: reviewer('140200') })).status).toBe(403);
    expect((await h.http('GET', `/trainees/${bId}/archive`, { token: inst.token })).status).toBe(200);
    expect((await h.http('GET', `/trainees/${bId}/archive`, { token: other.token })).status).toBe(403);
    expect((await h.http('GET', '/trainees/00000000-0000-4000-8000-000000000000/archive', { token: admin() })).status).toBe(404);
  });
});
