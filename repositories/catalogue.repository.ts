// The catalogue repository (目录清单, R3.1): stored catalogue versions and their rows, read by the API's
// CataloguesService and ClassesService; compiled, reviewed and published (as the next gapless number) by the
// catalogue activities. Each write is idempotent: keyed by the workflow run or the Update id.
import type { Db, Prisma } from '../prisma/client';
import { SYSTEM_ACTOR, type Actor } from '../workflows/contracts/common';
import { CATALOGUE_CASE_TYPE, CATALOGUE_REGION, type CatalogueChange } from '../workflows/contracts/catalogue';
import { fenNumber } from '../workflows/domain/ledger-rules';
import {
  annualEffectiveFrom,
  compileCatalogue,
  diffCatalogues,
  diffIsEmpty,
  diffSummary,
  type Catalogue,
  type CatalogueDiff,
} from '../workflows/domain/catalogue';
import { appendAudit, completeTask, type WorkflowExecution } from './audit.repository';
import { loadPolicy } from './policy.repository';
import { RecordNotFoundError } from './errors';
import { catalogueDiffOf, scopeOf } from './json';
import { TASK_KINDS } from '../workflows/contracts/tasks';
import { addDays, startOfShanghaiDay } from '../workflows/domain/calendar';
import { regionAncestors } from '../workflows/domain/region';

type Tx = Prisma.TransactionClient;
/** Serialises numbering: one publication at a time takes max(number) + 1 (pg_advisory_xact_lock key). */
const NUMBERING_LOCK = 3_100_001;
const json = (x: unknown) => x as Prisma.InputJsonValue;

/** Compiles the catalogues (projects, training and evaluation institutions) as they stand in PostgreSQL for an effective instant. */
async function compileFromDb(tx: Tx, db: Db, at: Date): Promise<Catalogue> {
  const [qualifications, evaluators, standards, occupations, policy] = await Promise.all([
    tx.qualification.findMany({ where: { status: 'ACTIVE' }, include: { institution: true } }),
    tx.evaluationInstitution.findMany({ where: { status: 'ACTIVE' } }),
    tx.projectStandard.findMany(),
    tx.occupation.findMany({ select: { code: true, nameZh: true } }),
    loadPolicy(db, CATALOGUE_REGION, at),
  ]);
  return compileCatalogue({
    at,
    workerCapFen: policy.parameters.subsidy.workerCapFen,
    occupationNames: Object.fromEntries(occupations.map((o) => [o.code, o.nameZh])),
    standards: standards.map((s) => ({ ...s, standardFen: fenNumber(s.standardFen), effectiveFrom: s.effectiveFrom.toISOString() })),
    qualifications: qualifications.map((q) => ({
      qualificationId: q.id,
      institutionId: q.institutionId,
      institutionName: q.institution.name,
      institutionType: q.institution.type,
      regionCode: q.regionCode,
      route: q.route,
      status: q.status,
      scope: scopeOf(q.scope, 'Qualification.scope'),
      validFrom: q.validFrom.toISOString(),
      validTo: q.validTo.toISOString(),
    })),
    evaluators: evaluators.map((e) => ({
      evaluationInstitutionId: e.id,
      name: e.name,
      creditCode: e.creditCode,
      regionCode: e.regionCode,
      status: e.status,
      scope: scopeOf(e.scope, 'EvaluationInstitution.scope'),
      validFrom: e.validFrom.toISOString(),
      validTo: e.validTo.toISOString(),
    })),
  });
}

const latestPublished = (tx: Tx) => tx.catalogueVersion.findFirst({ where: { status: 'PUBLISHED' }, orderBy: { number: 'desc' } });

async function diffAgainstLatest(tx: Tx, catalogue: Catalogue): Promise<{ basedOnNumber: number | null; diff: CatalogueDiff }> {
  const base = await latestPublished(tx);
  const before = base ? await loadCatalogue(tx, base.id) : { projects: [], institutions: [], evaluators: [] };
  return { basedOnNumber: base?.number ?? null, diff: diffCatalogues(before, catalogue) };
}

/** One multi-row INSERT per table (createMany), whatever the size. */
async function writeRows(tx: Tx, versionId: string, c: Catalogue): Promise<void> {
  await tx.catalogueProject.createMany({ data: c.projects.map((p) => ({ ...p, versionId })) });
  await tx.catalogueInstitution.createMany({
    data: c.institutions.map((i) => ({
      ...i,
      versionId,
      type: i.type as Prisma.CatalogueInstitutionCreateManyInput['type'],
      scope: json(i.scope),
      validFrom: new Date(i.validFrom),
      validTo: new Date(i.validTo),
    })),
  });
  await tx.catalogueEvaluator.createMany({
    data: c.evaluators.map((e) => ({
      ...e,
      versionId,
      scope: json(e.scope),
      validFrom: new Date(e.validFrom),
      validTo: new Date(e.validTo),
    })),
  });
}

async function nextNumber(tx: Tx): Promise<number> {
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(${NUMBERING_LOCK}::bigint)`;
  const max = await tx.catalogueVersion.aggregate({ _max: { number: true } });
  return (max._max.number ?? 0) + 1;
}

/** The rows of a stored version, in the shape the pure diff works on. */
export async function loadCatalogue(
  tx: Pick<Tx, 'catalogueProject' | 'catalogueInstitution' | 'catalogueEvaluator'>,
  versionId: string,
): Promise<Catalogue> {
  const [projects, institutions, evaluators] = await Promise.all([
    tx.catalogueProject.findMany({ where: { versionId }, orderBy: [{ occupationCode: 'asc' }, { level: 'asc' }, { regionCode: 'asc' }] }),
    tx.catalogueInstitution.findMany({ where: { versionId }, orderBy: { qualificationId: 'asc' } }),
    tx.catalogueEvaluator.findMany({ where: { versionId }, orderBy: { evaluationInstitutionId: 'asc' } }),
  ]);
  return {
    projects: projects.map(({ id: _id, versionId: _v, ...p }) => ({ ...p, standardFen: fenNumber(p.standardFen) })),
    institutions: institutions.map((i) => ({
      qualificationId: i.qualificationId,
      institutionId: i.institutionId,
      name: i.name,
      type: i.type,
      regionCode: i.regionCode,
      route: i.route,
      scope: scopeOf(i.scope, 'CatalogueInstitution.scope'),
      validFrom: i.validFrom.toISOString(),
      validTo: i.validTo.toISOString(),
    })),
    evaluators: evaluators.map((e) => ({
      evaluationInstitutionId: e.evaluationInstitutionId,
      name: e.name,
      creditCode: e.creditCode,
      regionCode: e.regionCode,
      scope: scopeOf(e.scope, 'CatalogueEvaluator.scope'),
      validFrom: e.validFrom.toISOString(),
      validTo: e.validTo.toISOString(),
    })),
  };
}

// R4.2: a class's standard per person comes from the catalogue version in force on its start date — the
// highest-numbered PUBLISHED version effective by the end of that day (Asia/Shanghai) — from the project of the
// class's occupation and level in its region, its city or the province (the most local one wins).
async function catalogueStandardFen(
  db: Db,
  cls: { occupationCode: string; level: number; regionCode: string; startDate: string },
): Promise<{ standardFen: number; versionNumber: number } | null> {
  const version = await db.catalogueVersion.findFirst({
    where: { status: 'PUBLISHED', effectiveFrom: { lt: startOfShanghaiDay(addDays(cls.startDate, 1)) } },
    orderBy: { number: 'desc' },
  });
  if (!version) return null;
  const regions = regionAncestors(cls.regionCode);
  const projects = await db.catalogueProject.findMany({
    where: { versionId: version.id, occupationCode: cls.occupationCode, level: cls.level, regionCode: { in: regions } },
  });
  const mostLocal = projects.sort((a, b) => regions.indexOf(b.regionCode) - regions.indexOf(a.regionCode))[0];
  return mostLocal ? { standardFen: fenNumber(mostLocal.standardFen), versionNumber: version.number! } : null;
}

export class CatalogueRepository {
  constructor(private readonly db: Db) {}

  /** This year's annual compilation still awaiting review, if any. */
  openAnnualDraft(year: number) {
    return this.db.catalogueVersion.findFirst({ where: { year, kind: 'ANNUAL', status: 'DRAFT' } });
  }

  version(id: string) {
    return this.db.catalogueVersion.findUnique({ where: { id } });
  }

  /** Published versions, newest number first. */
  publishedVersions() {
    return this.db.catalogueVersion.findMany({ where: { status: 'PUBLISHED' }, orderBy: { number: 'desc' } });
  }

  publishedVersion(number: number) {
    return this.db.catalogueVersion.findFirst({ where: { number, status: 'PUBLISHED' } });
  }

  /** The rows of a stored version. */
  catalogue(versionId: string): Promise<Catalogue> {
    return loadCatalogue(this.db, versionId);
  }

  /** R4.2 a class's standard per person from the catalogue in force on its start date. */
  standardFen(cls: { occupationCode: string; level: number; regionCode: string; startDate: string }) {
    return catalogueStandardFen(this.db, cls);
  }

  /** An annual draft: both catalogues for 1 January of the year (or now if later), with the diff against the current version. */
  async compileCatalogueDraft(
    input: {
      year: number;
      requestedBy: string;
    },
    exec: WorkflowExecution,
  ): Promise<{ versionId: string; basedOnNumber: number | null; summary: ReturnType<typeof diffSummary> }> {
    const { workflowId, runId } = exec;
    const dedupeKey = `${workflowId}:${runId}:draft`;
    return this.db.$transaction(
      async (tx) => {
        const done = await tx.catalogueVersion.findUnique({ where: { dedupeKey } });
        if (done) return { versionId: done.id, basedOnNumber: done.basedOnNumber, summary: diffSummary(catalogueDiffOf(done.diff)) };
        const at = annualEffectiveFrom(input.year, new Date());
        const catalogue = await compileFromDb(tx, this.db, at);
        const { basedOnNumber, diff } = await diffAgainstLatest(tx, catalogue);
        const v = await tx.catalogueVersion.create({
          data: {
            kind: 'ANNUAL',
            year: input.year,
            dedupeKey,
            workflowId,
            requestedBy: input.requestedBy,
            basedOnNumber,
            diff: json(diff),
          },
        });
        await writeRows(tx, v.id, catalogue);
        await appendAudit(tx, {
          dedupeKey: `catalogue:${v.id}:compiled`,
          actor: SYSTEM_ACTOR,
          action: 'CATALOGUE_COMPILED',
          caseType: CATALOGUE_CASE_TYPE,
          caseId: v.id,
          workflowId,
          runId,
          details: {
            year: input.year,
            projects: catalogue.projects.length,
            institutions: catalogue.institutions.length,
            evaluators: catalogue.evaluators.length,
          },
        });
        return { versionId: v.id, basedOnNumber, summary: diffSummary(diff) };
      },
      { timeout: 60_000 },
    );
  }

  /** The reviewer's task (role reviewer, the province); its title carries the diff counts, the draft endpoint the diff. */
  async openCatalogueReview(input: { versionId: string; taskId: string; title: string }, exec: WorkflowExecution): Promise<void> {
    const { workflowId, runId } = exec;
    await this.db.$transaction(async (tx) => {
      const dedupeKey = `${workflowId}:${runId}:review`;
      if (await tx.humanTask.findUnique({ where: { dedupeKey } })) return;
      await tx.humanTask.create({
        data: {
          id: input.taskId,
          dedupeKey,
          kind: TASK_KINDS.catalogueReview,
          caseType: CATALOGUE_CASE_TYPE,
          caseId: input.versionId,
          workflowId,
          role: 'reviewer',
          regionCode: CATALOGUE_REGION,
          title: input.title,
        },
      });
      await appendAudit(tx, {
        dedupeKey: `${dedupeKey}:opened`,
        actor: SYSTEM_ACTOR,
        action: 'CATALOGUE_REVIEW_OPENED',
        caseType: CATALOGUE_CASE_TYPE,
        caseId: input.versionId,
        workflowId,
        runId,
        details: { taskId: input.taskId },
      });
    });
  }

  /** Approve: the draft becomes the next number, effective 1 January of its year or now if later; the diff is taken again against the version current now. */
  async publishCatalogue(
    input: {
      versionId: string;
      taskId: string;
      updateId: string;
      actor: Actor;
      reason?: string;
    },
    exec: WorkflowExecution,
  ): Promise<{ number: number; effectiveFrom: string }> {
    const { workflowId, runId } = exec;
    return this.db.$transaction(
      async (tx) => {
        const number = await nextNumber(tx); // takes the lock before reading the draft
        const v = await tx.catalogueVersion.findUnique({ where: { id: input.versionId } });
        if (!v) throw new RecordNotFoundError('CatalogueVersion', input.versionId);
        if (v.status === 'PUBLISHED') return { number: v.number!, effectiveFrom: v.effectiveFrom!.toISOString() };
        const now = new Date();
        const effectiveFrom = annualEffectiveFrom(v.year, now);
        const { basedOnNumber, diff } = await diffAgainstLatest(tx, await loadCatalogue(tx, v.id));
        await tx.catalogueVersion.update({
          where: { id: v.id },
          data: {
            status: 'PUBLISHED',
            number,
            effectiveFrom,
            publishedAt: now,
            approvedBy: input.actor.userId,
            decisionReason: input.reason ?? null,
            basedOnNumber,
            diff: json(diff),
          },
        });
        await completeTask(tx, input.taskId, input.actor, json({ outcome: 'APPROVE', number, reason: input.reason ?? null }), now);
        await appendAudit(tx, {
          dedupeKey: `${workflowId}:${input.updateId}`,
          actor: input.actor,
          action: 'CATALOGUE_PUBLISHED',
          caseType: CATALOGUE_CASE_TYPE,
          caseId: v.id,
          workflowId,
          runId,
          reason: input.reason,
          details: { number, effectiveFrom: effectiveFrom.toISOString(), basedOnNumber },
        });
        return { number, effectiveFrom: effectiveFrom.toISOString() };
      },
      { timeout: 60_000 },
    );
  }

  async rejectCatalogue(
    input: { versionId: string; taskId: string; updateId: string; actor: Actor; reason: string },
    exec: WorkflowExecution,
  ): Promise<void> {
    const { workflowId, runId } = exec;
    await this.db.$transaction(async (tx) => {
      const now = new Date();
      await tx.catalogueVersion.updateMany({
        where: { id: input.versionId, status: 'DRAFT' },
        data: { status: 'REJECTED', approvedBy: input.actor.userId, decisionReason: input.reason },
      });
      await completeTask(tx, input.taskId, input.actor, json({ outcome: 'REJECT', reason: input.reason }), now);
      await appendAudit(tx, {
        dedupeKey: `${workflowId}:${input.updateId}`,
        actor: input.actor,
        action: 'CATALOGUE_REJECTED',
        caseType: CATALOGUE_CASE_TYPE,
        caseId: input.versionId,
        workflowId,
        runId,
        reason: input.reason,
      });
    });
  }

  /**
   * An amendment of the latest published version (目录调整), published without review with its reasons, in force
   * now or when the version it amends takes effect, whichever is later. Nothing to amend (no published version)
   * or nothing changed: no version, so numbers stay meaningful.
   */
  async publishAmendment(
    input: {
      seq: number;
      changes: CatalogueChange[];
    },
    exec: WorkflowExecution,
  ): Promise<{ number: number | null; skipped?: 'NO_BASE' | 'NO_CHANGE' }> {
    const { workflowId, runId } = exec;
    const dedupeKey = `${workflowId}:${runId}:amendment:${input.seq}`;
    return this.db.$transaction(
      async (tx) => {
        const number = await nextNumber(tx);
        const done = await tx.catalogueVersion.findUnique({ where: { dedupeKey } });
        if (done) return { number: done.number };
        const base = await latestPublished(tx);
        if (!base) return { number: null, skipped: 'NO_BASE' };
        const now = new Date();
        const effectiveFrom = base.effectiveFrom! > now ? base.effectiveFrom! : now;
        const catalogue = await compileFromDb(tx, this.db, effectiveFrom);
        const diff = diffCatalogues(await loadCatalogue(tx, base.id), catalogue);
        if (diffIsEmpty(diff)) return { number: null, skipped: 'NO_CHANGE' };
        const reason = [...new Set(input.changes.map((c) => `${c.status}: ${c.reason}`))].join('；');
        // Rows first, then publication: PostgreSQL refuses new rows into a published version (R3.1).
        const v = await tx.catalogueVersion.create({
          data: {
            kind: 'AMENDMENT',
            year: base.year,
            status: 'DRAFT',
            number,
            effectiveFrom,
            basedOnNumber: base.number,
            reason,
            diff: json(diff),
            dedupeKey,
            workflowId,
            requestedBy: SYSTEM_ACTOR.userId,
          },
        });
        await writeRows(tx, v.id, catalogue);
        await tx.catalogueVersion.update({ where: { id: v.id }, data: { status: 'PUBLISHED', publishedAt: now } });
        await appendAudit(tx, {
          dedupeKey: `catalogue:${v.id}:published`,
          actor: SYSTEM_ACTOR,
          action: 'CATALOGUE_AMENDMENT_PUBLISHED',
          caseType: CATALOGUE_CASE_TYPE,
          caseId: v.id,
          workflowId,
          runId,
          reason,
          details: { number, basedOnNumber: base.number, qualificationIds: input.changes.map((c) => c.qualificationId) },
        });
        return { number };
      },
      { timeout: 60_000 },
    );
  }
}
