// The filing repository (审核备案, R2.1): filings, their revisions and review tasks; idempotent writes keyed by
// business ids, each in one transaction with its audit entry.
import type { Db, Prisma } from '../prisma/client';
import { regionPrefix } from '../workflows/domain/region';
import { afterCursor, type Cursor } from './pagination';
import { SYSTEM_ACTOR, type Actor, type Problem } from '../workflows/contracts/common';
import { FILING_CASE_TYPE, type FilingApplication, type FilingDecision, type FilingStatus } from '../workflows/contracts/filing';
import type { ScopeItem } from '../workflows/domain/scope';
import { appendAudit, notify, type WorkflowExecution } from './audit.repository';
import { RecordNotFoundError } from './errors';
import { filingApplicationOf } from './json';
import { TASK_KINDS } from '../workflows/contracts/tasks';

async function loadFiling(db: Db, filingId: string) {
  const filing = await db.filing.findUnique({ where: { id: filingId } });
  if (!filing) throw new RecordNotFoundError('Filing', filingId);
  return filing;
}

export class FilingRepository {
  constructor(private readonly db: Db) {}

  filing(id: string) {
    return this.db.filing.findUnique({ where: { id } });
  }

  /** The institution's application still being handled (submitted, under review or returned), if any. */
  openFilingOf(creditCode: string) {
    return this.db.filing.findFirst({ where: { creditCode, status: { in: ['SUBMITTED', 'UNDER_REVIEW', 'RETURNED'] } } });
  }

  /** The number the institution's next application takes. */
  async nextSequence(creditCode: string): Promise<number> {
    const last = await this.db.filing.aggregate({ where: { creditCode }, _max: { sequence: true } });
    return (last._max.sequence ?? 0) + 1;
  }

  /** Stores a new application with its first revision (its workflow is started next). */
  createFiling(f: {
    institutionId: string;
    creditCode: string;
    sequence: number;
    workflowId: string;
    regionCode: string;
    submittedBy: string;
    application: FilingApplication;
  }) {
    const { application, ...filing } = f;
    return this.db.filing.create({
      data: {
        ...filing,
        revisions: { create: { revision: 1, application: application as unknown as Prisma.InputJsonValue, submittedBy: f.submittedBy } },
      },
    });
  }

  /** Removes an application whose workflow could not be started. */
  async deleteFiling(id: string): Promise<void> {
    await this.db.filing.delete({ where: { id } });
  }

  /** Everything GET /filings/:id shows besides the filing: revisions, tasks, audit trail, the institution. */
  async filingRecord(filingId: string, institutionId: string) {
    const [revisions, tasks, audit, institution] = await Promise.all([
      this.db.filingRevision.findMany({ where: { filingId }, orderBy: { revision: 'asc' } }),
      this.db.humanTask.findMany({ where: { caseId: filingId }, orderBy: { createdAt: 'asc' } }),
      this.db.auditEvent.findMany({ where: { caseType: 'FILING', caseId: filingId }, orderBy: { id: 'asc' } }),
      this.db.institution.findUniqueOrThrow({ where: { id: institutionId } }),
    ]);
    return { revisions: revisions.map((r) => ({ ...r, application: filingApplicationOf(r.application) })), tasks, audit, institution };
  }

  /** A page of applications in (createdAt, id) order with the institution's name: a region's and below, or one institution's. */
  list(f: { scope: { regionCode: string } | { institutionId: string | undefined }; status?: FilingStatus; after?: Cursor; take: number }) {
    const scope: Prisma.FilingWhereInput =
      'regionCode' in f.scope ? { regionCode: { startsWith: regionPrefix(f.scope.regionCode) } } : { institutionId: f.scope.institutionId };
    return this.db.filing.findMany({
      where: { AND: [scope, f.status ? { status: f.status } : {}, afterCursor(f.after)] },
      orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
      take: f.take,
      include: { institution: { select: { name: true } } },
    });
  }

  /** Records the policy versions the case was opened under (POLICY.md: a case keeps its version). */
  async recordFilingOpened(input: { filingId: string; policyVersionIds: string[]; actor: Actor }, exec: WorkflowExecution): Promise<void> {
    const { workflowId, runId } = exec;
    const filing = await loadFiling(this.db, input.filingId);
    await this.db.$transaction(async (tx) => {
      await tx.filing.update({ where: { id: filing.id }, data: { policyVersionIds: input.policyVersionIds } });
      await appendAudit(tx, {
        dedupeKey: `${workflowId}:opened`,
        actor: input.actor,
        action: 'FILING_SUBMITTED',
        caseType: FILING_CASE_TYPE,
        caseId: filing.id,
        workflowId,
        runId,
        details: { policyVersionIds: input.policyVersionIds, revision: 1 },
      });
    });
  }

  /**
   * Completeness check against reference data: known occupations, levels their standard defines, a region of
   * the province, teachers and facilities described. Returns the problems and the requested scope.
   */
  async checkFilingCompleteness(input: { filingId: string; revision: number }): Promise<{
    problems: Problem[];
    requestedScope: ScopeItem[];
  }> {
    const revision = await this.db.filingRevision.findUnique({
      where: { filingId_revision: { filingId: input.filingId, revision: input.revision } },
    });
    if (!revision) throw new RecordNotFoundError('FilingRevision', `${input.filingId}#${input.revision}`);
    const app = filingApplicationOf(revision.application);
    const codes = app.scope.map((s) => s.occupationCode);
    const [occupations, region] = await Promise.all([
      this.db.occupation.findMany({ where: { code: { in: codes } } }),
      this.db.region.findUnique({ where: { code: app.regionCode } }),
    ]);
    const byCode = new Map(occupations.map((o) => [o.code, o]));
    const problems: Problem[] = [];
    if (!region) {
      problems.push({ field: 'regionCode', problem: 'not a region of this province', problemZh: '不是本省的行政区划' });
    }
    app.scope.forEach((item, i) => {
      const occ = byCode.get(item.occupationCode);
      if (!occ) {
        problems.push({
          field: `scope[${i}].occupationCode`,
          problem: `occupation ${item.occupationCode} is not in the occupation catalogue`,
          problemZh: `职业 ${item.occupationCode} 不在职业目录中`,
        });
        return;
      }
      item.levels.forEach((level, li) => {
        if (level > occ.lowestLevel || level < occ.highestLevel) {
          problems.push({
            field: `scope[${i}].levels[${li}]`,
            problem: `${occ.nameEn} has no level ${level} in its national standard`,
            problemZh: `${occ.nameZh} 的国家职业标准没有 ${level} 级`,
          });
        }
      });
    });
    if (app.teachers.count < 1) {
      problems.push({ field: 'teachers.count', problem: 'at least one teacher', problemZh: '至少须有一名教师' });
    }
    await this.db.filingRevision.update({
      where: { id: revision.id },
      data: { completenessProblems: problems as unknown as Prisma.InputJsonValue },
    });
    return { problems, requestedScope: app.scope };
  }

  /** Puts the filing under review and opens the reviewer's task with its due date. Returns the task id. */
  async openFilingReview(
    input: {
      filingId: string;
      revision: number;
      dueAt: string;
      /** made by the workflow, so its validator knows the task before anyone can see it */
      taskId?: string;
      escalation?: { fromTaskId: string };
      /** R9.9: dueAt was computed over days no calendar version covers */
      dueProvisional?: boolean;
    },
    exec: WorkflowExecution,
  ): Promise<string> {
    const { workflowId, runId } = exec;
    const filing = await loadFiling(this.db, input.filingId);
    const lead = input.escalation !== undefined;
    const dedupeKey = `${workflowId}:review:${input.revision}${lead ? ':lead' : ''}`;
    return this.db.$transaction(async (tx) => {
      const existing = await tx.humanTask.findUnique({ where: { dedupeKey } });
      if (existing) return existing.id;
      // The filing row is locked so an escalation and a decision racing each other serialise:
      // once decided, no lead task is opened.
      const [locked] = await tx.$queryRaw<{ status: string }[]>`
        SELECT "status"::text FROM "Filing" WHERE "id" = ${filing.id}::uuid FOR UPDATE`;
      if (lead && locked?.status !== 'UNDER_REVIEW') return '';
      const task = await tx.humanTask.create({
        data: {
          id: input.taskId,
          dedupeKey,
          kind: lead ? TASK_KINDS.filingReviewEscalated : TASK_KINDS.filingReview,
          caseType: FILING_CASE_TYPE,
          caseId: filing.id,
          workflowId,
          role: lead ? 'lead_reviewer' : 'reviewer',
          regionCode: filing.regionCode,
          institutionId: filing.institutionId,
          title: `${lead ? '[逾期升级 escalated] ' : ''}审核备案 Review filing ${filing.creditCode} #${input.revision}`,
          dueAt: new Date(input.dueAt),
          dueProvisional: input.dueProvisional ?? false,
          escalatedFromId: input.escalation?.fromTaskId,
        },
      });
      if (lead) {
        await tx.humanTask.update({
          where: { id: input.escalation!.fromTaskId },
          data: { escalated: true, escalatedAt: new Date() },
        });
      } else {
        await tx.filing.update({
          where: { id: filing.id },
          data: { status: 'UNDER_REVIEW', reviewDueAt: new Date(input.dueAt) },
        });
      }
      await appendAudit(tx, {
        dedupeKey: `${dedupeKey}:opened`,
        actor: SYSTEM_ACTOR,
        action: lead ? TASK_KINDS.filingReviewEscalated : 'FILING_REVIEW_OPENED',
        caseType: FILING_CASE_TYPE,
        caseId: filing.id,
        workflowId,
        runId,
        details: { taskId: task.id, dueAt: input.dueAt, revision: input.revision },
      });
      return task.id;
    });
  }

  /** A reviewer's decision: closes the case's open tasks, moves the filing, audits who/what/why. */
  async recordFilingDecision(
    input: {
      filingId: string;
      updateId: string;
      taskId: string;
      actor: Actor;
      decision: FilingDecision;
      status: FilingStatus;
      amendmentDueAt?: string;
      /** R9.9: amendmentDueAt was computed over days no calendar version covers */
      amendmentDueProvisional?: boolean;
    },
    exec: WorkflowExecution,
  ): Promise<void> {
    const { workflowId, runId } = exec;
    const filing = await loadFiling(this.db, input.filingId);
    const { decision } = input;
    const reason = decision.outcome === 'APPROVE' ? decision.note : decision.reason;
    const closed = input.status === 'APPROVED' || input.status === 'REJECTED';
    await this.db.$transaction(async (tx) => {
      await tx.$queryRaw`SELECT 1 FROM "Filing" WHERE "id" = ${filing.id}::uuid FOR UPDATE`;
      await tx.humanTask.updateMany({
        where: { caseId: filing.id, status: 'OPEN' },
        data: { status: 'COMPLETED', completedAt: new Date(), completedBy: input.actor.userId },
      });
      await tx.humanTask.update({
        where: { id: input.taskId },
        data: { outcome: decision as unknown as Prisma.InputJsonValue },
      });
      await tx.filing.update({
        where: { id: filing.id },
        data: {
          status: input.status,
          decisionReason: reason ?? null,
          grantedScope: decision.outcome === 'APPROVE' ? (decision.grantedScope as unknown as Prisma.InputJsonValue) : undefined,
          amendmentDueAt: input.amendmentDueAt ? new Date(input.amendmentDueAt) : null,
          amendmentDueProvisional: input.amendmentDueProvisional ?? false,
          closedAt: closed ? new Date() : null,
        },
      });
      await appendAudit(tx, {
        dedupeKey: `${workflowId}:${input.updateId}`,
        actor: input.actor,
        action: `FILING_${decision.outcome}`,
        caseType: FILING_CASE_TYPE,
        caseId: filing.id,
        workflowId,
        runId,
        reason,
        details: { taskId: input.taskId, decision, amendmentDueAt: input.amendmentDueAt } as Prisma.InputJsonValue,
      });
      await notify(tx, {
        dedupeKey: `${workflowId}:${input.updateId}:notice`,
        institutionId: filing.institutionId,
        kind: `FILING_${decision.outcome}`,
        caseType: FILING_CASE_TYPE,
        caseId: filing.id,
        message: `Your filing was ${input.status.toLowerCase()}${reason ? `: ${reason}` : '.'}`,
        messageZh: `您的备案申请${statusZh(input.status)}${reason ? `：${reason}` : '。'}`,
      });
    });
  }

  /** The completeness check failed: returned to the institution without a reviewer (audited as the system). */
  async returnIncompleteFiling(
    input: {
      filingId: string;
      revision: number;
      problems: Problem[];
      amendmentDueAt: string;
      /** R9.9: amendmentDueAt was computed over days no calendar version covers */
      amendmentDueProvisional?: boolean;
    },
    exec: WorkflowExecution,
  ): Promise<void> {
    const { workflowId, runId } = exec;
    const filing = await loadFiling(this.db, input.filingId);
    await this.db.$transaction(async (tx) => {
      await tx.filing.update({
        where: { id: filing.id },
        data: {
          status: 'RETURNED',
          amendmentDueAt: new Date(input.amendmentDueAt),
          amendmentDueProvisional: input.amendmentDueProvisional ?? false,
          decisionReason: 'incomplete',
        },
      });
      await appendAudit(tx, {
        dedupeKey: `${workflowId}:incomplete:${input.revision}`,
        actor: SYSTEM_ACTOR,
        action: 'FILING_RETURNED_INCOMPLETE',
        caseType: FILING_CASE_TYPE,
        caseId: filing.id,
        workflowId,
        runId,
        reason: 'completeness check failed',
        details: { problems: input.problems, amendmentDueAt: input.amendmentDueAt } as unknown as Prisma.InputJsonValue,
      });
      await notify(tx, {
        dedupeKey: `${workflowId}:incomplete:${input.revision}:notice`,
        institutionId: filing.institutionId,
        kind: 'FILING_RETURNED_INCOMPLETE',
        caseType: FILING_CASE_TYPE,
        caseId: filing.id,
        message: `Your filing is incomplete (${input.problems.length} problems); resubmit by ${input.amendmentDueAt}.`,
        messageZh: `您的备案申请材料不完整（${input.problems.length} 处），请于 ${input.amendmentDueAt} 前补正。`,
      });
    });
  }

  /** Stores a resubmitted application as the next revision. Keyed by the Update id. */
  async saveFilingResubmission(
    input: {
      filingId: string;
      updateId: string;
      revision: number;
      actor: Actor;
      application: FilingApplication;
    },
    exec: WorkflowExecution,
  ): Promise<void> {
    const { workflowId, runId } = exec;
    const filing = await loadFiling(this.db, input.filingId);
    await this.db.$transaction(async (tx) => {
      const existing = await tx.filingRevision.findUnique({
        where: { filingId_revision: { filingId: filing.id, revision: input.revision } },
      });
      if (existing) return;
      await tx.filingRevision.create({
        data: {
          filingId: filing.id,
          revision: input.revision,
          application: input.application as unknown as Prisma.InputJsonValue,
          submittedBy: input.actor.userId,
        },
      });
      await tx.filing.update({
        where: { id: filing.id },
        data: {
          status: 'SUBMITTED',
          revision: input.revision,
          amendmentDueAt: null,
          amendmentDueProvisional: false,
          decisionReason: null,
        },
      });
      await tx.institution.update({
        where: { id: filing.institutionId },
        data: { name: input.application.institutionName },
      });
      await appendAudit(tx, {
        dedupeKey: `${workflowId}:${input.updateId}`,
        actor: input.actor,
        action: 'FILING_RESUBMITTED',
        caseType: FILING_CASE_TYPE,
        caseId: filing.id,
        workflowId,
        runId,
        details: { revision: input.revision },
      });
    });
  }

  /** No resubmission by the deadline: the application is withdrawn (视为撤回). */
  async withdrawFiling(input: { filingId: string; amendmentDueAt: string }, exec: WorkflowExecution): Promise<void> {
    const { workflowId, runId } = exec;
    const filing = await loadFiling(this.db, input.filingId);
    await this.db.$transaction(async (tx) => {
      await tx.filing.update({ where: { id: filing.id }, data: { status: 'WITHDRAWN', closedAt: new Date() } });
      await tx.humanTask.updateMany({
        where: { caseId: filing.id, status: 'OPEN' },
        data: { status: 'CANCELLED', completedAt: new Date(), completedBy: SYSTEM_ACTOR.userId },
      });
      await appendAudit(tx, {
        dedupeKey: `${workflowId}:withdrawn`,
        actor: SYSTEM_ACTOR,
        action: 'FILING_WITHDRAWN',
        caseType: FILING_CASE_TYPE,
        caseId: filing.id,
        workflowId,
        runId,
        reason: 'no resubmission by the amendment deadline',
        details: { amendmentDueAt: input.amendmentDueAt },
      });
      await notify(tx, {
        dedupeKey: `${workflowId}:withdrawn:notice`,
        institutionId: filing.institutionId,
        kind: 'FILING_WITHDRAWN',
        caseType: FILING_CASE_TYPE,
        caseId: filing.id,
        message: 'Your filing was withdrawn: it was not resubmitted by the amendment deadline.',
        messageZh: '您的备案申请逾期未补正，视为撤回。',
      });
    });
  }
}

function statusZh(status: FilingStatus): string {
  const zh: Record<FilingStatus, string> = {
    SUBMITTED: '已提交',
    UNDER_REVIEW: '审核中',
    RETURNED: '被退回补正',
    APPROVED: '已通过备案',
    REJECTED: '不予备案',
    WITHDRAWN: '已撤回',
  };
  return zh[status];
}
