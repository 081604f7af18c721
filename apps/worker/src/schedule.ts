// The annual catalogue Schedule (R3.1): Temporal starts catalogueWorkflow at 00:00 Asia/Shanghai on the policy's
// publication day each year. Ensured at every worker start: created when missing, otherwise brought up to date
// (so a new policy date takes effect at the next start).
import { MONTHS, ScheduleAlreadyRunning, ScheduleOverlapPolicy, type Client, type ScheduleOptions } from '@temporalio/client';
import { CATALOGUE_SCHEDULE_ID, type CatalogueWorkflowInput } from '../../../workflows/contracts/catalogue';
import { WORKFLOW_TYPES } from '../../../workflows/contracts/common';
import type { PolicyParameters } from '../../../workflows/domain/policy';

export function catalogueScheduleOptions(taskQueue: string, when: PolicyParameters['catalogue']['annualPublication']): ScheduleOptions {
  // No year in the arguments: a Schedule's arguments are fixed, so the run derives the year from its own date.
  const input: CatalogueWorkflowInput = { kind: 'ANNUAL', requestedBy: 'schedule' };
  return {
    scheduleId: CATALOGUE_SCHEDULE_ID,
    spec: {
      calendars: [{ month: MONTHS[when.month - 1], dayOfMonth: when.day, hour: 0, minute: 0, second: 0, comment: 'R3.1 annual catalogue' }],
      timezone: 'Asia/Shanghai',
    },
    action: { type: 'startWorkflow', workflowType: WORKFLOW_TYPES.catalogue, workflowId: CATALOGUE_SCHEDULE_ID, taskQueue, args: [input] },
    // A compilation still awaiting its reviewer is not doubled by the next year's run.
    policies: { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: '1 day' },
  };
}

export async function ensureCatalogueSchedule(
  client: Client,
  taskQueue: string,
  when: PolicyParameters['catalogue']['annualPublication'],
): Promise<'created' | 'updated'> {
  const options = catalogueScheduleOptions(taskQueue, when);
  try {
    await client.schedule.create(options);
    return 'created';
  } catch (err) {
    if (!(err instanceof ScheduleAlreadyRunning)) throw err;
  }
  await client.schedule
    .getHandle(options.scheduleId)
    .update((previous) => ({ ...previous, spec: options.spec, action: options.action, policies: options.policies }));
  return 'updated';
}
