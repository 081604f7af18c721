// The official calendar as data (R9.9): a year's holiday arrangement as an administrator loads it.
import { z } from 'zod';
import { CALENDAR_YEAR_MAX, CALENDAR_YEAR_MIN, MAX_ARRANGEMENT_DAYS } from '../../../../workflows/domain/calendar-arrangement';
import { bilingual } from '../common/zod';

const year = z.coerce
  .number({ error: bilingual('a year', '须为年份') })
  .int(bilingual('a year', '须为年份'))
  .min(CALENDAR_YEAR_MIN, bilingual(`from ${CALENDAR_YEAR_MIN}`, `不早于 ${CALENDAR_YEAR_MIN} 年`))
  .max(CALENDAR_YEAR_MAX, bilingual(`up to ${CALENDAR_YEAR_MAX}`, `不晚于 ${CALENDAR_YEAR_MAX} 年`));
const source = z
  .string(bilingual('where the arrangement comes from', '须注明安排的来源'))
  .trim()
  .min(1, bilingual('where the arrangement comes from, e.g. the State Council notice', '须注明来源，如国务院办公厅通知'))
  .max(2000);
const day = z.union([z.string().max(20), z.strictObject({ date: z.string().max(20), name: z.string().max(100).optional() })]);

/** JSON: the days off and the adjusted working days (调休上班), each a date or {date, name}. */
export const newCalendarVersionSchema = z.strictObject({
  year: z.number().int().min(CALENDAR_YEAR_MIN).max(CALENDAR_YEAR_MAX),
  source,
  holidays: z.array(day).max(MAX_ARRANGEMENT_DAYS),
  workdays: z.array(day).max(MAX_ARRANGEMENT_DAYS).default([]),
});

/** CSV upload (text/csv): year and source travel in the query string. */
export const csvCalendarQuery = z.strictObject({ year, source });

export const calendarYearParam = year;
