// What every skillflow workflow shares: the activity proxy and how a business refusal leaves a validator.
import { ApplicationFailure, proxyActivities } from '@temporalio/workflow';
import type { Activities } from '../activities';
import { NON_RETRYABLE_ERROR_TYPES, type FailureDetails } from './contracts/common';
import type { Refusal } from './domain/filing-rules';

/** Activities by type only; they retry until they succeed, except on the typed non-retryable errors. */
export const activities = proxyActivities<Activities>({
  startToCloseTimeout: '2 minutes',
  retry: { maximumInterval: '30 seconds', nonRetryableErrorTypes: NON_RETRYABLE_ERROR_TYPES },
});

/** Refuses an Update in its validator: the API turns the code into 409/422 and nothing is recorded. */
export function refuse(r: Refusal): never {
  const details: FailureDetails = { messageZh: r.messageZh, problems: r.problems };
  throw ApplicationFailure.create({ type: r.code, message: r.message, details: [details], nonRetryable: true });
}

/** Milliseconds from workflow time until an ISO instant (0 once passed): for durable timers. */
export function millisUntil(iso: string): number {
  return Math.max(0, Date.parse(iso) - Date.now());
}
