// R9.9 deadlines on the official calendar as data, for any workflow: the calendar comes from the database
// through an activity (so it is in the history), a deadline over days no version covers is provisional, and
// a calendar version arriving while a task waits recomputes its due date and timer.
import { condition, patched, setHandler } from '@temporalio/workflow';
import { acts, millisUntil } from './support';
import { CALENDAR_PATCH, calendarChangedSignal } from './contracts/calendar';
import { calendarFromData, deadline, officialCalendar, shanghaiDate, type CoveredCalendar, type PolicyPeriod } from './domain/calendar';

/** A task whose due date follows the calendar: the event that opened its period, and the period. */
export interface CalendarTask {
  taskId: string;
  eventAt: Date;
  period: PolicyPeriod;
  dueAt: string;
  provisional: boolean;
}

export interface WorkflowCalendar {
  /** The calendar in use: the package's until `refresh` loads the database's. */
  readonly current: CoveredCalendar;
  /** Loads the database's calendar from the current year on (only for runs past the 'calendar-data' patch). */
  refresh(): Promise<void>;
  due(eventAt: Date, period: PolicyPeriod): { dueAt: string; provisional: boolean };
  /**
   * Waits until done() — returns true — or the task's due time — returns false. A calendar change meanwhile
   * recomputes the due date from the same event and moves the task (and its timer). With timer: false it only
   * waits for done(), still moving the task's due date on a change.
   */
  waitUntilDue(done: () => boolean, task: CalendarTask, opts?: { timer?: boolean; onMoved?: (task: CalendarTask) => void }): Promise<boolean>;
}

/** Call once, at the workflow's start: registers the calendar-changed signal. */
export function workflowCalendar(): WorkflowCalendar {
  let calendar: CoveredCalendar = officialCalendar;
  let changes = 0;
  setHandler(calendarChangedSignal, () => {
    changes++;
  });

  const self: WorkflowCalendar = {
    get current() {
      return calendar;
    },
    async refresh() {
      if (!patched(CALENDAR_PATCH)) return;
      const fromYear = Number(shanghaiDate(new Date()).slice(0, 4));
      calendar = calendarFromData(await acts.loadWorkCalendar({ fromYear }));
    },
    due(eventAt, period) {
      const d = deadline(eventAt, period, calendar);
      return { dueAt: d.end.toISOString(), provisional: d.provisional };
    },
    async waitUntilDue(done, task, opts = {}) {
      for (;;) {
        const seen = changes;
        const changed = () => changes !== seen;
        const woke = opts.timer === false ? (await condition(() => done() || changed()), true) : await condition(() => done() || changed(), millisUntil(task.dueAt));
        if (done()) return true;
        if (!woke) return false;
        await self.refresh();
        const next = self.due(task.eventAt, task.period);
        if (next.dueAt !== task.dueAt || next.provisional !== task.provisional) {
          task.dueAt = next.dueAt;
          task.provisional = next.provisional;
          await acts.rescheduleTask({ taskId: task.taskId, dueAt: task.dueAt, dueProvisional: task.provisional });
          opts.onMoved?.(task);
        }
      }
    },
  };
  return self;
}
