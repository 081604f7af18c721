// Rules for a reviewer's decision on a filing (审核备案, R2.1/R2.3). Pure: the workflow's Update validators
// call them with the workflow's own case object, so an invalid decision is refused before it touches history.
import type { FailureCode, Problem } from '../contracts/common';
import type { FilingDecision, FilingDecisionRequest, FilingState, FilingStatus } from '../contracts/filing';
import { normaliseScope, scopeExcess, scopeIsEmpty, type ScopeItem } from './scope';

export interface Refusal {
  code: FailureCode;
  message: string;
  messageZh: string;
  problems?: Problem[];
}

/**
 * What filingWorkflow keeps of its case, the very object its Update validators read (issue 8.5): the
 * queried state, the scope requested in the revision under review, and the claims the handlers make
 * synchronously (so a second decision or resubmission racing the first is refused).
 */
export interface FilingCase {
  state: FilingState;
  /** R2.3 the scope requested in the revision under review: a grant never exceeds it */
  requestedScope: ScopeItem[];
  /** the decision taken on the current revision, claimed before its handler awaits anything */
  decided?: FilingDecision;
  /** the current return has been resubmitted (claimed before its handler awaits anything) */
  resubmitted: boolean;
}

const MAX_REASON = 2000;

/** Why a reviewer's decision cannot be taken on the filing as it stands at `now`, or null when it can. */
export function refuseFilingDecision(
  filing: FilingCase,
  request: Pick<FilingDecisionRequest, 'taskId' | 'decision'>,
  now: Date,
): Refusal | null {
  const { state } = filing;
  const { taskId, decision } = request;
  if (filing.decided !== undefined || state.status !== 'UNDER_REVIEW' || !state.openTasks.some((t) => t.taskId === taskId)) {
    return {
      code: 'TASK_NOT_OPEN',
      message: 'This task is not open for a decision (already decided, or the filing is no longer under review).',
      messageZh: '该任务当前不可决定（已处理或备案申请不在审核中）。',
    };
  }
  const problems: Problem[] = [];
  switch (decision.outcome) {
    case 'APPROVE':
      if (scopeIsEmpty(decision.grantedScope)) {
        problems.push({
          field: 'grantedScope',
          problem: 'an approval grants at least one occupation and level',
          problemZh: '批准备案须至少核定一个职业及等级',
        });
      }
      problems.push(...scopeExcess(decision.grantedScope, filing.requestedScope));
      break;
    case 'REJECT':
      problems.push(...reasonProblems(decision.reason));
      break;
    case 'RETURN': {
      problems.push(...reasonProblems(decision.reason));
      if (decision.amendmentDueAt !== undefined) {
        const due = Date.parse(decision.amendmentDueAt);
        if (Number.isNaN(due) || due <= now.getTime()) {
          problems.push({
            field: 'amendmentDueAt',
            problem: 'the amendment deadline must be a future date-time',
            problemZh: '补正期限须为将来的时间',
          });
        }
      }
      break;
    }
  }
  if (problems.length === 0) return null;
  return {
    code: 'INVALID_DECISION',
    message: 'The decision is not valid for this filing.',
    messageZh: '该审核决定无效。',
    problems,
  };
}

function reasonProblems(reason: string): Problem[] {
  const trimmed = reason.trim();
  if (trimmed.length === 0) return [{ field: 'reason', problem: 'a reason is required', problemZh: '须填写理由' }];
  if (trimmed.length > MAX_REASON) {
    return [{ field: 'reason', problem: `at most ${MAX_REASON} characters`, problemZh: `理由不超过 ${MAX_REASON} 字` }];
  }
  return [];
}

/**
 * A resubmission is accepted only while the filing is returned, not yet resubmitted, and its amendment
 * deadline has not passed at `now`.
 */
export function refuseResubmission(filing: FilingCase, now: Date): Refusal | null {
  const { status, amendmentDueAt } = filing.state;
  if (filing.resubmitted || status !== 'RETURNED') {
    return {
      code: 'CASE_STATE_CONFLICT',
      message: 'Only a filing returned for amendment can be resubmitted.',
      messageZh: '只有被退回补正的备案申请可以重新提交。',
    };
  }
  if (amendmentDueAt !== undefined && Date.parse(amendmentDueAt) <= now.getTime()) {
    return {
      code: 'DEADLINE_PASSED',
      message: 'The amendment deadline has passed.',
      messageZh: '补正期限已过。',
    };
  }
  return null;
}

/** The status a decision leads to. */
export function statusAfter(decision: FilingDecision): FilingStatus {
  return decision.outcome === 'APPROVE' ? 'APPROVED' : decision.outcome === 'REJECT' ? 'REJECTED' : 'RETURNED';
}

export { normaliseScope };
