// Institution filing (审核备案, R2.1, R2.3): completeness check → reviewer task with a working-day due date
// (escalated to the region's lead reviewer when overdue) → approve (qualification), reject, or return for
// amendment with a deadline; no resubmission by then withdraws the application.
//
// Patches (filings opened before them replay on the old paths):
// - 'filing-deadlines-provisional' (R9.9): every deadline — the reviewer's, the lead reviewer's and the
//   amendment deadline of a RETURNED filing — is flagged provisional when computed over days no calendar
//   version covers, and recomputed from its own event when a version arrives (Filing.amendmentDueAt and its
//   flag kept in step); each new deadline is computed on the calendar loaded just before.
import { allHandlersFinished, condition, currentUpdateInfo, setHandler, uuid4, workflowInfo } from '@temporalio/workflow';
import { activities, millisUntil, refuse } from './workflow-kit';
import {
  filingDecisionUpdate,
  filingResubmitUpdate,
  filingStateQuery,
  type FilingDecisionResult,
  type FilingState,
  type FilingWorkflowInput,
} from './contracts/filing';
import { workflowCalendar, type TrackedDeadline, type WorkflowCalendar } from './calendar';
import { periodEnd } from './domain/calendar';
import { refuseFilingDecision, refuseResubmission, statusAfter, type FilingCase } from './domain/filing-rules';
import type { PolicyParameters } from './domain/policy';
import { qualificationValidity } from './domain/qualification-rules';

const DEADLINES_PATCH = 'filing-deadlines-provisional';

export async function filingWorkflow(input: FilingWorkflowInput): Promise<FilingState> {
  const state: FilingState = {
    filingId: input.filingId,
    status: 'SUBMITTED',
    revision: 1,
    policyVersionIds: [],
    openTasks: [],
  };
  // The case as its Update validators see it (issue 8.5): they read this object, never a made-up one.
  const filing: FilingCase = { state, requestedScope: [], resubmitted: false };
  let policy: PolicyParameters; // resolved below, before any task can be decided
  const cal = workflowCalendar({ patch: DEADLINES_PATCH }); // R9.9: deadlines on the calendar versions of the database
  // R9.9 (DEADLINES_PATCH) the amendment deadline of the current return, followed on the calendar.
  let amendment: TrackedDeadline | undefined;
  const amendmentDeadline = () =>
    cal.deadline(new Date(), policy.filing.amendmentPeriod, {
      key: 'amendment',
      onMoved: async (d) => {
        if (state.status === 'RETURNED') state.amendmentDueAt = d.dueAt;
        await activities.rescheduleDeadline({
          deadline: 'FILING_AMENDMENT',
          caseId: input.filingId,
          dueAt: d.dueAt,
          dueProvisional: d.provisional,
        });
      },
    });

  setHandler(filingStateQuery, () => state);

  setHandler(
    filingDecisionUpdate,
    async ({ taskId, actor, decision }): Promise<FilingDecisionResult> => {
      // Claimed synchronously, so a second decision racing this one is refused by the validator.
      filing.decided = decision;
      const status = statusAfter(decision);
      let amendmentDueAt: string | undefined;
      if (decision.outcome === 'RETURN' && decision.amendmentDueAt === undefined && cal.tracking) {
        // A date the reviewer sets is theirs; the policy's period follows the newest calendar (R9.9).
        await cal.refresh();
        amendment = amendmentDeadline();
        amendmentDueAt = amendment.dueAt;
      } else {
        amendmentDueAt =
          decision.outcome === 'RETURN'
            ? (decision.amendmentDueAt ?? periodEnd(new Date(), policy.filing.amendmentPeriod, cal.current).toISOString())
            : undefined;
      }
      state.status = status;
      state.openTasks = [];
      state.amendmentDueAt = amendmentDueAt;
      const updateId = currentUpdateInfo()!.id;
      await activities.recordFilingDecision({
        filingId: input.filingId,
        updateId,
        taskId,
        actor,
        decision,
        status,
        amendmentDueAt,
        ...(amendment ? { amendmentDueProvisional: amendment.provisional } : {}),
      });
      if (decision.outcome === 'APPROVE') {
        const validity = qualificationValidity(new Date(), policy, cal.current);
        const granted = await activities.grantFilingQualification({
          filingId: input.filingId,
          scope: decision.grantedScope,
          validFrom: validity.validFrom,
          validTo: validity.validTo,
          actor,
        });
        await activities.trackQualification({ ...granted, validTo: validity.validTo, reminderAt: validity.reminderAt });
        state.qualificationId = granted.qualificationId;
      }
      return { filingId: input.filingId, status, qualificationId: state.qualificationId, amendmentDueAt };
    },
    {
      validator: (request) => {
        const refusal = refuseFilingDecision(filing, request, new Date());
        if (refusal) refuse(refusal);
      },
    },
  );

  setHandler(
    filingResubmitUpdate,
    async ({ actor, application }) => {
      filing.resubmitted = true;
      const revision = state.revision + 1;
      await activities.saveFilingResubmission({
        filingId: input.filingId,
        updateId: currentUpdateInfo()!.id,
        revision,
        actor,
        application,
      });
      state.revision = revision;
      state.status = 'SUBMITTED';
      state.amendmentDueAt = undefined;
      return { filingId: input.filingId, revision, status: state.status };
    },
    {
      validator: (_request) => {
        const refusal = refuseResubmission(filing, new Date());
        if (refusal) refuse(refusal);
      },
    },
  );

  // The parameters in force when the case opened stay with it (POLICY.md preamble).
  const resolved = await activities.resolvePolicyFor({ regionCode: input.regionCode, at: workflowInfo().startTime.toISOString() });
  policy = resolved.parameters;
  state.policyVersionIds = resolved.versionIds;
  await activities.recordFilingOpened({ filingId: input.filingId, policyVersionIds: resolved.versionIds, actor: input.submittedBy });

  for (;;) {
    filing.decided = undefined;
    filing.resubmitted = false;
    await cal.refresh(); // each revision counts its deadlines on the newest calendar
    const check = await activities.checkFilingCompleteness({ filingId: input.filingId, revision: state.revision });
    filing.requestedScope = check.requestedScope;

    if (check.problems.length > 0) {
      state.status = 'RETURNED';
      if (cal.tracking) {
        amendment = amendmentDeadline(); // on the calendar refreshed at this revision's start
        state.amendmentDueAt = amendment.dueAt;
      } else {
        state.amendmentDueAt = periodEnd(new Date(), policy.filing.amendmentPeriod, cal.current).toISOString();
      }
      await activities.returnIncompleteFiling({
        filingId: input.filingId,
        revision: state.revision,
        problems: check.problems,
        amendmentDueAt: state.amendmentDueAt,
        ...(amendment ? { amendmentDueProvisional: amendment.provisional } : {}),
      });
    } else {
      await review(state, policy, cal, () => filing.decided !== undefined);
      await condition(() => state.status !== 'UNDER_REVIEW' && allHandlersFinished());
      if (state.status !== 'RETURNED') break;
    }

    // Returned: wait for the institution's resubmission until the amendment deadline (补正期限).
    // R9.9 (DEADLINES_PATCH): a calendar version arriving meanwhile moves the deadline and this timer.
    const dueAt = state.amendmentDueAt!;
    let resubmittedInTime: boolean;
    if (amendment) {
      await cal.track(amendment);
      resubmittedInTime = await cal.waitFor(amendment, () => filing.resubmitted);
      cal.release(amendment);
      amendment = undefined;
    } else {
      resubmittedInTime = await condition(() => filing.resubmitted, millisUntil(dueAt));
    }
    if (!resubmittedInTime) {
      state.status = 'WITHDRAWN';
      await activities.withdrawFiling({ filingId: input.filingId, amendmentDueAt: state.amendmentDueAt ?? dueAt });
      break;
    }
    await condition(() => state.status === 'SUBMITTED' && allHandlersFinished());
  }

  await condition(allHandlersFinished);
  return state;
}

/**
 * Opens the reviewer's task; if it is still undecided when due, escalates to the region's lead reviewer.
 * R9.9: a due date over days no calendar version covers is provisional, and moves when a version arrives.
 */
async function review(state: FilingState, policy: PolicyParameters, cal: WorkflowCalendar, isDecided: () => boolean): Promise<void> {
  if (cal.tracking) return followedReview(state, policy, cal, isDecided);
  const openedAt = new Date();
  const due = cal.due(openedAt, policy.filing.reviewPeriod);
  const reviewDueAt = due.dueAt;
  // The task id is made here and known to the validator before the task reaches anyone's inbox.
  const taskId = uuid4();
  state.status = 'UNDER_REVIEW';
  state.reviewDueAt = reviewDueAt;
  state.openTasks = [{ taskId, role: 'reviewer', dueAt: reviewDueAt, escalated: false }];
  await activities.openFilingReview({
    filingId: state.filingId,
    revision: state.revision,
    dueAt: reviewDueAt,
    taskId,
    dueProvisional: due.provisional,
  });

  const reviewTask = { taskId, eventAt: openedAt, period: policy.filing.reviewPeriod, dueAt: reviewDueAt, provisional: due.provisional };
  const moved = (t: { taskId: string; dueAt: string }) => {
    if (t.taskId === taskId) state.reviewDueAt = t.dueAt;
    state.openTasks = state.openTasks.map((o) => (o.taskId === t.taskId ? { ...o, dueAt: t.dueAt } : o));
  };
  if (await cal.waitUntilDue(isDecided, reviewTask, { onMoved: moved })) return;

  const escalatedAt = new Date();
  const leadDue = cal.due(escalatedAt, policy.filing.escalatedReviewPeriod);
  const leadDueAt = leadDue.dueAt;
  const leadTaskId = uuid4();
  state.openTasks = [
    { taskId, role: 'reviewer', dueAt: reviewTask.dueAt, escalated: true },
    { taskId: leadTaskId, role: 'lead_reviewer', dueAt: leadDueAt, escalated: false },
  ];
  await activities.openFilingReview({
    filingId: state.filingId,
    revision: state.revision,
    dueAt: leadDueAt,
    taskId: leadTaskId,
    escalation: { fromTaskId: taskId },
    dueProvisional: leadDue.provisional,
  });
  // No timer here: the lead reviewer's due date is shown, and moves with the calendar, but nothing fires.
  const leadTask = {
    taskId: leadTaskId,
    eventAt: escalatedAt,
    period: policy.filing.escalatedReviewPeriod,
    dueAt: leadDueAt,
    provisional: leadDue.provisional,
  };
  await cal.waitUntilDue(isDecided, leadTask, { timer: false, onMoved: moved });
}

/**
 * review() past DEADLINES_PATCH: both tasks' due dates are followed on the calendar (R9.9), the lead
 * reviewer's too; the reviewer's stops being followed once it is overdue and escalated.
 */
async function followedReview(
  state: FilingState,
  policy: PolicyParameters,
  cal: WorkflowCalendar,
  isDecided: () => boolean,
): Promise<void> {
  const taskId = uuid4();
  const moved = (t: TrackedDeadline) => {
    if (t.taskId === taskId) state.reviewDueAt = t.dueAt;
    state.openTasks = state.openTasks.map((o) => (o.taskId === t.taskId ? { ...o, dueAt: t.dueAt } : o));
  };
  const reviewDue = cal.deadline(new Date(), policy.filing.reviewPeriod, { taskId, onMoved: moved });
  state.status = 'UNDER_REVIEW';
  state.reviewDueAt = reviewDue.dueAt;
  state.openTasks = [{ taskId, role: 'reviewer', dueAt: reviewDue.dueAt, escalated: false }];
  await activities.openFilingReview({
    filingId: state.filingId,
    revision: state.revision,
    dueAt: reviewDue.dueAt,
    taskId,
    dueProvisional: reviewDue.provisional,
  });
  await cal.track(reviewDue);
  const inTime = await cal.waitFor(reviewDue, isDecided);
  cal.release(reviewDue);
  if (inTime) return;

  const leadTaskId = uuid4();
  const leadDue = cal.deadline(new Date(), policy.filing.escalatedReviewPeriod, { taskId: leadTaskId, onMoved: moved });
  state.openTasks = [
    { taskId, role: 'reviewer', dueAt: reviewDue.dueAt, escalated: true },
    { taskId: leadTaskId, role: 'lead_reviewer', dueAt: leadDue.dueAt, escalated: false },
  ];
  await activities.openFilingReview({
    filingId: state.filingId,
    revision: state.revision,
    dueAt: leadDue.dueAt,
    taskId: leadTaskId,
    escalation: { fromTaskId: taskId },
    dueProvisional: leadDue.provisional,
  });
  // No timer here: the lead reviewer's due date is shown, and moves with the calendar, but nothing fires.
  await cal.track(leadDue);
  await condition(isDecided);
  cal.release(leadDue);
}
