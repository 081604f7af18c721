// The calendar repository (R9.9): the official calendar's versions as data, what workflows compute deadlines
// with, and moving a task's due date or a case's deadline when a version for its days arrives.
import type { Db, Prisma } from '../prisma/client';
import { CLAIM_CASE_TYPE } from '../workflows/contracts/claim';
import { SYSTEM_ACTOR } from '../workflows/contracts/common';
import { FILING_CASE_TYPE } from '../workflows/contracts/filing';
import type { CalendarData } from '../workflows/domain/calendar';
import type { CalendarDay } from '../workflows/domain/calendar-arrangement';
import { appendAudit, type WorkflowExecution } from './audit.repository';
import { calendarDaysOf } from './json';
import { TASK_KINDS } from '../workflows/contracts/tasks';

export type CalendarVersionRow = Prisma.CalendarVersionGetPayload<object>;

/** The newest version of each year from `fromYear` on (the newest version of a year wins). */
async function newestCalendarVersions(db: Db, fromYear: number, toYear?: number): Promise<CalendarVersionRow[]> {
  const rows = await db.calendarVersion.findMany({
    where: { year: { gte: fromYear, lte: toYear } },
    orderBy: [{ year: 'asc' }, { version: 'desc' }],
  });
  return rows.filter((r, i) => i === 0 || rows[i - 1].year !== r.year);
}

/** The calendar of every year from `fromYear` on: covered years, days off, adjusted working days. */
async function loadCalendarData(db: Db, fromYear: number): Promise<CalendarData> {
  const versions = await newestCalendarVersions(db, fromYear);
  const days = versions.flatMap((v) => calendarDaysOf(v.days));
  return {
    coveredYears: versions.map((v) => v.year),
    holidays: days.filter((d) => d.type === 'HOLIDAY').map((d) => d.date),
    workdays: days.filter((d) => d.type === 'WORKDAY').map((d) => d.date),
  };
}

export class CalendarRepository {
  constructor(private readonly db: Db) {}

  /** Adds the year's next version (its number is the year's highest + 1; a race loses on the unique key). */
  async addVersion(input: { year: number; source: string; loadedBy: string; days: CalendarDay[] }): Promise<CalendarVersionRow> {
    const last = await this.db.calendarVersion.aggregate({ where: { year: input.year }, _max: { version: true } });
    return this.db.calendarVersion.create({
      data: { ...input, version: (last._max.version ?? 0) + 1, days: input.days as unknown as Prisma.InputJsonValue },
    });
  }

  /** R9.9 the official calendar as the database holds it, from `fromYear` on (the newest version of each year). */
  calendarData(fromYear: number): Promise<CalendarData> {
    return loadCalendarData(this.db, fromYear);
  }

  /** Every version of a year, newest first. */
  versionsOf(year: number): Promise<CalendarVersionRow[]> {
    return this.db.calendarVersion.findMany({ where: { year }, orderBy: { version: 'desc' } });
  }

  /**
   * The workflows with a provisional deadline pending on or after `from`: open tasks' due dates, returned
   * filings' amendment deadlines (workflow ids), and posted or held claims' posting ends (claim ids).
   */
  async provisionalDeadlinesFrom(from: Date) {
    const [tasks, filings, claims] = await Promise.all([
      this.db.humanTask.findMany({
        where: { status: 'OPEN', dueProvisional: true, dueAt: { gte: from } },
        select: { workflowId: true },
        distinct: ['workflowId'],
      }),
      this.db.filing.findMany({
        where: { status: 'RETURNED', amendmentDueProvisional: true, amendmentDueAt: { gte: from } },
        select: { workflowId: true },
      }),
      this.db.claim.findMany({
        where: { status: { in: ['POSTED', 'HELD'] }, postingEndsProvisional: true, postingEndsAt: { gte: from, gt: new Date() } },
        select: { id: true },
      }),
    ]);
    return { tasks, filings, claims };
  }

  /** The calendar a workflow computes deadlines with, from `fromYear` (its current year) on; kept in its history. */
  async loadWorkCalendar(input: { fromYear: number }): Promise<CalendarData> {
    return loadCalendarData(this.db, input.fromYear);
  }

  /**
   * A task's due date recomputed over a newer calendar (R9.9). Only an open task moves; audited once per new
   * due date. A filing's review deadline moves with its reviewer task.
   */
  async rescheduleTask(input: { taskId: string; dueAt: string; dueProvisional: boolean }, exec: WorkflowExecution): Promise<void> {
    const { workflowId, runId } = exec;
    await this.db.$transaction(async (tx) => {
      const task = await tx.humanTask.findUnique({ where: { id: input.taskId } });
      if (!task || task.status !== 'OPEN') return;
      const dueAt = new Date(input.dueAt);
      await tx.humanTask.update({ where: { id: task.id }, data: { dueAt, dueProvisional: input.dueProvisional } });
      if (task.kind === TASK_KINDS.filingReview) {
        await tx.filing.updateMany({ where: { id: task.caseId, status: 'UNDER_REVIEW' }, data: { reviewDueAt: dueAt } });
      }
      await appendAudit(tx, {
        dedupeKey: `${workflowId}:due:${task.id}:${input.dueAt}:${input.dueProvisional}`,
        actor: SYSTEM_ACTOR,
        action: 'TASK_DUE_RECOMPUTED',
        caseType: task.caseType,
        caseId: task.caseId,
        workflowId,
        runId,
        reason: 'a calendar version for the days of the deadline was loaded (R9.9)',
        details: { taskId: task.id, from: task.dueAt?.toISOString() ?? null, to: input.dueAt, provisional: input.dueProvisional },
      });
    });
  }

  /**
   * A deadline that is no task recomputed over a newer calendar (R9.9): a claim's posting end while it is
   * posted or held, a returned filing's amendment deadline. Audited once per new value.
   */
  async rescheduleDeadline(
    input: {
      deadline: 'CLAIM_POSTING_END' | 'FILING_AMENDMENT';
      caseId: string;
      dueAt: string;
      dueProvisional: boolean;
    },
    exec: WorkflowExecution,
  ): Promise<void> {
    const { workflowId, runId } = exec;
    const dueAt = new Date(input.dueAt);
    await this.db.$transaction(async (tx) => {
      let from: Date | null;
      let caseType: string;
      if (input.deadline === 'CLAIM_POSTING_END') {
        const claim = await tx.claim.findUnique({ where: { id: input.caseId } });
        if (!claim || (claim.status !== 'POSTED' && claim.status !== 'HELD')) return;
        from = claim.postingEndsAt;
        caseType = CLAIM_CASE_TYPE;
        await tx.claim.update({ where: { id: claim.id }, data: { postingEndsAt: dueAt, postingEndsProvisional: input.dueProvisional } });
      } else {
        const filing = await tx.filing.findUnique({ where: { id: input.caseId } });
        if (!filing || filing.status !== 'RETURNED') return;
        from = filing.amendmentDueAt;
        caseType = FILING_CASE_TYPE;
        await tx.filing.update({
          where: { id: filing.id },
          data: { amendmentDueAt: dueAt, amendmentDueProvisional: input.dueProvisional },
        });
      }
      await appendAudit(tx, {
        dedupeKey: `${workflowId}:deadline:${input.deadline}:${input.dueAt}:${input.dueProvisional}`,
        actor: SYSTEM_ACTOR,
        action: 'DEADLINE_RECOMPUTED',
        caseType,
        caseId: input.caseId,
        workflowId,
        runId,
        reason: 'a calendar version for the days of the deadline was loaded (R9.9)',
        details: { deadline: input.deadline, from: from?.toISOString() ?? null, to: input.dueAt, provisional: input.dueProvisional },
      });
    });
  }
}
