// R9.9 the official calendar as data: what the API tells running workflows when a calendar version arrives.
import { defineSignal } from '@temporalio/workflow';

/** The patch that made workflows compute deadlines with the database's calendar versions (recorded histories before it replay unchanged). */
export const CALENDAR_PATCH = 'calendar-data';

export interface CalendarChanged {
  year: number;
  version: number;
}

/** Sent to workflows with open tasks whose due date is provisional: recompute over the new version. */
export const calendarChangedSignal = defineSignal<[CalendarChanged]>('calendar.changed');
