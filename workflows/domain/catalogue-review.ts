// The annual catalogue review (目录清单管理, R3.1): what a reviewer's decision needs to be taken. Pure: the
// catalogue workflow's Update validator calls it with the workflow's own review object (issue 8.5).
import type { CatalogueDecisionRequest, CatalogueState } from '../contracts/catalogue';
import type { Refusal } from './filing-rules';

/** What catalogueWorkflow keeps of an annual run: the queried state, and whether a decision was claimed. */
export interface CatalogueReview {
  state: CatalogueState;
  /** a decision was taken; claimed by its handler before it awaits anything */
  decided: boolean;
}

/** Why a reviewer's decision on the draft cannot be taken, or null when it can. */
export function refuseCatalogueDecision(
  review: CatalogueReview,
  request: Pick<CatalogueDecisionRequest, 'taskId' | 'outcome' | 'reason'>,
): Refusal | null {
  const { state } = review;
  if (review.decided || state.status !== 'UNDER_REVIEW' || request.taskId !== state.openTaskId) {
    return {
      code: 'TASK_NOT_OPEN',
      message: 'This catalogue review is not open for a decision.',
      messageZh: '该目录审核任务当前不可决定。',
    };
  }
  if (request.outcome === 'REJECT' && !request.reason?.trim()) {
    return {
      code: 'INVALID_DECISION',
      message: 'A rejection needs a reason.',
      messageZh: '退回须填写理由。',
      problems: [{ field: 'reason', problem: 'required when rejecting', problemZh: '退回时必填' }],
    };
  }
  return null;
}
