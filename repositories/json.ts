// JSON columns are parsed with their schema when read, never cast: a stored value of another shape is an
// error naming its column, not a wrong type travelling on. Unknown keys are kept (the rows are shown as stored).
import { z } from 'zod';
import type { CalendarDay } from '../workflows/domain/calendar-arrangement';
import type { ScopeItem } from '../workflows/domain/scope';

/** R2.3 a qualification's, filing's or evaluation institution's scope: occupations at skill levels 5 … 1. */
const scopeSchema = z.array(
  z.looseObject({
    occupationCode: z.string(),
    levels: z.array(z.union([z.literal(1), z.literal(2), z.literal(3), z.literal(4), z.literal(5)])),
  }),
);

/** R9.9 a calendar version's days off and adjusted working days. */
const calendarDaysSchema = z.array(z.looseObject({ date: z.string(), type: z.enum(['HOLIDAY', 'WORKDAY']), name: z.string() }));

function parse<T>(schema: z.ZodType<T>, value: unknown, column: string): T {
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw new Error(`${column} holds a value of another shape: ${parsed.error.issues[0]?.message ?? 'invalid'}`);
  return parsed.data;
}

export const scopeOf = (value: unknown, column = 'scope'): ScopeItem[] => parse(scopeSchema, value, column);
export const calendarDaysOf = (value: unknown): CalendarDay[] => parse(calendarDaysSchema, value, 'CalendarVersion.days');
