// The anomaly repository: the rules run on every roster upload and claim check (issue 10 item 1): each rule reads its facts in
// one set-based query for the class or claim (no query per person), the pure rules of
// workflows/domain/anomaly-rules.ts decide what is anomalous, and one INSERT … ON CONFLICT writes the
// proposals, so the same anomaly is proposed once however often it is seen. A proposal decides nothing
// (个人信息保护法 art. 24): an inspector reads it. Nothing here may fail an upload or a claim: every rule's
// failure is logged (the rule and the error, no personal data) and the others go on.
import { createHash } from 'node:crypto';
import type { Db, Prisma } from '../prisma/client';
import { SUBSIDY_CATEGORIES } from '../workflows/contracts/claim';
import {
  allowanceDays,
  certificateDates,
  overCapacity,
  overlappingClasses,
  repeatedTraining,
  sharedPhones,
  type AllowanceFacts,
  type AnomalyFinding,
  type AnomalyRule,
  type CapacityFacts,
  type CertificateFacts,
  type EarlierTrainingLine,
  type OtherEnrolment,
  type PhoneFacts,
} from '../workflows/domain/anomaly-rules';
import { grantKind } from '../workflows/domain/claim-rules';
import { anomalyParametersOf, type AnomalyParameters, type PolicyParameters } from '../workflows/domain/policy';
import { afterCursor, type Cursor } from './pagination';
import { loadPolicy } from './policy.repository';
import { regionPrefix } from '../workflows/domain/region';

export type AnomalySource = 'ROSTER' | 'CLAIM';
export type AnomalyTarget = { source: 'ROSTER'; classId: string } | { source: 'CLAIM'; claimId: string };

export interface AnomalyRun {
  /** proposals written now (an anomaly already proposed is not counted again) */
  proposed: number;
  /** rules that could not run; the rest ran */
  failed: (AnomalyRule | 'LOAD' | 'WRITE')[];
}

/** Where a failure goes: the caller's logger. Never given personal data. */
export type AnomalyLog = (message: string, meta: { rule: string; source: AnomalySource; sourceId: string; error: string }) => void;

interface ClassRow {
  classId: string;
  institutionId: string;
  regionCode: string;
  qualificationId: string;
  startDate: string;
  endDate: string;
  trainingDays: number;
  occupationCode: string;
  level: number;
}

/** Training categories (R5.1/R5.2 count them): a second claim for the same occupation and level is rule (b). */
const TRAINING_CATEGORIES = SUBSIDY_CATEGORIES.filter((c) => grantKind(c) === 'TRAINING');

/** A finding's identity: the rule, its subject and the rows it matched (sorted), hashed to a bounded key. */
export function dedupeKey(f: AnomalyFinding): string {
  const digest = createHash('sha256')
    .update([...f.matched].sort().join(','))
    .digest('hex')
    .slice(0, 32);
  return `${f.rule}:${f.subject}:${digest}`;
}

async function loadClass(db: Db, classId: string): Promise<ClassRow | undefined> {
  const [c] = await db.$queryRaw<ClassRow[]>`
    SELECT "id" AS "classId", "institutionId", "regionCode", "qualificationId", "trainingDays", "occupationCode", "level",
           to_char("startDate", 'YYYY-MM-DD') AS "startDate", to_char("endDate", 'YYYY-MM-DD') AS "endDate"
      FROM "TrainingClass" WHERE "id" = ${classId}::uuid`;
  return c;
}

/** The rules on a class's roster: (a), (c), (d), (e), (f). */
function classRules(db: Db, c: ClassRow, p: AnomalyParameters): [AnomalyRule, () => Promise<AnomalyFinding[]>][] {
  return [
    [
      'OVERLAPPING_CLASSES',
      async () => {
        const rows = await db.$queryRaw<OtherEnrolment[]>`
          SELECT e."id" AS "enrolmentId", e."traineeId", o."id" AS "otherEnrolmentId", k."id" AS "otherClassId",
                 k."institutionId" AS "otherInstitutionId",
                 to_char(k."startDate", 'YYYY-MM-DD') AS "otherStartDate", to_char(k."endDate", 'YYYY-MM-DD') AS "otherEndDate"
            FROM "Enrolment" e
            JOIN "Enrolment" o ON o."traineeId" = e."traineeId" AND o."classId" <> e."classId"
            JOIN "TrainingClass" k ON k."id" = o."classId"
           WHERE e."classId" = ${c.classId}::uuid
           ORDER BY e."id", o."id"`;
        return overlappingClasses(c, rows);
      },
    ],
    [
      'CERTIFICATE_DATE',
      async () => {
        const rows = await db.$queryRaw<CertificateFacts[]>`
          SELECT e."id" AS "enrolmentId", e."traineeId", to_char(e."certificateDate", 'YYYY-MM-DD') AS "certificateDate",
                 (SELECT to_char(min(k."createdAt" AT TIME ZONE 'Asia/Shanghai'), 'YYYY-MM-DD')
                    FROM "ClaimLine" l JOIN "Claim" k ON k."id" = l."claimId"
                   WHERE l."enrolmentId" = e."id" AND k."category" = 'CERTIFICATE') AS "firstClaimedOn"
            FROM "Enrolment" e
           WHERE e."classId" = ${c.classId}::uuid AND e."certificateDate" IS NOT NULL
           ORDER BY e."id"`;
        return certificateDates(c, rows);
      },
    ],
    [
      'ALLOWANCE_DAYS',
      async () => {
        const rows = await db.$queryRaw<AllowanceFacts[]>`
          SELECT e."id" AS "enrolmentId", e."traineeId", e."daysAttended",
                 (SELECT count(*) FROM "AllowanceDay" a WHERE a."traineeId" = e."traineeId" AND a."classId" = e."classId")::int
                   AS "allowanceDays"
            FROM "Enrolment" e
           WHERE e."classId" = ${c.classId}::uuid
           ORDER BY e."id"`;
        return allowanceDays(c, rows);
      },
    ],
    [
      'OVER_CAPACITY',
      async () => {
        // "at a time" (R2.1 filing): the most people on the institution's rosters on any one day of this class
        const [facts] = await db.$queryRaw<CapacityFacts[]>`
          SELECT ${c.classId} AS "classId",
                 (SELECT count(*) FROM "Enrolment" WHERE "classId" = ${c.classId}::uuid)::int AS "enrolled",
                 q."traineeCapacity" AS "lotCapacity",
                 (SELECT count(*) FROM "Enrolment" e JOIN "TrainingClass" k ON k."id" = e."classId"
                   WHERE k."qualificationId" = q."id")::int AS "lotEnrolled",
                 (SELECT (r."application"->>'capacity')::int FROM "Filing" f JOIN "FilingRevision" r ON r."filingId" = f."id"
                   WHERE f."qualificationId" = q."id" ORDER BY r."revision" DESC LIMIT 1) AS "filedCapacity",
                 (SELECT COALESCE(max(n), 0) FROM (
                    SELECT d.day, count(e."id") AS n
                      FROM generate_series(${c.startDate}::date, ${c.endDate}::date, interval '1 day') AS d(day)
                      JOIN "TrainingClass" k ON k."institutionId" = ${c.institutionId}::uuid AND k."startDate" <= d.day AND k."endDate" >= d.day
                      JOIN "Enrolment" e ON e."classId" = k."id"
                     GROUP BY d.day) x)::int AS "peakConcurrent"
            FROM "Qualification" q WHERE q."id" = ${c.qualificationId}::uuid`;
        return facts ? overCapacity(facts, p) : [];
      },
    ],
    [
      'SHARED_PHONE',
      async () => {
        const rows = await db.$queryRaw<PhoneFacts[]>`
          SELECT e."id" AS "enrolmentId", e."traineeId", e."phone"
            FROM "Enrolment" e
           WHERE e."classId" = ${c.classId}::uuid AND e."phone" IS NOT NULL
           ORDER BY e."id"`;
        return sharedPhones(c, rows, p);
      },
    ],
  ];
}

/** Rule (b) on a claim's lines: the same person, occupation and level on another claim anywhere in the province. */
function claimRule(db: Db, claim: { claimId: string; category: string }, c: ClassRow): [AnomalyRule, () => Promise<AnomalyFinding[]>] {
  return [
    'REPEATED_TRAINING',
    async () => {
      if (!(TRAINING_CATEGORIES as readonly string[]).includes(claim.category)) return [];
      const rows = await db.$queryRaw<EarlierTrainingLine[]>`
        SELECT l."id" AS "lineId", l."traineeId", o."id" AS "otherLineId", oc."id" AS "otherClaimId", k."id" AS "otherClassId",
               oc."institutionId" AS "otherInstitutionId", oc."regionCode" AS "otherRegionCode",
               k."occupationCode" AS "otherOccupationCode", k."level" AS "otherLevel", o."status"::text AS "otherLineStatus"
          FROM "ClaimLine" l
          JOIN "ClaimLine" o ON o."traineeId" = l."traineeId" AND o."claimId" <> l."claimId"
          JOIN "Claim" oc ON oc."id" = o."claimId" AND oc."category"::text = ANY(${[...TRAINING_CATEGORIES]}::text[])
          JOIN "TrainingClass" k ON k."id" = oc."classId"
         WHERE l."claimId" = ${claim.claimId}::uuid
         ORDER BY l."id", o."id"`;
      return repeatedTraining({ claimId: claim.claimId, classId: c.classId, occupationCode: c.occupationCode, level: c.level }, rows);
    },
  ];
}

/**
 * Runs the rules on a class's roster (source ROSTER) or on a claim (source CLAIM: its class's roster rules and
 * rule (b)) and writes a proposal for each anomaly not proposed before. `policy` is the one the case runs
 * under (a claim's); without it, the policy in force now for the class's region. Never throws.
 */
export async function proposeAnomalies(
  db: Db,
  target: AnomalyTarget,
  opts: { policy?: PolicyParameters; log?: AnomalyLog } = {},
): Promise<AnomalyRun> {
  const sourceId = target.source === 'ROSTER' ? target.classId : target.claimId;
  const fail = (rule: string, err: unknown) =>
    opts.log?.('anomaly rule failed', { rule, source: target.source, sourceId, error: err instanceof Error ? err.message : String(err) });
  const failed: AnomalyRun['failed'] = [];

  let cls: ClassRow | undefined;
  let claim: { claimId: string; category: string; institutionId: string; regionCode: string } | undefined;
  let params: AnomalyParameters;
  try {
    if (target.source === 'CLAIM') {
      const k = await db.claim.findUnique({
        where: { id: target.claimId },
        select: { classId: true, category: true, institutionId: true, regionCode: true },
      });
      if (!k) return { proposed: 0, failed };
      claim = { claimId: target.claimId, category: k.category, institutionId: k.institutionId, regionCode: k.regionCode };
      cls = await loadClass(db, k.classId);
    } else {
      cls = await loadClass(db, target.classId);
    }
    if (!cls) return { proposed: 0, failed };
    params = anomalyParametersOf(opts.policy ?? (await loadPolicy(db, cls.regionCode, new Date())).parameters);
  } catch (err) {
    fail('LOAD', err);
    return { proposed: 0, failed: ['LOAD'] };
  }

  const rules = classRules(db, cls, params);
  if (claim) rules.push(claimRule(db, claim, cls));
  const findings: AnomalyFinding[] = [];
  for (const [rule, run] of rules) {
    try {
      findings.push(...(await run()));
    } catch (err) {
      failed.push(rule);
      fail(rule, err);
    }
  }
  if (findings.length === 0) return { proposed: 0, failed };

  try {
    const proposed = await db.$executeRaw`
      INSERT INTO "InvestigationProposal" ("id", "dedupeKey", "rule", "institutionId", "regionCode", "seen", "source", "sourceId")
      SELECT gen_random_uuid(), v.key, v.rule::"AnomalyRule", ${claim?.institutionId ?? cls.institutionId}::uuid,
             ${claim?.regionCode ?? cls.regionCode}, v.seen::jsonb, ${target.source}::"AnomalySource", ${sourceId}::uuid
        FROM unnest(${findings.map(dedupeKey)}::text[], ${findings.map((f) => f.rule)}::text[],
                    ${findings.map((f) => JSON.stringify(f.seen))}::text[]) AS v(key, rule, seen)
      ON CONFLICT ("dedupeKey") DO NOTHING`;
    return { proposed, failed };
  } catch (err) {
    fail('WRITE', err);
    return { proposed: 0, failed: [...failed, 'WRITE'] };
  }
}

export class AnomalyRepository {
  constructor(private readonly db: Db) {}

  /** Runs the anomaly rules on a roster or a claim and writes what they propose (never throws). */
  propose(target: AnomalyTarget, opts: { policy?: PolicyParameters; log?: AnomalyLog } = {}): Promise<AnomalyRun> {
    return proposeAnomalies(this.db, target, opts);
  }

  /** A page of proposals in (createdAt, id) order: a region's and below, by rule, status and institution. */
  proposals(f: {
    regionCode: string;
    rule?: Prisma.InvestigationProposalWhereInput['rule'];
    status?: Prisma.InvestigationProposalWhereInput['status'];
    institutionId?: string;
    after?: Cursor;
    take: number;
  }) {
    return this.db.investigationProposal.findMany({
      where: {
        AND: [
          { regionCode: { startsWith: regionPrefix(f.regionCode) } },
          f.rule ? { rule: f.rule } : {},
          f.status ? { status: f.status } : {},
          f.institutionId ? { institutionId: f.institutionId } : {},
          afterCursor(f.after),
        ],
      },
      orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
      take: f.take,
    });
  }
}
