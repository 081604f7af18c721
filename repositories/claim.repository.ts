// The claim repository (补贴申领, R4–R10): claims, their lines, tasks, objections and post-audit draws. Read by
// the API's services and public pages; written by the claim activities, each write idempotent and audited in
// the same transaction.
import { randomBytes, randomInt } from 'node:crypto';
import type { Db, Prisma } from '../prisma/client';
import { SYSTEM_ACTOR, type Actor, type Role } from '../workflows/contracts/common';
import { CLAIM_CASE_TYPE, type ClaimLineDecision, type ClaimStatus, type SubsidyCategory } from '../workflows/contracts/claim';
import { claimRegime, overriddenRules, type ClaimRegime } from '../workflows/domain/claim-decision-rules';
import { allowanceDates, allowanceDayCount } from '../workflows/domain/allowance';
import {
  DRAW_SCALE,
  grantKind,
  isSampled,
  lineAmountFen,
  lineFailures,
  rotatedTeamPool,
  rotationRecent,
  teamFromPool,
  type ClassFacts,
  type PoolLevel,
  type PriorTeam,
  type RuleFailure,
} from '../workflows/domain/claim-rules';
import { fenNumber, fenNumberOrNull } from '../workflows/domain/ledger-rules';
import { regionAncestors, regionPrefix } from '../workflows/domain/region';
import type { PolicyParameters, RotationLookback } from '../workflows/domain/policy';
import { coverProblem } from '../workflows/domain/qualification-rules';
import { appendAudit, completeTask, type WorkflowExecution } from './audit.repository';
import { lockRoster, rosterFacts } from './eligibility.repository';
import { RecordNotFoundError } from './errors';
import { scopeOf } from './json';
import { postAuditDrawOf, ruleFailuresOf } from './json';
import { CLAIM_REVIEW_KINDS, type TaskKind } from '../workflows/contracts/tasks';

import { afterCursor, type Cursor } from './pagination';

type Tx = Prisma.TransactionClient;
const iso = (d: Date) => d.toISOString().slice(0, 10);

async function loadClaim(tx: Tx | Db, claimId: string) {
  const claim = await tx.claim.findUnique({ where: { id: claimId }, include: { class: true } });
  if (!claim) throw new RecordNotFoundError('Claim', claimId);
  return claim;
}

/**
 * R2.3: the class's qualification covered the training on every one of its dates (China time), whatever
 * happened to it since — except a revocation for fraud (R7.4). The same rule as POST /classes.
 */
async function classFacts(
  tx: Tx,
  cls: {
    qualificationId: string;
    occupationCode: string;
    level: number;
    startDate: Date;
    endDate: Date;
    trainingDays: number;
    catalogueStandardFen: bigint | null;
  },
): Promise<ClassFacts> {
  const q = await tx.qualification.findUnique({ where: { id: cls.qualificationId } });
  const training = { occupationCode: cls.occupationCode, level: cls.level, startDate: iso(cls.startDate), endDate: iso(cls.endDate) };
  const valid = !!q && coverProblem({ ...q, scope: scopeOf(q.scope, 'Qualification.scope') }, training, 'claiming') === null;
  return {
    ...training,
    trainingDays: cls.trainingDays,
    catalogueStandardFen: fenNumberOrNull(cls.catalogueStandardFen),
    qualificationValid: valid,
  };
}

/** What granting a line needs; an allowance line also the days it attended and the days already taken (R4.3). */
interface GrantableLine {
  id: string;
  traineeId: string;
  amountFen: number;
  certificateNumber: string | null;
  daysAttended: number | null;
  allowanceDaysTaken: readonly string[];
}

/**
 * Inserts the subsidy register rows of approved lines; PostgreSQL's unique indexes are the final word.
 * An allowance (R4.3) also takes its calendar days (domain/allowance.ts allowanceDates: the earliest days of the
 * class free of the person's other allowances) in AllowanceDay, whose key (person, day) refuses a second
 * allowance for a day in this same transaction: two claims racing past the roster lock cannot both pay it.
 */
async function grantLines(
  tx: Tx,
  category: SubsidyCategory,
  cls: { id: string; occupationCode: string; level: number; startDate: Date; endDate: Date; trainingDays: number },
  lines: GrantableLine[],
) {
  if (lines.length === 0) return;
  const kind = grantKind(category);
  const withIds = lines.map((l) => ({ ...l, grantId: crypto.randomUUID() }));
  await tx.subsidyGrant.createMany({
    data: withIds.map((l) => ({
      id: l.grantId,
      traineeId: l.traineeId,
      claimLineId: l.id,
      kind: grantKind(category),
      category,
      year: cls.startDate.getUTCFullYear(),
      occupationCode: cls.occupationCode,
      level: cls.level,
      certificateNumber: grantKind(category) === 'CERTIFICATE' ? l.certificateNumber : null,
      amountFen: l.amountFen,
    })),
  });
  if (kind !== 'ALLOWANCE') return;
  const dates = { startDate: iso(cls.startDate), endDate: iso(cls.endDate) };
  const days = withIds.flatMap((l) => {
    const covered = allowanceDates(
      dates,
      allowanceDayCount(l.daysAttended, { ...dates, trainingDays: cls.trainingDays }),
      l.allowanceDaysTaken,
    );
    // lineFailures has already refused a line whose days do not fit: reaching here without days is a bug.
    if (!covered) throw new Error(`allowance line ${l.id}: no free days for it`);
    return covered.map((day) => ({ traineeId: l.traineeId, day: new Date(day), grantId: l.grantId, classId: cls.id }));
  });
  await tx.allowanceDay.createMany({ data: days });
}

async function approvedTotal(tx: Tx, claimId: string): Promise<number> {
  const sum = await tx.claimLine.aggregate({ where: { claimId, status: 'APPROVED' }, _sum: { amountFen: true } });
  return fenNumber(sum._sum.amountFen ?? 0n); // bigint column, a plain number in workflow payloads
}

/** Line ids by outcome; flagged lines with the rules they break (the workflow's validator needs them). */
export interface CheckSummary {
  passed: string[];
  flagged: { lineId: string; rules: string[] }[];
}

function summarise(lines: { id: string; status: string; failures: unknown }[]): CheckSummary {
  return {
    passed: lines.filter((l) => l.status === 'PASSED').map((l) => l.id),
    flagged: lines
      .filter((l) => l.status === 'FLAGGED')
      .map((l) => ({ lineId: l.id, rules: [...new Set((l.failures as RuleFailure[]).map((f) => f.rule))] })),
  };
}

export interface OpenTaskInput {
  claimId: string;
  taskId: string;
  key: string;
  kind: TaskKind;
  role: Role;
  title: string;
  dueAt: string;
  /** R9.9 the due date falls on days no calendar version covers */
  dueProvisional?: boolean;
  assignees?: string[];
  escalatedFromId?: string;
}

async function openTask(db: Db, input: OpenTaskInput, exec: WorkflowExecution): Promise<string> {
  const { workflowId, runId } = exec;
  const claim = await loadClaim(db, input.claimId);
  const dedupeKey = `${workflowId}:${input.key}`;
  return db.$transaction(async (tx) => {
    const existing = await tx.humanTask.findUnique({ where: { dedupeKey } });
    if (existing) return existing.id;
    if (input.escalatedFromId) {
      // Decided while the escalation was on its way: no lead task (the row lock orders us after the decision).
      const [from] = await tx.$queryRaw<
        { status: string }[]
      >`SELECT "status"::text FROM "HumanTask" WHERE "id" = ${input.escalatedFromId}::uuid FOR UPDATE`;
      if (from?.status !== 'OPEN') return input.escalatedFromId;
    }
    const task = await tx.humanTask.create({
      data: {
        id: input.taskId,
        dedupeKey,
        kind: input.kind,
        caseType: CLAIM_CASE_TYPE,
        caseId: claim.id,
        workflowId,
        role: input.role,
        regionCode: claim.regionCode,
        institutionId: claim.institutionId,
        title: input.title,
        dueAt: new Date(input.dueAt),
        dueProvisional: input.dueProvisional ?? false,
        assignees: input.assignees ?? [],
        escalatedFromId: input.escalatedFromId,
      },
    });
    if (input.escalatedFromId) {
      await tx.humanTask.updateMany({ where: { id: input.escalatedFromId }, data: { escalated: true, escalatedAt: new Date() } });
    }
    await appendAudit(tx, {
      dedupeKey: `${dedupeKey}:opened`,
      actor: SYSTEM_ACTOR,
      action: `${input.kind}_OPENED`,
      caseType: CLAIM_CASE_TYPE,
      caseId: claim.id,
      workflowId,
      runId,
      details: { taskId: task.id, dueAt: input.dueAt, assignees: input.assignees ?? [] },
    });
    return task.id;
  });
}

/** R10.3 everyone who decided on the claim: line deciders, task completers, objection answerers (they recuse). */
async function claimDeciders(db: Db, claimId: string): Promise<string[]> {
  const [lines, tasks, objections] = await Promise.all([
    db.claimLine.findMany({ where: { claimId, decidedBy: { not: null } }, select: { decidedBy: true }, distinct: ['decidedBy'] }),
    db.humanTask.findMany({
      where: { caseId: claimId, completedBy: { not: null } },
      select: { completedBy: true },
      distinct: ['completedBy'],
    }),
    db.objection.findMany({ where: { claimId, resolvedBy: { not: null } }, select: { resolvedBy: true }, distinct: ['resolvedBy'] }),
  ]);
  const all = [...lines.map((l) => l.decidedBy!), ...tasks.map((t) => t.completedBy!), ...objections.map((o) => o.resolvedBy!)];
  return [...new Set(all)].filter((u) => u !== SYSTEM_ACTOR.userId).sort();
}

/** R10.3 a recorded draw (Claim.postAuditDraw) as drawPostAudit returns it. */
export interface PostAuditDraw {
  drawId: string;
  method: string;
  value: number;
  scale: number;
  ratePercent: number;
  claimKind: 'COMMITMENT' | 'FULL_REVIEW';
  sampled: boolean;
  teamSize?: number;
  pool?: PoolLevel[];
  excluded?: string[];
  widenedTo?: string | null;
  picks?: number[];
  inspectors?: string[];
  problem?: string;
  /** R10.3 inspectors rotate: the previous teams left out of this draw (absent on draws made before rotation) */
  rotation?: {
    lookback: RotationLookback;
    previousClaimIds: string[];
    previousInspectors: string[];
    rotatedOut: string[];
    relaxed: boolean;
    /** relaxed: those not on a previous team, on the team without a draw; the picks chose among the previous teams */
    certain?: string[];
  };
}

/**
 * R10.3 the institution's earlier sampled claims that had a team, newest draw first, with when each was
 * drawn (the draw's audit event) and who was on the team (drawn or assigned by the lead inspector).
 */
async function priorTeams(tx: Tx, institutionId: string, claimId: string): Promise<PriorTeam[]> {
  const rows = await tx.$queryRaw<{ id: string; drawnAt: Date; inspectors: unknown }[]>`
    SELECT c."id"::text AS "id", e."at" AS "drawnAt", c."postAuditDraw"->'inspectors' AS "inspectors"
    FROM "Claim" c JOIN "AuditEvent" e ON e."caseType" = 'CLAIM' AND e."caseId" = c."id"::text AND e."action" = 'CLAIM_POST_AUDIT_DRAWN'
    WHERE c."institutionId" = ${institutionId}::uuid AND c."id" <> ${claimId}::uuid AND c."postAuditDraw"->>'sampled' = 'true'
      AND jsonb_typeof(c."postAuditDraw"->'inspectors') = 'array' AND jsonb_array_length(c."postAuditDraw"->'inspectors') > 0
    ORDER BY e."at" DESC, c."id" DESC`;
  return rows.map((r) => ({ claimId: r.id, drawnAt: r.drawnAt.toISOString(), inspectors: r.inspectors as string[] }));
}

/** R10.2 the answer an objection filed after the posting period gets (shown to its filer). */
const LATE_OBJECTION_ANSWER =
  'The posting period had ended when the objection arrived: refused as late. 异议提出时公示期已结束，逾期不予受理。';

/** The fields an objection answered as late carries (R10.2). */
export function lateObjectionAnswer(at = new Date()) {
  return { status: 'LATE' as const, resolution: LATE_OBJECTION_ANSWER, resolvedAt: at, resolvedBy: SYSTEM_ACTOR.userId };
}

/** Newest first: rows strictly before the cursor in (field desc, id desc) order. */
function beforeCursor(field: 'postingEndsAt' | 'inspectedAt', c: Cursor | undefined): Prisma.ClaimWhereInput {
  if (!c) return {};
  return { OR: [{ [field]: { lt: c.at } }, { [field]: c.at, id: { lt: c.id } }] };
}

export class ClaimRepository {
  constructor(private readonly db: Db) {}

  /** The class a claim is made for, with the size of its roster. */
  classToClaim(classId: string) {
    return this.db.trainingClass.findUnique({ where: { id: classId }, include: { _count: { select: { enrolments: true } } } });
  }

  /** The class's claim of a category that is not rejected, if any. */
  openClaimOf(classId: string, category: SubsidyCategory) {
    return this.db.claim.findFirst({ where: { classId, category, status: { not: 'REJECTED' } } });
  }

  /** Stores a new claim (its workflow is started next). */
  async createClaim(c: {
    id: string;
    workflowId: string;
    classId: string;
    institutionId: string;
    regionCode: string;
    category: SubsidyCategory;
    commitment?: { text: string; signedBy: string; signedAt: string };
    submittedBy: string;
  }): Promise<void> {
    await this.db.claim.create({ data: { ...c, commitment: c.commitment as Prisma.InputJsonValue | undefined } });
  }

  /** Removes a claim whose workflow could not be started. */
  async deleteClaim(id: string): Promise<void> {
    await this.db.claim.delete({ where: { id } });
  }

  claimWithClass(id: string) {
    return this.db.claim.findUnique({ where: { id }, include: { class: true } });
  }

  /** Everything GET /claims/:id shows of a claim: its lines and their trainees, tasks, audit trail, payments, objections. */
  async claimRecord(id: string) {
    const [lines, tasks, audit, payments, objections] = await Promise.all([
      this.db.claimLine.findMany({ where: { claimId: id }, orderBy: { id: 'asc' } }),
      this.db.humanTask.findMany({ where: { caseId: id }, orderBy: { createdAt: 'asc' } }),
      this.db.auditEvent.findMany({ where: { caseType: 'CLAIM', caseId: id }, orderBy: { id: 'asc' } }),
      this.db.ledgerTransaction.findMany({ where: { claimId: id }, orderBy: { createdAt: 'asc' }, include: { entries: true } }),
      this.db.objection.findMany({ where: { claimId: id }, orderBy: { createdAt: 'asc' } }),
    ]);
    const people = await this.db.trainee.findMany({
      where: { id: { in: lines.map((l) => l.traineeId) } },
      select: { id: true, name: true, residentId: true },
    });
    return { lines, tasks, audit, payments, objections, people };
  }

  /** A page of claims in (createdAt, id) order: a region's and below, or one institution's. */
  list(f: { scope: { regionCode: string } | { institutionId: string | undefined }; status?: ClaimStatus; after?: Cursor; take: number }) {
    const scope: Prisma.ClaimWhereInput =
      'regionCode' in f.scope ? { regionCode: { startsWith: regionPrefix(f.scope.regionCode) } } : { institutionId: f.scope.institutionId };
    return this.db.claim.findMany({
      where: { AND: [scope, f.status ? { status: f.status } : {}, afterCursor(f.after)] },
      orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
      take: f.take,
    });
  }

  claim(id: string) {
    return this.db.claim.findUnique({ where: { id } });
  }

  /** Every claim ever posted (R10.2), newest posting end first, with its class. */
  postedClaims(f: {
    status?: 'POSTED' | 'HELD' | 'AWAITING_FUNDS' | 'PAID' | 'REJECTED';
    regionCode?: string;
    before?: Cursor;
    take: number;
  }) {
    return this.db.claim.findMany({
      where: {
        AND: [
          { postingEndsAt: { not: null } },
          f.status ? { status: f.status } : {},
          f.regionCode ? { regionCode: { startsWith: regionPrefix(f.regionCode) } } : {},
          beforeCursor('postingEndsAt', f.before),
        ],
      },
      include: { class: true },
      orderBy: [{ postingEndsAt: 'desc' }, { id: 'desc' }],
      take: f.take,
    });
  }

  /** Claims inspected after payment (R10.3), newest inspection first, with its class. */
  inspectedClaims(f: { regionCode?: string; before?: Cursor; take: number }) {
    return this.db.claim.findMany({
      where: {
        AND: [
          { inspectedAt: { not: null } },
          f.regionCode ? { regionCode: { startsWith: regionPrefix(f.regionCode) } } : {},
          beforeCursor('inspectedAt', f.before),
        ],
      },
      include: { class: true },
      orderBy: [{ inspectedAt: 'desc' }, { id: 'desc' }],
      take: f.take,
    });
  }

  /** The institutions' names and credit codes, by id. */
  institutionNames(ids: string[]) {
    return this.db.institution.findMany({ where: { id: { in: ids } }, select: { id: true, name: true, creditCode: true } });
  }

  /** A claim's approved lines (what is posted), each with its trainee. */
  async approvedLines(claimId: string) {
    const lines = await this.db.claimLine.findMany({ where: { claimId, status: 'APPROVED' }, orderBy: { id: 'asc' } });
    const people = await this.db.trainee.findMany({ where: { id: { in: lines.map((l) => l.traineeId) } } });
    const byId = new Map(people.map((p) => [p.id, p]));
    return lines.map((line) => ({ line, trainee: byId.get(line.traineeId)! }));
  }

  /** How many of `lineIds` are approved lines of the claim. */
  countApprovedLines(claimId: string, lineIds: string[]) {
    return this.db.claimLine.count({ where: { id: { in: lineIds }, claimId, status: 'APPROVED' } });
  }

  // ---- objections (异议, R10.2) ----

  /** Objections filed and open, per claim. */
  objectionCounts(claimIds: string[]) {
    return this.db.objection.groupBy({ by: ['claimId', 'status'], where: { claimId: { in: claimIds } }, _count: { _all: true } });
  }

  objection(id: string) {
    return this.db.objection.findUnique({ where: { id } });
  }

  /** Objections filed from one source since an instant (the rate limit). */
  countObjectionsFrom(sourceHash: string, since: Date) {
    return this.db.objection.count({ where: { sourceHash, createdAt: { gte: since } } });
  }

  /** Files an objection; `late` records it already answered as late. */
  fileObjection(o: { claimId: string; text: string; contact?: string; sourceHash: string; lineIds: string[] }, late = false) {
    return this.db.objection.create({ data: { ...o, ...(late ? lateObjectionAnswer() : {}) } });
  }

  answerLate(objectionId: string) {
    return this.db.objection.update({ where: { id: objectionId }, data: lateObjectionAnswer() });
  }

  /**
   * Records the policy versions of the claim and which regime handles it (R6.2): a signed claim takes the
   * commitment fast path only within the policy's scope (a procured lot, a commissioned project…).
   * Histories recorded before the regime existed have no result here; the workflow then keeps the old path.
   */
  async recordClaimOpened(
    input: {
      claimId: string;
      policyVersionIds: string[];
      actor: Actor;
      policy?: PolicyParameters;
    },
    exec: WorkflowExecution,
  ): Promise<ClaimRegime> {
    const { workflowId, runId } = exec;
    return this.db.$transaction(async (tx) => {
      const claim = await loadClaim(tx, input.claimId);
      const q = await tx.qualification.findUnique({ where: { id: claim.class.qualificationId }, select: { route: true } });
      const facts = { qualificationRoute: q?.route ?? null, commissioned: claim.class.commissionRef !== null, category: claim.category };
      const regime = input.policy
        ? claimRegime(claim.commitment !== null, facts, input.policy.claim.commitmentRegime)
        : ({ regime: 'COMMITMENT' } as const);
      const reason = regime.regime === 'FULL_REVIEW' ? `${regime.reason} / ${regime.reasonZh}` : null;
      await tx.claim.update({
        where: { id: input.claimId },
        data: { policyVersionIds: input.policyVersionIds, regime: regime.regime, regimeReason: reason },
      });
      await appendAudit(tx, {
        dedupeKey: `${workflowId}:opened`,
        actor: input.actor,
        action: 'CLAIM_SUBMITTED',
        caseType: CLAIM_CASE_TYPE,
        caseId: input.claimId,
        workflowId,
        runId,
        reason: reason ?? undefined,
        details: { policyVersionIds: input.policyVersionIds, regime: regime.regime, ...facts },
      });
      return regime;
    });
  }

  /**
   * Checks every person on the roster (R2.3, R4.3, R4.4, R5.1, R5.2, R10.1) and writes the claim's lines.
   * Passing lines take their place in the subsidy register in the same transaction, with the people locked,
   * so two claims racing for one person cannot both pass.
   */
  async checkClaim(input: { claimId: string; policy: PolicyParameters }, exec: WorkflowExecution): Promise<CheckSummary> {
    const { workflowId, runId } = exec;
    return this.db.$transaction(
      async (tx) => {
        const claim = await loadClaim(tx, input.claimId);
        const existing = await tx.claimLine.findMany({
          where: { claimId: claim.id },
          select: { id: true, status: true, failures: true },
        });
        if (existing.length > 0) return summarise(existing);
        const cls = claim.class;
        const facts = await classFacts(tx, cls);
        await lockRoster(tx, cls.id);
        const rows = await rosterFacts(tx, {
          id: cls.id,
          occupationCode: cls.occupationCode,
          level: cls.level,
          year: cls.startDate.getUTCFullYear(),
          startDate: cls.startDate,
          endDate: cls.endDate,
        });
        const lines = rows.map((r) => {
          const failures = lineFailures(claim.category, facts, r, input.policy);
          return {
            id: crypto.randomUUID(),
            claimId: claim.id,
            enrolmentId: r.enrolmentId,
            traineeId: r.traineeId,
            certificateNumber: r.certificateNumber,
            daysAttended: r.daysAttended,
            allowanceDaysTaken: r.allowanceDaysTaken,
            amountFen: lineAmountFen(claim.category, facts, r, input.policy) ?? 0,
            status: failures.length === 0 ? ('PASSED' as const) : ('FLAGGED' as const),
            failures: failures as unknown as Prisma.InputJsonValue,
          };
        });
        await tx.claimLine.createMany({
          data: lines.map(({ certificateNumber: _c, daysAttended: _d, allowanceDaysTaken: _a, ...l }) => l),
        });
        const passed = lines.filter((l) => l.status === 'PASSED');
        await grantLines(tx, claim.category, cls, passed);
        await appendAudit(tx, {
          dedupeKey: `${workflowId}:checked`,
          actor: SYSTEM_ACTOR,
          action: 'CLAIM_CHECKED',
          caseType: CLAIM_CASE_TYPE,
          caseId: claim.id,
          workflowId,
          runId,
          details: { lines: lines.length, passed: passed.length, flagged: lines.length - passed.length },
        });
        return summarise(lines);
      },
      { timeout: 60_000 },
    );
  }

  /** With a signed commitment, lines that passed every check are approved without a human (R6.2). */
  async autoApproveLines(input: { claimId: string; lineIds: string[] }, exec: WorkflowExecution): Promise<number> {
    const { workflowId, runId } = exec;
    return this.db.$transaction(async (tx) => {
      await tx.claimLine.updateMany({
        where: { id: { in: input.lineIds }, status: 'PASSED' },
        data: { status: 'APPROVED', decidedBy: SYSTEM_ACTOR.userId, decisionReason: '告知承诺制：自动审核通过 (R6.2)' },
      });
      const total = await approvedTotal(tx, input.claimId);
      await tx.claim.update({ where: { id: input.claimId }, data: { approvedFen: total } });
      await appendAudit(tx, {
        dedupeKey: `${workflowId}:auto-approved`,
        actor: SYSTEM_ACTOR,
        action: 'CLAIM_LINES_AUTO_APPROVED',
        caseType: CLAIM_CASE_TYPE,
        caseId: input.claimId,
        workflowId,
        runId,
        details: { lines: input.lineIds.length, approvedFen: total },
      });
      return total;
    });
  }

  /**
   * A reviewer's line decisions. Approving a flagged line reserves its place in the subsidy register now;
   * if the register refuses (a cap reached meanwhile), the line is rejected with the rule. Rejected lines
   * give their place back.
   */
  async decideClaimLines(
    input: {
      claimId: string;
      updateId: string;
      taskId: string;
      actor: Actor;
      decisions: ClaimLineDecision[];
      policy: PolicyParameters;
    },
    exec: WorkflowExecution,
  ): Promise<{ approvedFen: number; refused: { lineId: string; failures: RuleFailure[] }[] }> {
    const { workflowId, runId } = exec;
    return this.db.$transaction(
      async (tx) => {
        const done = await tx.auditEvent.findUnique({ where: { dedupeKey: `${workflowId}:${input.updateId}` } });
        if (done)
          return {
            approvedFen: await approvedTotal(tx, input.claimId),
            refused: (done.details as { refused?: { lineId: string; failures: RuleFailure[] }[] }).refused ?? [],
          };
        const claim = await loadClaim(tx, input.claimId);
        const cls = claim.class;
        const lines = await tx.claimLine.findMany({ where: { id: { in: input.decisions.map((d) => d.lineId) } } });
        const byId = new Map(lines.map((l) => [l.id, l]));
        const refused: { lineId: string; failures: RuleFailure[] }[] = [];

        const rejectIds = input.decisions.filter((d) => !d.approve).map((d) => d.lineId);
        await tx.subsidyGrant.deleteMany({ where: { claimLineId: { in: rejectIds } } });
        for (const d of input.decisions.filter((x) => !x.approve)) {
          await tx.claimLine.update({
            where: { id: d.lineId },
            data: { status: 'REJECTED', decisionReason: d.reason ?? null, decidedBy: input.actor.userId },
          });
        }

        const approveFlagged = input.decisions.filter((d) => d.approve && byId.get(d.lineId)?.status === 'FLAGGED');
        const overrides: { lineId: string; rules: string[]; reason: string | null; evidence: string | null; amountFen: number | null }[] =
          [];
        if (approveFlagged.length > 0) {
          await lockRoster(tx, cls.id);
          const facts = await rosterFacts(tx, {
            id: cls.id,
            occupationCode: cls.occupationCode,
            level: cls.level,
            year: cls.startDate.getUTCFullYear(),
            startDate: cls.startDate,
            endDate: cls.endDate,
          });
          const factsByEnrolment = new Map(facts.map((f) => [f.enrolmentId, f]));
          const current = await classFacts(tx, cls);
          const grantable = [];
          for (const d of approveFlagged) {
            const line = byId.get(d.lineId)!;
            const f = factsByEnrolment.get(line.enrolmentId)!;
            // Re-check against the register as it is now; only the overridable rules the line was flagged
            // for (R10.1, R4.2) give way to the reviewer's validated decision, and the facts stay as recorded.
            const flaggedFor = overriddenRules(ruleFailuresOf(line.failures).map((x) => x.rule));
            const hard = lineFailures(claim.category, current, f, input.policy).filter((x) => !flaggedFor.includes(x.rule));
            if (hard.length > 0) {
              refused.push({ lineId: line.id, failures: hard });
              continue;
            }
            const amountFen = flaggedFor.includes('R4.2') && d.amountFen !== undefined ? d.amountFen : fenNumber(line.amountFen);
            grantable.push({
              id: line.id,
              traineeId: line.traineeId,
              amountFen,
              certificateNumber: f.certificateNumber,
              daysAttended: f.daysAttended,
              allowanceDaysTaken: f.allowanceDaysTaken,
            });
            overrides.push({
              lineId: line.id,
              rules: flaggedFor,
              reason: d.reason ?? null,
              evidence: d.evidence ?? null,
              amountFen: flaggedFor.includes('R4.2') ? amountFen : null,
            });
          }
          await grantLines(tx, claim.category, cls, grantable);
          for (const o of overrides) {
            await tx.claimLine.update({
              where: { id: o.lineId },
              data: {
                amountFen: o.amountFen ?? undefined,
                override: {
                  rules: o.rules,
                  reason: o.reason,
                  evidence: o.evidence,
                  amountFen: o.amountFen,
                  by: input.actor.userId,
                  at: new Date().toISOString(),
                },
              },
            });
          }
          for (const r of refused) {
            await tx.claimLine.update({
              where: { id: r.lineId },
              data: {
                status: 'REJECTED',
                failures: r.failures as unknown as Prisma.InputJsonValue,
                decisionReason: 'rule check at approval',
                decidedBy: SYSTEM_ACTOR.userId,
              },
            });
          }
        }
        const approveIds = input.decisions.filter((d) => d.approve && !refused.some((r) => r.lineId === d.lineId));
        for (const d of approveIds) {
          await tx.claimLine.update({
            where: { id: d.lineId },
            data: { status: 'APPROVED', decisionReason: d.reason ?? null, decidedBy: input.actor.userId },
          });
        }
        const total = await approvedTotal(tx, claim.id);
        await tx.claim.update({ where: { id: claim.id }, data: { approvedFen: total } });
        await completeTask(tx, input.taskId, input.actor, input.decisions as unknown as Prisma.InputJsonValue);
        await tx.humanTask.updateMany({
          where: { caseId: claim.id, kind: { in: [...CLAIM_REVIEW_KINDS] }, status: 'OPEN' },
          data: { status: 'COMPLETED', completedAt: new Date(), completedBy: input.actor.userId },
        });
        await appendAudit(tx, {
          dedupeKey: `${workflowId}:${input.updateId}`,
          actor: input.actor,
          action: 'CLAIM_LINES_DECIDED',
          caseType: CLAIM_CASE_TYPE,
          caseId: claim.id,
          workflowId,
          runId,
          details: {
            taskId: input.taskId,
            decisions: input.decisions,
            overrides,
            refused,
            approvedFen: total,
          } as unknown as Prisma.InputJsonValue,
        });
        if (overrides.length > 0) {
          // Each approval over a rule stands in the case's trail on its own, with its evidence (R10.1) or amount (R4.2).
          await appendAudit(tx, {
            dedupeKey: `${workflowId}:${input.updateId}:overrides`,
            actor: input.actor,
            action: 'CLAIM_LINES_OVERRIDDEN',
            caseType: CLAIM_CASE_TYPE,
            caseId: claim.id,
            workflowId,
            runId,
            details: { overrides } as unknown as Prisma.InputJsonValue,
          });
        }
        return { approvedFen: total, refused };
      },
      { timeout: 60_000 },
    );
  }

  /** Opens a task on the claim (review, objection, inspection); a retry finds the one already made. */
  async openClaimTask(input: OpenTaskInput, exec: WorkflowExecution): Promise<string> {
    return openTask(this.db, input, exec);
  }

  /** R10.2 one objection's own task: opened for a reviewer and linked to the objection it answers. */
  async openObjectionTask(input: OpenTaskInput & { objectionId: string }, exec: WorkflowExecution): Promise<string> {
    const { objectionId, ...task } = input;
    const id = await openTask(this.db, task, exec);
    await this.db.objection.updateMany({ where: { id: objectionId, claimId: input.claimId }, data: { taskId: id } });
    return id;
  }

  /**
   * R10.2 an objection that reached the claim after its posting period is answered, not dropped: refused
   * as late, with the answer the filer reads on GET /public/objections/:id.
   */
  async answerLateObjection(input: { claimId: string; objectionId: string }, exec: WorkflowExecution): Promise<void> {
    const { workflowId, runId } = exec;
    await this.db.$transaction(async (tx) => {
      await tx.objection.updateMany({
        where: { id: input.objectionId, claimId: input.claimId, status: 'OPEN' },
        data: lateObjectionAnswer(),
      });
      await appendAudit(tx, {
        dedupeKey: `${workflowId}:objection-late:${input.objectionId}`,
        actor: SYSTEM_ACTOR,
        action: 'CLAIM_OBJECTION_LATE',
        caseType: CLAIM_CASE_TYPE,
        caseId: input.claimId,
        workflowId,
        runId,
        details: { objectionId: input.objectionId },
      });
    });
  }

  /** R10.2 what can be paid now: the approved lines that no open objection names. */
  async payableFen(input: { claimId: string; heldLineIds: string[] }): Promise<number> {
    const sum = await this.db.claimLine.aggregate({
      where: { claimId: input.claimId, status: 'APPROVED', id: { notIn: input.heldLineIds } },
      _sum: { amountFen: true },
    });
    return fenNumber(sum._sum.amountFen ?? 0n);
  }

  /** Moves the claim's visible status, audited. */
  async setClaimStatus(
    input: {
      claimId: string;
      status: ClaimStatus;
      key: string;
      postingEndsAt?: string;
      postingEndsProvisional?: boolean;
      reason?: string;
    },
    exec: WorkflowExecution,
  ): Promise<void> {
    const { workflowId, runId } = exec;
    await this.db.$transaction(async (tx) => {
      await tx.claim.update({
        where: { id: input.claimId },
        data: {
          status: input.status,
          postingEndsAt: input.postingEndsAt ? new Date(input.postingEndsAt) : undefined,
          // R9.9 whether that end is provisional (over days no calendar version covers)
          postingEndsProvisional: input.postingEndsAt ? (input.postingEndsProvisional ?? false) : undefined,
          closedAt: input.status === 'PAID' || input.status === 'REJECTED' ? new Date() : undefined,
        },
      });
      await appendAudit(tx, {
        dedupeKey: `${workflowId}:status:${input.key}`,
        actor: SYSTEM_ACTOR,
        action: `CLAIM_${input.status}`,
        caseType: CLAIM_CASE_TYPE,
        caseId: input.claimId,
        workflowId,
        runId,
        reason: input.reason,
        details: { postingEndsAt: input.postingEndsAt },
      });
    });
  }

  /**
   * An objection during posting (R10.2) resolved: upheld lines leave the payment and the register. With
   * `objectionId` only that objection is answered (each on its own); without it (claims opened before
   * objections were answered one by one) every open objection of the claim is.
   */
  async resolveObjection(
    input: {
      claimId: string;
      updateId: string;
      taskId: string;
      actor: Actor;
      outcome: 'DISMISS' | 'UPHOLD';
      reason: string;
      lineIds: string[];
      objectionId?: string;
    },
    exec: WorkflowExecution,
  ): Promise<number> {
    const { workflowId, runId } = exec;
    return this.db.$transaction(async (tx) => {
      if (input.outcome === 'UPHOLD' && input.lineIds.length > 0) {
        // Only this claim's lines: an id from another claim is ignored, never rejected there.
        const own = (
          await tx.claimLine.findMany({ where: { id: { in: input.lineIds }, claimId: input.claimId }, select: { id: true } })
        ).map((l) => l.id);
        await tx.subsidyGrant.deleteMany({ where: { claimLineId: { in: own } } });
        await tx.claimLine.updateMany({
          where: { id: { in: own } },
          data: { status: 'REJECTED', decisionReason: `objection upheld: ${input.reason}`, decidedBy: input.actor.userId },
        });
      }
      const total = await approvedTotal(tx, input.claimId);
      await tx.claim.update({ where: { id: input.claimId }, data: { approvedFen: total } });
      const answer = {
        status: input.outcome === 'UPHOLD' ? ('UPHELD' as const) : ('DISMISSED' as const),
        resolution: input.reason,
        resolvedAt: new Date(),
        resolvedBy: input.actor.userId,
        upheldLineIds: input.outcome === 'UPHOLD' ? input.lineIds : [],
      };
      await tx.objection.updateMany({
        where: input.objectionId
          ? { id: input.objectionId, claimId: input.claimId, status: 'OPEN' }
          : { claimId: input.claimId, status: 'OPEN' },
        data: answer,
      });
      await completeTask(tx, input.taskId, input.actor, { outcome: input.outcome, lineIds: input.lineIds });
      await appendAudit(tx, {
        dedupeKey: `${workflowId}:${input.updateId}`,
        actor: input.actor,
        action: `CLAIM_OBJECTION_${input.outcome}`,
        caseType: CLAIM_CASE_TYPE,
        caseId: input.claimId,
        workflowId,
        runId,
        reason: input.reason,
        details: { objectionId: input.objectionId ?? null, lineIds: input.lineIds, approvedFen: total },
      });
      return total;
    });
  }

  /** Inspectors of the claim's region, and everyone who decided on the claim (they must recuse, R10.3). Claims opened before the random draw only. */
  async postAuditCandidates(input: { claimId: string }): Promise<{ pool: string[]; deciders: string[] }> {
    const claim = await loadClaim(this.db, input.claimId);
    const city = claim.regionCode.slice(0, 4);
    const inspectors = await this.db.inspector.findMany({
      where: { active: true, regionCode: { startsWith: city } },
      select: { userId: true },
    });
    return { pool: inspectors.map((i) => i.userId), deciders: await claimDeciders(this.db, claim.id) };
  }

  /**
   * R10.3 the post-audit draw, from a cryptographic random source (node:crypto), recorded with the claim:
   * the value and the rate, and when sampled the pool level by level (the claim's region, then its parents),
   * the excluded deciders, the picks and the team. A retry returns the recorded draw; it never draws again.
   * When even the province's pool is too small no team is drawn (never "anyone"): the lead inspector assigns.
   * With `rotation` (R10.3 inspectors rotate) the institution's previous teams are left out as long as the
   * pool up to the province allows, and the draw records who was rotated out or that rotation was relaxed.
   */
  async drawPostAudit(
    input: {
      claimId: string;
      withCommitment: boolean;
      ratePercent: number;
      teamSize: number;
      rotation?: RotationLookback;
    },
    exec: WorkflowExecution,
  ): Promise<PostAuditDraw> {
    const { workflowId, runId } = exec;
    return this.db.$transaction(async (tx) => {
      // The claim row is locked: two attempts of this activity cannot both draw.
      await tx.$queryRaw`SELECT 1 FROM "Claim" WHERE "id" = ${input.claimId}::uuid FOR UPDATE`;
      const claim = await loadClaim(tx, input.claimId);
      const recorded = postAuditDrawOf(claim.postAuditDraw);
      if (recorded?.drawId) return recorded;
      const value = randomInt(DRAW_SCALE);
      const draw: PostAuditDraw = {
        drawId: randomBytes(16).toString('hex'),
        method: 'node:crypto randomInt; sampled when value < rate% of scale; team by uniform picks among the eligible, sorted',
        value,
        scale: DRAW_SCALE,
        ratePercent: input.ratePercent,
        claimKind: input.withCommitment ? 'COMMITMENT' : 'FULL_REVIEW',
        sampled: isSampled(value, input.ratePercent),
      };
      if (draw.sampled) {
        // R10.3 rotation: draws for one institution take turns, so each sees the teams drawn before it.
        await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${`post-audit-draw:${claim.institutionId}`}::text))`;
        const levels = [...regionAncestors(claim.regionCode)].reverse(); // the claim's own region first
        const rows = await tx.inspector.findMany({
          where: { active: true, regionCode: { in: levels } },
          select: { userId: true, regionCode: true },
          orderBy: { userId: 'asc' },
        });
        const pool: PoolLevel[] = levels.map((regionCode) => ({
          regionCode,
          inspectors: rows.filter((r) => r.regionCode === regionCode).map((r) => r.userId),
        }));
        const excluded = await claimDeciders(this.db, claim.id);
        const lookback = input.rotation ?? { claims: 0, period: null };
        const previous = rotationRecent(await priorTeams(tx, claim.institutionId, claim.id), lookback, new Date());
        const found = rotatedTeamPool(pool, excluded, previous.inspectors, input.teamSize);
        Object.assign(draw, { teamSize: input.teamSize, pool, excluded, widenedTo: found?.widenedTo ?? null });
        if (found) {
          draw.picks = Array.from({ length: found.seats }, (_, i) => randomInt(found.eligible.length - i));
          const team = teamFromPool(found, draw.picks);
          draw.inspectors = team.inspectors;
          if (input.rotation) {
            draw.rotation = {
              lookback,
              previousClaimIds: previous.claimIds,
              previousInspectors: previous.inspectors,
              rotatedOut: team.rotatedOut,
              relaxed: found.relaxed,
              ...(found.relaxed ? { certain: found.certain } : {}),
            };
          }
        } else {
          draw.inspectors = [];
          draw.problem = `fewer than ${input.teamSize} inspectors without a conflict of interest up to the province: the lead inspector assigns the team`;
          if (input.rotation)
            draw.rotation = {
              lookback,
              previousClaimIds: previous.claimIds,
              previousInspectors: previous.inspectors,
              rotatedOut: [],
              relaxed: true,
            };
        }
      }
      await tx.claim.update({ where: { id: claim.id }, data: { postAuditDraw: draw as unknown as Prisma.InputJsonValue } });
      await appendAudit(tx, {
        dedupeKey: `${workflowId}:post-audit-draw`,
        actor: SYSTEM_ACTOR,
        action: 'CLAIM_POST_AUDIT_DRAWN',
        caseType: CLAIM_CASE_TYPE,
        caseId: claim.id,
        workflowId,
        runId,
        details: draw as unknown as Prisma.InputJsonValue,
      });
      return draw;
    });
  }

  /** R10.3 the lead inspector names the team no draw could make; recorded with the draw. */
  async assignInspectionTeam(
    input: {
      claimId: string;
      updateId: string;
      taskId: string;
      actor: Actor;
      inspectors: string[];
    },
    exec: WorkflowExecution,
  ): Promise<void> {
    const { workflowId, runId } = exec;
    await this.db.$transaction(async (tx) => {
      const claim = await loadClaim(tx, input.claimId);
      const audit = (claim.postAuditDraw ?? {}) as Record<string, unknown>;
      await tx.claim.update({
        where: { id: claim.id },
        data: { postAuditDraw: { ...audit, inspectors: input.inspectors, assignedBy: input.actor.userId } as Prisma.InputJsonValue },
      });
      await completeTask(tx, input.taskId, input.actor, { inspectors: input.inspectors });
      await appendAudit(tx, {
        dedupeKey: `${workflowId}:${input.updateId}`,
        actor: input.actor,
        action: 'CLAIM_INSPECTION_TEAM_ASSIGNED',
        caseType: CLAIM_CASE_TYPE,
        caseId: claim.id,
        workflowId,
        runId,
        details: { inspectors: input.inspectors },
      });
    });
  }

  /** Records the post-audit draw (value, rate, result, inspectors) so it can be checked later. */
  async recordPostAuditDraw(input: { claimId: string; audit: Record<string, unknown> }, exec: WorkflowExecution): Promise<void> {
    const { workflowId, runId } = exec;
    await this.db.$transaction(async (tx) => {
      await tx.claim.update({ where: { id: input.claimId }, data: { postAuditDraw: input.audit as Prisma.InputJsonValue } });
      await appendAudit(tx, {
        dedupeKey: `${workflowId}:post-audit-draw`,
        actor: SYSTEM_ACTOR,
        action: 'CLAIM_POST_AUDIT_DRAWN',
        caseType: CLAIM_CASE_TYPE,
        caseId: input.claimId,
        workflowId,
        runId,
        details: input.audit as Prisma.InputJsonValue,
      });
    });
  }

  /** The inspection team's finding; a false commitment marks the claim for investigation. */
  async recordInspection(
    input: {
      claimId: string;
      updateId: string;
      taskId: string;
      actor: Actor;
      outcome: 'CONFIRMED' | 'COMMITMENT_FALSE';
      findings: string;
      audit: Record<string, unknown>;
    },
    exec: WorkflowExecution,
  ): Promise<void> {
    const { workflowId, runId } = exec;
    await this.db.$transaction(async (tx) => {
      // The audit passed in is the workflow's; the draw recorded with the claim (random draws) is kept under it.
      const recorded = ((await loadClaim(tx, input.claimId)).postAuditDraw ?? {}) as Record<string, unknown>;
      const audit = recorded.drawId ? { ...recorded, ...input.audit } : input.audit;
      await tx.claim.update({
        where: { id: input.claimId },
        data: {
          investigationFlag: input.outcome === 'COMMITMENT_FALSE',
          inspectionOutcome: input.outcome,
          inspectedAt: new Date(),
          postAuditDraw: {
            ...audit,
            outcome: input.outcome,
            findings: input.findings,
            reportedBy: input.actor.userId,
          } as Prisma.InputJsonValue,
        },
      });
      await completeTask(tx, input.taskId, input.actor, { outcome: input.outcome, findings: input.findings });
      await appendAudit(tx, {
        dedupeKey: `${workflowId}:${input.updateId}`,
        actor: input.actor,
        action: `CLAIM_INSPECTION_${input.outcome}`,
        caseType: CLAIM_CASE_TYPE,
        caseId: input.claimId,
        workflowId,
        runId,
        reason: input.findings,
      });
    });
  }
}
