// JSON columns are parsed with their schema when read, never cast: a stored value of another shape is an
// error naming its column, not a wrong type travelling on. Unknown keys are kept (the rows are shown as stored).
import { z } from 'zod';
import type { Criterion } from '../workflows/contracts/procurement';
import type { CalendarDay } from '../workflows/domain/calendar-arrangement';
import type { RuleFailure } from '../workflows/domain/claim-rules';
import type { ScopeItem } from '../workflows/domain/scope';
import type { Requirement } from '../workflows/domain/supplier';

/** R2.3 a qualification's, filing's or evaluation institution's scope: occupations at skill levels 5 … 1. */
const scopeSchema = z.array(
  z.looseObject({
    occupationCode: z.string(),
    levels: z.array(z.union([z.literal(1), z.literal(2), z.literal(3), z.literal(4), z.literal(5)])),
  }),
);

/** R9.9 a calendar version's days off and adjusted working days. */
const calendarDaysSchema = z.array(z.looseObject({ date: z.string(), type: z.enum(['HOLIDAY', 'WORKDAY']), name: z.string() }));

/** R5/R6 the rules a claim line breaks, as its check recorded them. */
const ruleFailuresSchema = z.array(z.looseObject({ rule: z.string(), problem: z.string(), problemZh: z.string() }));

/** R9.3 a process's technical criteria and R9.8 its requirements of bidders. */
const criteriaSchema = z.array(z.looseObject({ key: z.string(), name: z.string(), weightPercent: z.number() }));
const requirementsSchema = z.array(z.looseObject({ key: z.string(), name: z.string(), nameZh: z.string() }));

/** A committee member's scores after the opening: { [bidId]: { [criterionKey]: centipoints } }. */
const seatScoresSchema = z.record(z.string(), z.record(z.string(), z.number()));

/** R9.4 a lot's ranking of its valid bids. */
const rankingSchema = z.array(
  z.looseObject({ bidId: z.string(), institutionId: z.string(), rank: z.number(), totalCentipoints: z.number() }),
);

function parse<T>(schema: z.ZodType<T>, value: unknown, column: string): T {
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw new Error(`${column} holds a value of another shape: ${parsed.error.issues[0]?.message ?? 'invalid'}`);
  return parsed.data;
}

export const scopeOf = (value: unknown, column = 'scope'): ScopeItem[] => parse(scopeSchema, value, column);
export const calendarDaysOf = (value: unknown): CalendarDay[] => parse(calendarDaysSchema, value, 'CalendarVersion.days');
export const ruleFailuresOf = (value: unknown): RuleFailure[] => parse(ruleFailuresSchema, value, 'ClaimLine.failures');
export const criteriaOf = (value: unknown): Criterion[] => parse(criteriaSchema, value, 'Procurement.criteria');
export const requirementsOf = (value: unknown): Requirement[] => parse(requirementsSchema, value, 'Procurement.requirements');
export const seatScoresOf = (value: unknown): Record<string, Record<string, number>> =>
  parse(seatScoresSchema, value, 'CommitteeMember.scores');
export const rankingOf = (value: unknown) => parse(rankingSchema, value, 'ProcurementLot.ranking');
