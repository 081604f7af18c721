// R9.9 deadlines on the official calendar as data, for any workflow: the calendar comes from the database
// through an activity (so it is in the history), a deadline over days no version covers is provisional, and
// a calendar version arriving while a task waits recomputes its due date and timer.
//
// Runs past a workflow's deadlines patch (`workflowCalendar({ patch })`) keep a registry of every pending
// deadline (tasks' due dates and timers alike): each calendar change — the API's signal, or a refresh the
// workflow makes before computing a new deadline — reloads the calendar and recomputes every registered
// deadline from its own event instant, moving tasks with `rescheduleTask` and anything else through the
// deadline's `onMoved`. Older runs keep `waitUntilDue`, unchanged, so their histories replay.
import { condition, patched, setHandler } from '@temporalio/workflow';
import { activities, millisUntil } from './workflow-kit';
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

/**
 * A pending deadline the workflow follows (R9.9): a task's due date (`taskId`) or the end of a timer. Its
 * dueAt and provisional change when a calendar change moves it.
 */
export interface TrackedDeadline {
  readonly key: string;
  readonly eventAt: Date;
  readonly period: PolicyPeriod;
  dueAt: string;
  provisional: boolean;
  /** the human task whose due date this is: moved with activities.rescheduleTask */
  readonly taskId?: string;
  /** after a move (and the task's reschedule): keep the workflow's state and any stored copy in step */
  readonly onMoved?: (d: TrackedDeadline) => void | Promise<void>;
  /** the calendar load it was computed on */
  loaded: number;
}

export interface WorkflowCalendar {
  /** This run follows its deadlines in the registry (it is past the workflow's deadlines patch). */
  readonly tracking: boolean;
  /** A deadline from eventAt on the current calendar; not followed until `track`. */
  deadline(
    eventAt: Date,
    period: PolicyPeriod,
    opts?: { key?: string; taskId?: string; onMoved?: (d: TrackedDeadline) => void | Promise<void> },
  ): TrackedDeadline;
  /**
   * Follows a deadline (call after its task or stored copy is written with the deadline's values): a
   * calendar change from now on recomputes it; one that came while it was being written does so now.
   */
  track(d: TrackedDeadline): Promise<void>;
  /** Stops following it (its task is closed, its timer done). */
  release(d: TrackedDeadline | undefined): void;
  /** Waits until done() — true — or the deadline passes — false; a move meanwhile moves the timer. */
  waitFor(d: TrackedDeadline, done: () => boolean): Promise<boolean>;
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
  waitUntilDue(
    done: () => boolean,
    task: CalendarTask,
    opts?: { timer?: boolean; onMoved?: (task: CalendarTask) => void },
  ): Promise<boolean>;
}

/**
 * Call once, at the workflow's start: registers the calendar-changed signal. With `patch` (the workflow's
 * deadlines patch, checked here, before any command) a run past it follows its deadlines in the registry.
 */
export function workflowCalendar(opts: { patch?: string } = {}): WorkflowCalendar {
  const tracking = opts.patch !== undefined && patched(opts.patch);
  let calendar: CoveredCalendar = officialCalendar;
  let changes = 0;
  let loaded = 0; // calendar loads so far: a deadline computed on an earlier one is stale
  const registry = new Map<string, TrackedDeadline>();

  const load = async () => {
    if (!patched(CALENDAR_PATCH)) return;
    const fromYear = Number(shanghaiDate(new Date()).slice(0, 4));
    calendar = calendarFromData(await activities.loadWorkCalendar({ fromYear }));
    loaded++;
  };

  const recompute = async (d: TrackedDeadline) => {
    const next = deadline(d.eventAt, d.period, calendar);
    d.loaded = loaded;
    const dueAt = next.end.toISOString();
    if (dueAt === d.dueAt && next.provisional === d.provisional) return;
    d.dueAt = dueAt;
    d.provisional = next.provisional;
    if (d.taskId) await activities.rescheduleTask({ taskId: d.taskId, dueAt, dueProvisional: next.provisional });
    await d.onMoved?.(d);
  };

  // One worker at a time reloads the calendar and recomputes the registry, so the moves of one deadline are
  // written in order; a request while it runs makes it go round once more.
  let syncing: Promise<void> | undefined;
  let wantLoad = false;
  let wantScan = false;
  const sync = (reload: boolean): Promise<void> => {
    if (reload) wantLoad = true;
    wantScan = true;
    syncing ??= (async () => {
      try {
        while (wantLoad || wantScan) {
          const reloadNow = wantLoad;
          wantLoad = wantScan = false;
          if (reloadNow) await load();
          for (const d of [...registry.values()]) {
            if (d.loaded !== loaded && registry.has(d.key)) await recompute(d);
          }
        }
      } finally {
        syncing = undefined;
      }
    })();
    return syncing;
  };

  setHandler(calendarChangedSignal, () => {
    changes++;
    // Past the patch the handler does the work (and the workflow's allHandlersFinished waits for it).
    if (tracking) return sync(true);
  });

  const self: WorkflowCalendar = {
    tracking,
    get current() {
      return calendar;
    },
    async refresh() {
      if (tracking) return sync(true);
      await load();
    },
    deadline(eventAt, period, o = {}) {
      const d = deadline(eventAt, period, calendar);
      const key = o.key ?? o.taskId;
      if (!key) throw new Error('a tracked deadline needs a key or a task id');
      return { key, eventAt, period, dueAt: d.end.toISOString(), provisional: d.provisional, taskId: o.taskId, onMoved: o.onMoved, loaded };
    },
    async track(d) {
      registry.set(d.key, d);
      if (d.loaded !== loaded || syncing) await sync(false);
    },
    release(d) {
      if (d && registry.get(d.key) === d) registry.delete(d.key);
    },
    async waitFor(d, done) {
      for (;;) {
        const dueAt = d.dueAt;
        const woke = await condition(() => done() || d.dueAt !== dueAt, millisUntil(dueAt));
        if (done()) return true;
        if (woke) continue; // moved: wait on the new due time
        // Due: unless a calendar change being applied right now moves it later.
        if (syncing) {
          await syncing;
          if (done()) return true;
          if (d.dueAt !== dueAt) continue;
        }
        return false;
      }
    },
    due(eventAt, period) {
      const d = deadline(eventAt, period, calendar);
      return { dueAt: d.end.toISOString(), provisional: d.provisional };
    },
    async waitUntilDue(done, task, opts = {}) {
      for (;;) {
        const seen = changes;
        const changed = () => changes !== seen;
        const woke =
          opts.timer === false
            ? (await condition(() => done() || changed()), true)
            : await condition(() => done() || changed(), millisUntil(task.dueAt));
        if (done()) return true;
        if (!woke) return false;
        await self.refresh();
        const next = self.due(task.eventAt, task.period);
        if (next.dueAt !== task.dueAt || next.provisional !== task.provisional) {
          task.dueAt = next.dueAt;
          task.provisional = next.provisional;
          await activities.rescheduleTask({ taskId: task.taskId, dueAt: task.dueAt, dueProvisional: task.provisional });
          opts.onMoved?.(task);
        }
      }
    },
  };
  return self;
}
