/**
 * Working days and period arithmetic (期间计算) for policy deadlines.
 *
 * R9.9: working days follow the official Chinese calendar incl. adjusted working days (调休); a period
 * starts on the day after the event that opens it; a period whose last day is a holiday ends on the next
 * working day (Civil Code arts. 201, 203); month/year periods end on the corresponding day, or the month's
 * last day if there is none (art. 202). Periods in working days count only working days.
 *
 * Pure and deterministic (runs in the Temporal workflow sandbox): no clock, no Intl, no I/O.
 * Asia/Shanghai is UTC+8 with no DST since 1991, so plain offset arithmetic is exact.
 * Dates are ISO 'YYYY-MM-DD' strings in Shanghai local time.
 */
import calendarData from 'chinese-days/dist/chinese-days.json';

export interface WorkCalendar {
  isWorkingDay(isoDate: string): boolean;
}

export type PeriodUnit = 'SECONDS' | 'DAYS' | 'WORKING_DAYS' | 'MONTHS' | 'YEARS';

/** SECONDS exists so tests and demos can run with short policy durations. */
export interface PolicyPeriod {
  unit: PeriodUnit;
  amount: number;
}

const DAY_MS = 86_400_000;
const SHANGHAI_OFFSET_MS = 8 * 3_600_000;
/** Guard against endless loops on a calendar that has (almost) no working days. */
const MAX_SCAN_DAYS = 366 * 10;

/** Parses a strict ISO date; returns UTC-midnight millis of that calendar day. Throws on bad input. */
function parseIsoDate(isoDate: string, fn: string): number {
  const m = /^([0-9]{4})-([0-9]{2})-([0-9]{2})$/.exec(typeof isoDate === 'string' ? isoDate : '');
  if (m) {
    const y = Number(m[1]);
    const mo = Number(m[2]);
    const d = Number(m[3]);
    const ms = Date.UTC(y, mo - 1, d);
    const back = new Date(ms);
    // Date.UTC maps years 0–99 to 1900–1999 and rolls over bad days; the round trip catches both.
    if (back.getUTCFullYear() === y && back.getUTCMonth() === mo - 1 && back.getUTCDate() === d) return ms;
  }
  throw new Error(`${fn}: expected an ISO date YYYY-MM-DD, got ${JSON.stringify(isoDate)}`);
}

/** Formats UTC-midnight millis as 'YYYY-MM-DD'. */
function formatUtcDate(ms: number): string {
  const d = new Date(ms);
  const y = d.getUTCFullYear();
  if (y < 1000 || y > 9999) throw new Error(`date out of supported range (year ${y})`);
  const mo = String(d.getUTCMonth() + 1).padStart(2, '0');
  const day = String(d.getUTCDate()).padStart(2, '0');
  return `${y}-${mo}-${day}`;
}

function assertInteger(n: number, fn: string, min?: number): void {
  if (!Number.isInteger(n) || (min !== undefined && n < min)) {
    throw new Error(`${fn}: expected an integer${min !== undefined ? ` ≥ ${min}` : ''}, got ${n}`);
  }
}

/**
 * A calendar built from data (R9.9): the years some version covers, and for them the official days off
 * (法定节假日) and the weekend days that are working days (调休上班). A day in a year no version covers is
 * computed Mon–Fri, but `covers` says so, and a deadline computed over it is provisional.
 */
export interface CoveredCalendar extends WorkCalendar {
  covers(isoDate: string): boolean;
}

/** What a calendar is built from: plain data, so a workflow can receive it from an activity (recorded in history). */
export interface CalendarData {
  coveredYears: number[];
  holidays: string[];
  workdays: string[];
}

/** A calendar over data. Days listed for a year not in coveredYears are ignored: that year is Mon–Fri and uncovered. */
export function calendarFromData(data: CalendarData): CoveredCalendar {
  const years: ReadonlySet<number> = new Set(data.coveredYears);
  const holidays: ReadonlySet<string> = new Set(data.holidays);
  const workdays: ReadonlySet<string> = new Set(data.workdays);
  const covers = (isoDate: string) => {
    parseIsoDate(isoDate, 'covers');
    return years.has(Number(isoDate.slice(0, 4)));
  };
  return {
    covers,
    isWorkingDay(isoDate: string): boolean {
      const ms = parseIsoDate(isoDate, 'isWorkingDay');
      if (covers(isoDate)) {
        if (holidays.has(isoDate)) return false;
        if (workdays.has(isoDate)) return true;
      }
      const weekday = new Date(ms).getUTCDay(); // 0 = Sunday
      return weekday >= 1 && weekday <= 5;
    },
  };
}

// The JSON maps 'YYYY-MM-DD' → description ("Spring Festival,春节,4"). `holidays`: days off (法定节假日);
// `workdays`: weekend days that are working days (调休上班).
const data: { holidays: Record<string, string>; workdays: Record<string, string> } = calendarData;

/** The chinese-days package's arrangement (2004–2026): what the database is seeded with, version 1 of each year. */
export const packageCalendarDays: { date: string; type: 'HOLIDAY' | 'WORKDAY'; name: string }[] = [
  ...Object.entries(data.holidays).map(([date, d]) => ({ date, type: 'HOLIDAY' as const, name: dayName(d) })),
  ...Object.entries(data.workdays).map(([date, d]) => ({ date, type: 'WORKDAY' as const, name: dayName(d) })),
].sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));

function dayName(description: string): string {
  const [en, zh] = description.split(',');
  return zh ? `${zh} ${en}` : en;
}

/**
 * The official calendar of the chinese-days package, as compiled into the code. Outside the years it covers
 * (2004–2026) it degrades to plain Mon–Fri. Workflows recorded before the calendar became data (patch
 * 'calendar-data') keep computing with it; newer ones get the database's versions through an activity.
 */
export const officialCalendar: CoveredCalendar = calendarFromData({
  coveredYears: [...new Set(packageCalendarDays.map((d) => Number(d.date.slice(0, 4))))],
  holidays: Object.keys(data.holidays),
  workdays: Object.keys(data.workdays),
});

/** The calendar date in Asia/Shanghai of an instant. */
export function shanghaiDate(instant: Date): string {
  if (!(instant instanceof Date) || Number.isNaN(instant.getTime())) {
    throw new Error('shanghaiDate: expected a valid Date');
  }
  const local = instant.getTime() + SHANGHAI_OFFSET_MS;
  return formatUtcDate(local - (((local % DAY_MS) + DAY_MS) % DAY_MS));
}

/** The instant 00:00 Asia/Shanghai of a calendar date (= 16:00 UTC of the previous day). */
export function startOfShanghaiDay(isoDate: string): Date {
  return new Date(parseIsoDate(isoDate, 'startOfShanghaiDay') - SHANGHAI_OFFSET_MS);
}

/** Calendar-day arithmetic; n may be negative. */
export function addDays(isoDate: string, n: number): string {
  assertInteger(n, 'addDays');
  return formatUtcDate(parseIsoDate(isoDate, 'addDays') + n * DAY_MS);
}

/** The first working day strictly after isoDate. */
export function nextWorkingDay(isoDate: string, cal: WorkCalendar): string {
  parseIsoDate(isoDate, 'nextWorkingDay');
  let d = isoDate;
  for (let i = 0; i < MAX_SCAN_DAYS; i++) {
    d = addDays(d, 1);
    if (cal.isWorkingDay(d)) return d;
  }
  throw new Error(`nextWorkingDay: no working day within ${MAX_SCAN_DAYS} days after ${isoDate}`);
}

/** The n-th working day after isoDate (isoDate itself is never counted); n = 0 returns isoDate. */
export function addWorkingDays(isoDate: string, n: number, cal: WorkCalendar): string {
  assertInteger(n, 'addWorkingDays', 0);
  parseIsoDate(isoDate, 'addWorkingDays');
  let d = isoDate;
  for (let i = 0; i < n; i++) d = nextWorkingDay(d, cal);
  return d;
}

/** Same day-of-month `months` later, clamped to that month's last day (Civil Code 202). */
function addMonthsClamped(isoDate: string, months: number): string {
  const ms = parseIsoDate(isoDate, 'addMonths');
  const start = new Date(ms);
  const total = start.getUTCFullYear() * 12 + start.getUTCMonth() + months;
  const y = Math.floor(total / 12);
  const m = total % 12;
  const lastDay = new Date(Date.UTC(y, m + 1, 0)).getUTCDate();
  return formatUtcDate(Date.UTC(y, m, Math.min(start.getUTCDate(), lastDay)));
}

/**
 * The instant a policy period opened by an event at `eventAt` ends (exclusive): 00:00 Asia/Shanghai of the
 * day after the period's last day. SECONDS periods are exact offsets with no calendar rules.
 * rollOverNonWorkingDay (default true) applies Civil Code 203 to DAYS/MONTHS/YEARS; WORKING_DAYS
 * periods always end on a working day anyway.
 */
export function periodEnd(eventAt: Date, period: PolicyPeriod, cal: WorkCalendar, opts: { rollOverNonWorkingDay?: boolean } = {}): Date {
  if (!(eventAt instanceof Date) || Number.isNaN(eventAt.getTime())) {
    throw new Error('periodEnd: eventAt must be a valid Date');
  }
  if (!period || typeof period !== 'object') throw new Error('periodEnd: period is required');
  assertInteger(period.amount, `periodEnd(${period.unit})`, 0);

  if (period.unit === 'SECONDS') return new Date(eventAt.getTime() + period.amount * 1000);

  // R9.9 / Civil Code 201: the event's own day is not counted, whatever the time of day.
  const eventDay = shanghaiDate(eventAt);
  let lastDay: string;
  switch (period.unit) {
    case 'WORKING_DAYS':
      lastDay = addWorkingDays(eventDay, period.amount, cal);
      break;
    case 'DAYS':
      lastDay = addDays(eventDay, period.amount);
      break;
    case 'MONTHS':
      lastDay = addMonthsClamped(eventDay, period.amount);
      break;
    case 'YEARS':
      lastDay = addMonthsClamped(eventDay, period.amount * 12);
      break;
    default:
      throw new Error(`periodEnd: unknown period unit ${JSON.stringify((period as PolicyPeriod).unit)}`);
  }
  if (period.unit !== 'WORKING_DAYS' && (opts.rollOverNonWorkingDay ?? true) && !cal.isWorkingDay(lastDay)) {
    lastDay = nextWorkingDay(lastDay, cal); // Civil Code 203
  }
  return startOfShanghaiDay(addDays(lastDay, 1));
}

/** A deadline and whether it is provisional: computed over some day no calendar version covers (R9.9). */
export interface Deadline {
  end: Date;
  provisional: boolean;
}

/**
 * periodEnd, and whether any day the computation consulted lies in a year no version covers: such a deadline
 * is computed Mon–Fri and is provisional until a version for that year arrives. SECONDS never are.
 */
export function deadline(
  eventAt: Date,
  period: PolicyPeriod,
  cal: CoveredCalendar,
  opts: { rollOverNonWorkingDay?: boolean } = {},
): Deadline {
  let provisional = false;
  const watching: WorkCalendar = {
    isWorkingDay(isoDate: string): boolean {
      if (!cal.covers(isoDate)) provisional = true;
      return cal.isWorkingDay(isoDate);
    },
  };
  const end = periodEnd(eventAt, period, watching, opts);
  return { end, provisional };
}
