/**
 * R4.3 living allowance (生活费补贴) for registered poor labourers: how many days it pays and which calendar
 * days those are. POLICY R4.3: allowance days ≤ days attended ≤ the class's training days ≤ the calendar days
 * from its start to its end; one person gets at most one allowance for any given day.
 *
 * Pure: dates are ISO calendar dates (China time), nothing here reads a clock.
 */
import { addDays } from './calendar';

const DAY_MS = 86_400_000;

/** Calendar days from start to end, both counted ('2026-03-01'..'2026-03-01' = 1); 0 when end is before start. */
export function calendarDays(startDate: string, endDate: string): number {
  const days = Math.round((Date.parse(`${endDate}T00:00:00Z`) - Date.parse(`${startDate}T00:00:00Z`)) / DAY_MS) + 1;
  return Math.max(0, days);
}

/** Why a class's training days cannot be right (R4.3: they fit in its calendar days), or null. */
export function trainingDaysProblem(c: { startDate: string; endDate: string; trainingDays: number }): { calendarDays: number } | null {
  const days = calendarDays(c.startDate, c.endDate);
  return c.trainingDays > days ? { calendarDays: days } : null;
}

/**
 * Days the allowance pays: the days attended, never more than the class's training days nor its calendar
 * days (the second bound matters only for classes created before POST /classes enforced it).
 */
export function allowanceDayCount(daysAttended: number | null, cls: { startDate: string; endDate: string; trainingDays: number }): number {
  return Math.max(0, Math.min(daysAttended ?? 0, cls.trainingDays, calendarDays(cls.startDate, cls.endDate)));
}

/**
 * The calendar days an allowance of `count` days covers, or null when the class's dates do not have that
 * many days free of the person's other allowances.
 *
 * The rule: the earliest `count` dates from start to end that no other allowance of the person already
 * covers. With no other allowance these are simply the first `count` days of the class.
 * Why: a roster records how many days a person attended, not which ones, so any day of the class may be one
 * of them. Taking the earliest free days never pays two allowances for one day (the database refuses it
 * anyway), and refuses a second class only when the days claimed cannot all fit in the free days of its
 * dates, that is, when the two claims cannot both be true. Reserving the class's whole date range instead
 * would refuse a person who honestly attended two part-time classes over the same weeks, and always taking
 * the first `count` days would refuse a second class whose days lie after the first class's ones.
 * Limitation: days already granted are not moved, so an earlier claim keeps its days even where another
 * choice would have let a later claim fit as well.
 */
export function allowanceDates(cls: { startDate: string; endDate: string }, count: number, taken: readonly string[]): string[] | null {
  const busy = new Set(taken);
  const out: string[] = [];
  for (let d = cls.startDate; out.length < count && d <= cls.endDate; d = addDays(d, 1)) {
    if (!busy.has(d)) out.push(d);
  }
  return out.length === count ? out : null;
}
