// R9.9 the official calendar as data: what workflows compute deadlines with, and moving a task's due date
// when a calendar version for its days arrives (the queries are in repositories/calendar.repository.ts).
import type { CalendarData } from '../workflows/domain/calendar';
import { currentExecution } from './audit';
import type { CalendarRepository } from '../repositories/calendar.repository';

export function createCalendarActivities(calendar: CalendarRepository) {
  return {
    /** The calendar a workflow computes deadlines with, from `fromYear` (its current year) on; kept in its history. */
    async loadWorkCalendar(input: { fromYear: number }): Promise<CalendarData> {
      return calendar.loadWorkCalendar(input);
    },

    /**
     * A task's due date recomputed over a newer calendar (R9.9). Only an open task moves; audited once per new
     * due date. A filing's review deadline moves with its reviewer task.
     */
    async rescheduleTask(input: { taskId: string; dueAt: string; dueProvisional: boolean }): Promise<void> {
      return calendar.rescheduleTask(input, currentExecution());
    },

    /**
     * A deadline that is no task recomputed over a newer calendar (R9.9): a claim's posting end while it is
     * posted or held, a returned filing's amendment deadline. Audited once per new value.
     */
    async rescheduleDeadline(input: {
      deadline: 'CLAIM_POSTING_END' | 'FILING_AMENDMENT';
      caseId: string;
      dueAt: string;
      dueProvisional: boolean;
    }): Promise<void> {
      return calendar.rescheduleDeadline(input, currentExecution());
    },
  };
}
