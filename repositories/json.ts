// JSON columns are parsed with their schema when read, never cast: a stored value of another shape is an
// error naming its column, not a wrong type travelling on. Unknown keys are kept (the rows are shown as stored).
import { z } from 'zod';
import { FILING_INSTITUTION_TYPES, type FilingApplication } from '../workflows/contracts/filing';
import type { Criterion } from '../workflows/contracts/procurement';
import type { CatalogueDiff } from '../workflows/domain/catalogue';
import type { CalendarDay } from '../workflows/domain/calendar-arrangement';
import type { RuleFailure } from '../workflows/domain/claim-rules';
import type { ScopeItem } from '../workflows/domain/scope';
import type { Requirement } from '../workflows/domain/supplier';
import type { PostAuditDraw } from './claim.repository';

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

/** R2.1 a filing's application as the institution submitted it (Filing/FilingRevision.application). */
const filingApplicationSchema = z.looseObject({
  institutionName: z.string(),
  institutionType: z.enum(FILING_INSTITUTION_TYPES),
  creditCode: z.string(),
  regionCode: z.string(),
  contact: z.looseObject({ name: z.string(), phone: z.string(), email: z.string().optional() }),
  scope: scopeSchema,
  capacity: z.number(),
  teachers: z.looseObject({ count: z.number(), summary: z.string() }),
  facilities: z.string(),
});

/** R10.3 a random post-audit draw as recorded with its claim (Claim.postAuditDraw). */
const periodSchema = z.looseObject({
  unit: z.enum(['SECONDS', 'DAYS', 'WORKING_DAYS', 'MONTHS', 'YEARS']),
  amount: z.number(),
});
const postAuditDrawSchema = z.looseObject({
  drawId: z.string(),
  method: z.string(),
  value: z.number(),
  scale: z.number(),
  ratePercent: z.number(),
  claimKind: z.enum(['COMMITMENT', 'FULL_REVIEW']),
  sampled: z.boolean(),
  teamSize: z.number().optional(),
  pool: z.array(z.looseObject({ regionCode: z.string(), inspectors: z.array(z.string()) })).optional(),
  excluded: z.array(z.string()).optional(),
  widenedTo: z.string().nullable().optional(),
  picks: z.array(z.number()).optional(),
  inspectors: z.array(z.string()).optional(),
  problem: z.string().optional(),
  rotation: z
    .looseObject({
      lookback: z.looseObject({ claims: z.number(), period: periodSchema.nullable() }),
      previousClaimIds: z.array(z.string()),
      previousInspectors: z.array(z.string()),
      rotatedOut: z.array(z.string()),
      relaxed: z.boolean(),
      certain: z.array(z.string()).optional(),
    })
    .optional(),
});

/** R3 what changed between two catalogue versions (CatalogueVersion.diff), entries keyed as diffCatalogues keys them. */
function entryDiffSchema<T extends z.ZodType>(entry: T) {
  return z.looseObject({
    added: z.array(entry),
    removed: z.array(entry),
    changed: z.array(z.looseObject({ key: z.string(), before: entry, after: entry, fields: z.array(z.string()) })),
  });
}
const catalogueDiffSchema = z.looseObject({
  projects: entryDiffSchema(
    z.looseObject({
      occupationCode: z.string(),
      occupationNameZh: z.string(),
      level: z.number(),
      regionCode: z.string(),
      standardFen: z.number(),
      hours: z.number(),
      institutionIds: z.array(z.string()),
    }),
  ),
  institutions: entryDiffSchema(
    z.looseObject({
      qualificationId: z.string(),
      institutionId: z.string(),
      name: z.string(),
      type: z.string(),
      regionCode: z.string(),
      route: z.enum(['FILING', 'TENDER']),
      scope: scopeSchema,
      validFrom: z.string(),
      validTo: z.string(),
    }),
  ),
  // a diff stored before evaluators were catalogued has none: read as no change
  evaluators: entryDiffSchema(
    z.looseObject({
      evaluationInstitutionId: z.string(),
      name: z.string(),
      creditCode: z.string(),
      regionCode: z.string(),
      scope: scopeSchema,
      validFrom: z.string(),
      validTo: z.string(),
    }),
  ).default({ added: [], removed: [], changed: [] }),
});

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
export const filingApplicationOf = (value: unknown, column = 'FilingRevision.application'): FilingApplication =>
  parse(filingApplicationSchema, value, column);
export const catalogueDiffOf = (value: unknown): CatalogueDiff => parse(catalogueDiffSchema, value, 'CatalogueVersion.diff');
/**
 * R10.3 the random draw recorded with a claim, or null when none was drawn: the column then holds nothing or
 * the audit of a review that drew no team (no drawId); a value with a drawId must have the draw's shape.
 */
export const postAuditDrawOf = (value: unknown): PostAuditDraw | null => {
  if (value === null || value === undefined) return null;
  if (typeof value !== 'object' || Array.isArray(value) || !('drawId' in value) || !value.drawId) return null;
  return parse(postAuditDrawSchema, value, 'Claim.postAuditDraw');
};
