// R9.9 the official calendar as data, through HTTP: the package's years are seeded, an administrator loads a
// year's arrangement (JSON or CSV) as a new version, GET /calendar/:year shows it; a review deadline over a
// year no version covers is provisional and moves when that year's version arrives.
//
// The deadlines reach into 2027 (the first year the chinese-days package does not cover) through a policy
// version with a long WORKING_DAYS review period for Shuozhou, which no other test file files or claims in.
import { claimWorkflowId } from '../../workflows/contracts/claim';
import {
  calendarFromData,
  deadline,
  nextWorkingDay,
  officialCalendar,
  packageCalendarDays,
  shanghaiDate,
  type CoveredCalendar,
} from '../../workflows/domain/calendar';
import { classWithRoster } from '../fixtures/claims';
import { CSV_2027, HOLIDAYS_2027, TEST_2027_SOURCE, WORKDAYS_2027 } from '../fixtures/calendar-2027';
import { application, newInstitutionId } from '../fixtures/filing';
import { addPolicyVersion, eventually, replayAndMaybeRecord, startHarness, type Harness } from '../support/harness';
import { TASK_KINDS } from '../../workflows/contracts/tasks';

let h: Harness;
const SHUOZHOU = '140600';
const YEAR = 2027;

// Enough working days from today that the deadline falls after the 2027 Spring Festival: counted Mon–Fri
// over 2027 (not covered yet) it differs from the count on the 2027 arrangement.
const reviewPeriod = (() => {
  let d = shanghaiDate(new Date());
  let n = 0;
  while (d < `${YEAR}-03-01`) {
    d = nextWorkingDay(d, officialCalendar);
    n++;
  }
  return { unit: 'WORKING_DAYS' as const, amount: n };
})();

const pkg2026 = packageCalendarDays.filter((d) => d.date >= '2026-01-01');
const with2027: CoveredCalendar = calendarFromData({
  coveredYears: [2026, YEAR],
  holidays: [...pkg2026.filter((d) => d.type === 'HOLIDAY').map((d) => d.date), ...HOLIDAYS_2027.map((d) => d.date)],
  workdays: [...pkg2026.filter((d) => d.type === 'WORKDAY').map((d) => d.date), ...WORKDAYS_2027.map((d) => d.date)],
});

/** The due date a task opened at about `createdAt` gets: the workflow took "now" a moment before the row was written. */
const dueFor = (createdAt: string, cal: CoveredCalendar) =>
  [0, 5_000].map((ms) => deadline(new Date(Date.parse(createdAt) - ms), reviewPeriod, cal).end.toISOString());

const admin = () => h.token({ sub: 'calendar-admin', roles: ['admin'], region: '140000' });
const reviewer = () => h.token({ sub: 'calendar-reviewer', roles: ['reviewer'], region: SHUOZHOU });

async function openTask(caseId: string, kind: string) {
  return eventually(async () => {
    const inbox = await h.http('GET', '/tasks?limit=200', { token: reviewer() });
    return inbox.body.items.find((t: any) => t.caseId === caseId && t.kind === kind);
  }, `task ${kind}`);
}

beforeAll(async () => {
  h = await startHarness();
  await addPolicyVersion(
    h,
    SHUOZHOU,
    { filing: { reviewPeriod }, claim: { reviewPeriod } },
    'test: review deadlines reaching into 2027 (R9.9)',
  );
});
afterAll(async () => {
  await h?.stop();
});

describe('R9.9 the calendar as data', () => {
  it('R9.9 seeds the package years as version 1 each, readable by any signed-in user', async () => {
    const worker = h.token({ sub: 'w-1', roles: ['worker'], region: '140100' });
    const y2026 = await h.http('GET', '/calendar/2026', { token: worker });
    expect(y2026.status).toBe(200);
    expect(y2026.body).toMatchObject({
      year: 2026,
      covered: true,
      version: 1,
      loadedBy: 'system',
      source: expect.stringContaining('chinese-days'),
    });
    expect(y2026.body.days).toContainEqual({ date: '2026-02-17', type: 'HOLIDAY', name: expect.stringContaining('春节') });
    expect(y2026.body.days).toContainEqual({ date: '2026-02-28', type: 'WORKDAY', name: expect.stringContaining('春节') });
    expect((await h.http('GET', '/calendar/2004', { token: worker })).body).toMatchObject({ covered: true, version: 1 });
    expect(await h.db.calendarVersion.count({ where: { version: 1, loadedBy: 'system' } })).toBe(23);
    const y2027 = await h.http('GET', `/calendar/${YEAR}`, { token: worker });
    expect(y2027.body).toMatchObject({ year: YEAR, covered: false, version: null, days: [], noteZh: expect.any(String) });
    expect((await h.http('GET', '/calendar/2027', {})).status).toBe(401);
  });

  it('R9.9 refuses bad uploads with a bilingual 4xx and loads nothing', async () => {
    const good = { year: YEAR, source: TEST_2027_SOURCE, holidays: HOLIDAYS_2027, workdays: WORKDAYS_2027 };
    const cases: [string, { body?: unknown; raw?: string; path?: string; token?: string; type?: string }, number, string, string?][] = [
      ['not an admin', { body: good, token: reviewer() }, 403, 'FORBIDDEN_ROLE'],
      ['a weekday as an adjusted working day', { body: { ...good, workdays: ['2027-02-19'] } }, 422, 'INVALID_CALENDAR', 'workdays[0]'],
      [
        'a date of another year',
        { body: { ...good, holidays: [...HOLIDAYS_2027, '2028-01-01'] } },
        422,
        'INVALID_CALENDAR',
        `holidays[${HOLIDAYS_2027.length}]`,
      ],
      [
        'a date both off and working',
        { body: { ...good, workdays: [...WORKDAYS_2027, '2027-10-02'] } },
        422,
        'INVALID_CALENDAR',
        `workdays[${WORKDAYS_2027.length}]`,
      ],
      ['no source', { body: { ...good, source: ' ' } }, 400, 'VALIDATION_FAILED', 'source'],
      ['a year out of range', { body: { ...good, year: 1990 } }, 400, 'VALIDATION_FAILED', 'year'],
      ['a CSV without its year and source', { raw: CSV_2027, type: 'text/csv' }, 400, 'VALIDATION_FAILED'],
      [
        'a CSV with a bad row',
        { raw: CSV_2027 + '2027-13-01,holiday,x\r\n', path: `?year=${YEAR}&source=test`, type: 'text/csv' },
        422,
        'INVALID_CALENDAR',
        `row ${HOLIDAYS_2027.length + WORKDAYS_2027.length + 1}`,
      ],
      [
        'a CSV without a type column',
        { raw: 'date,name\r\n2027-10-01,国庆节\r\n', path: `?year=${YEAR}&source=test`, type: 'text/csv' },
        422,
        'CALENDAR_UNREADABLE',
        'header',
      ],
    ];
    for (const [what, req, status, code, field] of cases) {
      const res = await h.http('POST', `/calendar/versions${req.path ?? ''}`, {
        token: req.token ?? admin(),
        body: req.body,
        raw: req.raw,
        headers: req.type ? { 'content-type': req.type } : {},
      });
      expect({ what, status: res.status, code: res.body.error?.code }).toEqual({ what, status, code });
      expect(res.body.error.messageZh).toBeTruthy();
      if (field) expect(res.body.error.details.map((d: any) => d.field)).toContain(field);
    }
    expect(await h.db.calendarVersion.count({ where: { year: YEAR } })).toBe(0);
    expect((await h.http('GET', '/calendar/abc', { token: admin() })).status).toBe(400);
  });

  it('R9.9 a review due in an uncovered year is provisional, and is recomputed when the year is loaded', async () => {
    // A filing (R2.1) and a claim without commitment, both in review with deadlines in 2027.
    const institutionId = newInstitutionId();
    const instToken = h.token({
      sub: `inst-${institutionId.slice(0, 6)}`,
      roles: ['institution'],
      region: SHUOZHOU,
      institution: institutionId,
    });
    const app = application({ regionCode: SHUOZHOU });
    const filed = await h.http('POST', '/filings', { token: instToken, body: app });
    expect(filed.status).toBe(201);
    const filingId = filed.body.id;
    const setup = await classWithRoster(h, { regionCode: SHUOZHOU, category: 'ENTERPRISE_EMPLOYEE', people: [{ attendancePercent: 100 }] });
    const claimId = (
      await h.http('POST', '/claims', { token: setup.token, body: { classId: setup.classId, category: 'ENTERPRISE_EMPLOYEE' } })
    ).body.id;

    const filingTask = await openTask(filingId, TASK_KINDS.filingReview);
    const claimTask = await openTask(claimId, TASK_KINDS.claimReview);
    for (const t of [filingTask, claimTask]) {
      expect(t.dueProvisional).toBe(true);
      expect(dueFor(t.createdAt, officialCalendar)).toContain(new Date(t.dueAt).toISOString()); // Mon–Fri over 2027
      expect(new Date(t.dueAt).toISOString() > `${YEAR}-01-01`).toBe(true);
    }
    const before = new Date(filingTask.dueAt).toISOString();
    expect(dueFor(filingTask.createdAt, with2027)).not.toContain(before); // the arrangement does change it

    // The administrator loads 2027 from a CSV; the waiting workflows are told.
    const loaded = await h.http('POST', `/calendar/versions?year=${YEAR}&source=${encodeURIComponent(TEST_2027_SOURCE)}`, {
      token: admin(),
      raw: CSV_2027,
      headers: { 'content-type': 'text/csv' },
    });
    expect(loaded.status).toBe(201);
    expect(loaded.body).toMatchObject({
      year: YEAR,
      version: 1,
      covered: true,
      loadedBy: 'calendar-admin',
      holidays: HOLIDAYS_2027.length,
      workdays: WORKDAYS_2027.length,
    });
    expect(loaded.body.workflowsSignalled).toBeGreaterThanOrEqual(2);

    for (const t of [filingTask, claimTask]) {
      const moved = await eventually(async () => {
        const r = (await h.http('GET', `/tasks/${t.id}`, { token: reviewer() })).body;
        return r.dueProvisional === false && r;
      }, 'the recomputed due date');
      expect(dueFor(t.createdAt, with2027)).toContain(new Date(moved.dueAt).toISOString());
    }
    const filing = (await h.http('GET', `/filings/${filingId}`, { token: instToken })).body;
    expect(new Date(filing.reviewDueAt).toISOString()).toBe(
      new Date((await h.http('GET', `/tasks/${filingTask.id}`, { token: reviewer() })).body.dueAt).toISOString(),
    );
    const recomputed = await h.db.auditEvent.findMany({ where: { caseId: { in: [filingId, claimId] }, action: 'TASK_DUE_RECOMPUTED' } });
    expect(recomputed).toHaveLength(2);
    expect(recomputed.find((a) => a.caseId === filingId)!.details).toMatchObject({ from: before, provisional: false });

    const shown = (await h.http('GET', `/calendar/${YEAR}`, { token: reviewer() })).body;
    expect(shown).toMatchObject({ year: YEAR, covered: true, version: 1, source: TEST_2027_SOURCE });
    expect(shown.days).toContainEqual({ date: '2027-01-31', type: 'WORKDAY', name: '春节调休 Spring Festival' });

    // Both cases finish normally on the moved deadlines.
    const approved = await h.http('POST', `/tasks/${filingTask.id}/decision`, {
      token: reviewer(),
      body: { outcome: 'APPROVE', grantedScope: app.scope },
    });
    expect(approved.status).toBe(200);
    const { lines } = (await h.http('GET', `/claims/${claimId}`, { token: reviewer() })).body;
    const rejected = await h.http('POST', `/tasks/${claimTask.id}/decision`, {
      token: reviewer(),
      body: { lines: lines.map((l: any) => ({ lineId: l.id, approve: false, reason: '测试：驳回' })) },
    });
    expect(rejected.status).toBe(200);
    const filingWf = (await h.db.filing.findUniqueOrThrow({ where: { id: filingId } })).workflowId;
    for (const id of [filingWf, claimWorkflowId(claimId)]) {
      await eventually(async () => (await h.temporal.workflow.getHandle(id).describe()).status.name === 'COMPLETED', `${id} completed`);
    }
    await replayAndMaybeRecord(h, filingWf, 'filing-calendar-recomputed-approved');
    await replayAndMaybeRecord(h, claimWorkflowId(claimId), 'claim-calendar-recomputed-rejected');
  });

  it('R9.9 a newer version of a year wins, and the earlier ones stay listed (append-only)', async () => {
    // JSON this time, the Dragon Boat festival moved to a three-day break with its Sunday made up.
    const body = {
      year: YEAR,
      source: `${TEST_2027_SOURCE} (revised)`,
      holidays: [...HOLIDAYS_2027.filter((d) => d.date !== '2027-06-09'), '2027-06-09', '2027-06-10', '2027-06-11'],
      workdays: [...WORKDAYS_2027, { date: '2027-06-13', name: '端午节调休' }],
    };
    const res = await h.http('POST', '/calendar/versions', { token: admin(), body });
    expect(res.status).toBe(201);
    expect(res.body.version).toBe(2);
    const shown = (await h.http('GET', `/calendar/${YEAR}`, { token: admin() })).body;
    expect(shown).toMatchObject({ version: 2, source: body.source });
    expect(shown.versions.map((v: any) => v.version)).toEqual([2, 1]);
    expect(shown.days).toContainEqual({ date: '2027-06-11', type: 'HOLIDAY', name: '' });
    await expect(h.db.calendarVersion.deleteMany({ where: { year: YEAR } })).rejects.toThrow(/append-only/);
  });
});
