// R2.3 in China time through HTTP on the real stack: POST /classes and the claim's automatic check apply one
// rule — the qualification valid on every training day, as calendar dates in Asia/Shanghai — and claims are
// for finished training only (R6.1), within the city of the qualification.
import { addDays, shanghaiDate, startOfShanghaiDay } from '../../workflows/domain/calendar';
import { classWithRoster } from '../fixtures/claims';
import { qualifiedInstitution, type QualifiedInstitution } from '../fixtures/qualified-institution';
import { eventually, startHarness, type Harness } from '../support/harness';

let h: Harness;
const REGION = '140700'; // Jinzhong: no other test file claims here
const reviewer = () => h.token({ sub: 'validity-reviewer', roles: ['reviewer'], region: '140700' });
const today = () => shanghaiDate(new Date());
const D = () => addDays(today(), -20); // the grant day of these tests, in China time

beforeAll(async () => {
  h = await startHarness();
}, 60_000);
afterAll(async () => {
  await h?.stop();
});

/** A qualification granted on day D at `hhmm` Beijing time, valid through `lastDay` (validTo is exclusive). */
async function grantedAt(hhmm: string, lastDay: string): Promise<QualifiedInstitution> {
  const inst = await qualifiedInstitution(h, { regionCode: REGION, grantedDaysAgo: 0 });
  await h.db.qualification.update({
    where: { id: inst.qualificationId },
    data: { validFrom: new Date(`${D()}T${hhmm}:00+08:00`), validTo: startOfShanghaiDay(addDays(lastDay, 1)) },
  });
  return inst;
}

async function openClass(inst: QualifiedInstitution, startDate: string, endDate: string) {
  return h.http('POST', '/classes', {
    token: inst.token,
    body: {
      qualificationId: inst.qualificationId,
      occupationCode: '4-10-01-06',
      level: 5,
      category: 'WORKER',
      startDate,
      endDate,
      hours: 8,
      trainingDays: 1,
      regionCode: REGION,
    },
  });
}

/** Files a claim under full review and returns the rules its one line breaks. */
async function claimRules(setup: { token: string; classId: string }): Promise<string[]> {
  const res = await h.http('POST', '/claims', { token: setup.token, body: { classId: setup.classId, category: 'WORKER' } });
  expect(res.status).toBe(201);
  const lines = await eventually(async () => {
    const c = await h.http('GET', `/claims/${res.body.id}`, { token: reviewer() });
    return c.body.lines?.length > 0 && c.body.lines;
  }, 'claim lines');
  return lines[0].failures.map((f: { rule: string }) => f.rule);
}

describe('R2.3 a class starting on the grant day', () => {
  it.each(['07:59', '08:01'])('is opened and claimed when the qualification was granted at %s Beijing time', async (hhmm) => {
    const inst = await grantedAt(hhmm, addDays(today(), 300));
    const opened = await openClass(inst, D(), D());
    expect(opened.status).toBe(201);
    const setup = await classWithRoster(h, {
      regionCode: REGION,
      category: 'WORKER',
      startDate: D(),
      people: [{ attendancePercent: 100 }],
      institution: inst,
    });
    expect(await claimRules(setup)).toEqual([]);
  });

  it('is refused a day before the grant day, with the first valid day', async () => {
    const inst = await grantedAt('08:01', addDays(today(), 300));
    const res = await openClass(inst, addDays(D(), -1), D());
    expect(res.status).toBe(422);
    expect(res.body.error).toMatchObject({
      code: 'QUALIFICATION_NOT_VALID',
      details: [expect.objectContaining({ field: 'startDate', problem: `valid only from ${D()}` })],
    });
  });
});

describe('R2.3 the last day of validity', () => {
  it('opens and pays a class ending on the last valid day; a class ending a day later is refused at both steps', async () => {
    const last = addDays(today(), -2);
    const inst = await grantedAt('10:00', last);
    expect((await openClass(inst, addDays(last, -1), last)).status).toBe(201);
    const after = await openClass(inst, addDays(last, -1), addDays(last, 1));
    expect(after.status).toBe(422);
    expect(after.body.error.details).toEqual([
      expect.objectContaining({ field: 'endDate', problem: `valid only until ${last} (its last day)` }),
    ]);

    const onLastDay = await classWithRoster(h, {
      regionCode: REGION,
      category: 'WORKER',
      startDate: addDays(last, -1),
      endDate: last,
      trainingDays: 2,
      people: [{ attendancePercent: 100 }],
      institution: inst,
    });
    expect(await claimRules(onLastDay)).toEqual([]);
    // The same class, were its qualification one day shorter: the claim's check refuses it too.
    const dayAfter = await classWithRoster(h, {
      regionCode: REGION,
      category: 'WORKER',
      startDate: addDays(last, -1),
      endDate: last,
      trainingDays: 2,
      people: [{ attendancePercent: 100 }],
      institution: inst,
    });
    await h.db.qualification.update({ where: { id: inst.qualificationId }, data: { validTo: startOfShanghaiDay(last) } });
    expect(await claimRules(dayAfter)).toEqual(['R2.3']);
  });

  it('keeps training done while valid claimable after the qualification expires or is suspended, not after a revocation', async () => {
    const inst = await grantedAt('09:00', addDays(today(), 300));
    const classes = await Promise.all(
      [0, 1, 2].map(() =>
        classWithRoster(h, { regionCode: REGION, category: 'WORKER', people: [{ attendancePercent: 100 }], institution: inst }),
      ),
    );
    await h.db.qualification.update({
      where: { id: inst.qualificationId },
      data: { status: 'EXPIRED', validTo: startOfShanghaiDay(today()) },
    });
    expect(await claimRules(classes[0])).toEqual([]);
    await h.db.qualification.update({
      where: { id: inst.qualificationId },
      data: { status: 'SUSPENDED', suspendedAt: new Date(), validTo: startOfShanghaiDay(addDays(today(), 300)) },
    });
    expect(await claimRules(classes[1])).toEqual([]);
    await h.db.qualification.update({ where: { id: inst.qualificationId }, data: { status: 'REVOKED' } });
    expect(await claimRules(classes[2])).toEqual(['R2.3']);
  });
});

describe('claims only for finished training (R6.1) in the qualification’s city', () => {
  it('refuses a claim for a class whose last day (China time) has not passed, and stores nothing', async () => {
    const inst = await qualifiedInstitution(h, { regionCode: REGION });
    const running = await classWithRoster(h, {
      regionCode: REGION,
      category: 'WORKER',
      startDate: addDays(today(), -1),
      endDate: today(),
      trainingDays: 2,
      people: [{ attendancePercent: 100 }],
      institution: inst,
    });
    const res = await h.http('POST', '/claims', { token: inst.token, body: { classId: running.classId, category: 'WORKER' } });
    expect(res.status).toBe(422);
    expect(res.body.error).toMatchObject({
      code: 'TRAINING_NOT_FINISHED',
      message: expect.stringContaining(today()),
      messageZh: expect.stringContaining('结业'),
    });
    expect(await h.db.claim.count({ where: { classId: running.classId } })).toBe(0);
  });

  it('refuses a class in another city than the qualification’s', async () => {
    const inst = await qualifiedInstitution(h, { regionCode: REGION });
    const res = await h.http('POST', '/classes', {
      token: inst.token,
      body: {
        qualificationId: inst.qualificationId,
        occupationCode: '4-10-01-06',
        level: 5,
        category: 'WORKER',
        startDate: today(),
        endDate: today(),
        hours: 8,
        trainingDays: 1,
        regionCode: '140105',
      },
    });
    expect(res.status).toBe(422);
    expect(res.body.error).toMatchObject({
      code: 'REGION_OUTSIDE_QUALIFICATION',
      details: [expect.objectContaining({ field: 'regionCode' })],
    });
  });
});
