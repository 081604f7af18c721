// A tender's schedule on the official working-day calendar (R9.1, R9.9), through HTTP with the law's own
// periods: a schedule one day short is refused naming each rule and proposing the earliest valid one, across
// a National Day holiday and its adjusted working Saturday (调休) as the database's calendar version has them.
// The year is three years ahead of the clock, so the dates are always in the future and the test holds on any
// day; its arrangement is loaded here, as a bureau's administrator would load the State Council's notice.
import { addDays, shanghaiDate } from '../../workflows/domain/calendar';
import { startHarness, type Harness } from '../support/harness';
import { tenderBody } from '../fixtures/procurement';

let h: Harness;
const DATONG = '140200';
const YEAR = Number(shanghaiDate(new Date()).slice(0, 4)) + 3;
const weekday = (iso: string) => new Date(`${iso}T00:00:00Z`).getUTCDay(); // 0 Sunday … 6 Saturday
const NATIONAL_DAY = ['01', '02', '03', '04', '05', '06', '07'].map((d) => `${YEAR}-10-${d}`);
/** 调休: the first Saturday after the holiday is a working day. */
const ADJUSTED_SATURDAY = (() => {
  let d = `${YEAR}-10-08`;
  while (weekday(d) !== 6) d = addDays(d, 1);
  return d;
})();

/** Working days as this test's arrangement has them: Monday–Friday, less the holiday, plus the adjusted Saturday. */
const isWorkingDay = (iso: string) => iso === ADJUSTED_SATURDAY || (!NATIONAL_DAY.includes(iso) && weekday(iso) >= 1 && weekday(iso) <= 5);
function nthWorkingDayAfter(iso: string, n: number): string {
  let d = iso;
  for (let i = 0; i < n;) {
    d = addDays(d, 1);
    if (isWorkingDay(d)) i++;
  }
  return d;
}

beforeAll(async () => {
  h = await startHarness();
  const admin = h.token({ sub: 'calendar-admin', roles: ['admin'], region: '140000' });
  const csv =
    'date,type,name\r\n' +
    [...NATIONAL_DAY.map((d) => `${d},holiday,国庆节 National Day`), `${ADJUSTED_SATURDAY},workday,国庆节调休 National Day`].join('\r\n') +
    '\r\n';
  const loaded = await h.http(
    'POST',
    `/calendar/versions?year=${YEAR}&source=${encodeURIComponent('TEST FIXTURE: National Day and one adjusted Saturday')}`,
    {
      token: admin,
      raw: csv,
      headers: { 'content-type': 'text/csv' },
    },
  );
  if (loaded.status !== 201) throw new Error(`calendar ${YEAR}: ${loaded.status} ${JSON.stringify(loaded.body)}`);
});
afterAll(async () => {
  await h?.stop();
});

const officer = () => h.token({ sub: 'datong-officer', roles: ['procurement'], region: DATONG });

describe('a tender schedule across National Day (R9.1, R9.9)', () => {
  it('R9.1 refuses a schedule one day short, naming each rule, and proposes the earliest valid one; that one is accepted', async () => {
    const from = `${YEAR}-09-29`;
    // R9.1 documents on offer ≥ 5 working days: counted from the day after the first issue, skipping the
    // holiday and counting the adjusted Saturday.
    const documentsLastDay = nthWorkingDayAfter(from, 5);
    // R9.1 ≥ 20 days from the first issue to the deadline; a last day that is not a working day moves to the next one (R9.9).
    let deadlineDay = addDays(from, 20);
    while (!isWorkingDay(deadlineDay)) deadlineDay = addDays(deadlineDay, 1);
    const schedule = {
      documentsFrom: `${from}T09:00:00+08:00`,
      documentsUntil: `${addDays(documentsLastDay, -1)}T17:00:00+08:00`, // one working day short
      responseDeadline: `${addDays(deadlineDay, -1)}T09:30:00+08:00`, // one day short
    };
    const refused = await h.http('POST', '/procurements', { token: officer(), body: tenderBody(DATONG, schedule) });
    expect(refused.status).toBe(422);
    expect(refused.body.error.code).toBe('SCHEDULE_TOO_SHORT');
    expect(refused.body.error.messageZh).toContain('R9.1');
    const fields = refused.body.error.details.map((d: any) => d.field);
    expect(fields).toEqual(expect.arrayContaining(['schedule.documentsUntil', 'schedule.responseDeadline']));
    const proposal = refused.body.error.proposal;
    expect(new Date(proposal.documentsFrom).toISOString()).toBe(new Date(schedule.documentsFrom).toISOString());
    expect(new Date(proposal.documentsUntil).toISOString()).toBe(new Date(`${documentsLastDay}T17:00:00+08:00`).toISOString());
    expect(new Date(proposal.responseDeadline).toISOString()).toBe(new Date(`${deadlineDay}T09:30:00+08:00`).toISOString());
    // Nothing was stored for the refused schedule.
    expect(await h.db.procurement.count({ where: { regionCode: DATONG } })).toBe(0);

    const accepted = await h.http('POST', '/procurements', { token: officer(), body: tenderBody(DATONG, proposal) });
    expect(accepted.status).toBe(201);
    expect(accepted.body.status).toBe('DRAFT');
  });

  it('R9.1 the adjusted Saturday counts as a working day and the holiday does not', () => {
    // The arrangement the test loaded: a guard that the expectations above really cross the holiday.
    expect(NATIONAL_DAY.some((d) => weekday(d) >= 1 && weekday(d) <= 5)).toBe(true);
    expect(nthWorkingDayAfter(`${YEAR}-09-29`, 5) > `${YEAR}-10-07`).toBe(true);
    expect(isWorkingDay(ADJUSTED_SATURDAY)).toBe(true);
  });
});
