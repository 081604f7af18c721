// A subsidy claim (R4–R7, R10): automatic checks per line → approval (automatic for passing lines under a
// signed commitment, R6.2; a reviewer for the rest) → public posting with objections (R10.2) → payment from
// the special account, waiting for funds when short (R7.1) → post-audit sampling (R10.3).
//
// Patches (claims opened before them replay on the old paths):
// - 'objections-each-answered' (R10.2): every objection gets its own task and answer; one that arrives after
//   the posting period is answered as late. When the period ends with objections open, the approved lines no
//   open objection names are paid at once (instalment 1, ledger key payment:<claimId>); the held lines follow
//   in instalment 2 (payment:<claimId>:2) once every objection is answered, less the lines upheld. An
//   objection that names no line holds the whole claim.
// - 'post-audit-random-draw' (R10.3): commitment and full-review claims are sampled at their kind's rate by a
//   cryptographic draw made and recorded inside an activity; the team is drawn from the claim's region's
//   pool, widened to its parents', never to anyone; with no team the lead inspector assigns one. Inspectors
//   rotate (postAudit.rotationLookback): the institution's previous teams sit out while the pool allows.
// - 'claim-deadlines-provisional' (R9.9): every deadline — the reviewer's and lead reviewer's tasks, each
//   objection's task, the posting end, the funds re-check, the post-audit team and inspection tasks — is
//   computed on the calendar loaded just before, flagged provisional when it runs over days no calendar
//   version covers, and recomputed from its own event when a version arrives (tasks moved, timers moved,
//   Claim.postingEndsAt and its flag kept in step).
import { allHandlersFinished, condition, currentUpdateInfo, patched, setHandler, uuid4, workflowInfo } from '@temporalio/workflow';
import { activities, millisUntil, refuse } from './workflow-kit';
import {
  claimDecisionUpdate,
  claimStateQuery,
  fundsAllocatedSignal,
  inspectionReportUpdate,
  objectionFiledSignal,
  objectionResolutionUpdate,
  inspectionTeamUpdate,
  type ClaimState,
  type ClaimStatus,
  type ClaimWorkflowInput,
} from './contracts/claim';
import { workflowCalendar, type TrackedDeadline } from './calendar';
import {
  refuseClaimDecision,
  refuseInspectionReport,
  refuseInspectionTeam,
  refuseObjectionResolution,
  type ClaimCase,
  type FiledObjection,
} from './domain/claim-decision-rules';
import { legacyAuditDraw, legacyDrawInspectors } from './domain/claim-rules';
import { rotationLookbackOf, sampleRateFor, type PolicyParameters } from './domain/policy';
import { TASK_KINDS } from './contracts/tasks';

const OBJECTIONS_PATCH = 'objections-each-answered';
const RANDOM_DRAW_PATCH = 'post-audit-random-draw';
const DEADLINES_PATCH = 'claim-deadlines-provisional';

/** R10.2 one objection as the workflow follows it. */
interface FollowedObjection extends FiledObjection {
  /** (DEADLINES_PATCH) its task's due date, followed on the calendar */
  due?: TrackedDeadline;
}

export async function claimWorkflow(input: ClaimWorkflowInput): Promise<ClaimState> {
  const state: ClaimState = {
    claimId: input.claimId,
    status: 'CHECKING',
    policyVersionIds: [],
    openTaskIds: [],
    approvedFen: 0,
    paidFen: 0,
  };
  const pending = new Map<string, string[]>(); // lines awaiting a reviewer, with the rules they break
  let objectionsFiled = 0;
  let fundsAllocated = false;
  let statusSeq = 0;
  let policy: PolicyParameters; // resolved below, before any task can be decided
  // R9.9: deadlines on the calendar versions of the database, once the review has loaded them.
  const cal = workflowCalendar({ patch: DEADLINES_PATCH });
  /** The due instant a policy period after now, on the calendar the workflow follows. */
  const deadlineAfter = (policyPeriod: PolicyParameters['claim']['reviewPeriod']) => cal.due(new Date(), policyPeriod).dueAt;
  type Period = PolicyParameters['claim']['reviewPeriod'];
  /** (DEADLINES_PATCH) a deadline from now on the newest calendar, for a task or a timer. */
  const freshDeadline = async (period: Period, opts: Parameters<typeof cal.deadline>[2]) => {
    await cal.refresh();
    return cal.deadline(new Date(), period, opts);
  };
  // R10.2 objections in the order they arrived; `seen` of them have been taken up (a task, or a late answer).
  const filed: FollowedObjection[] = [];
  let seen = 0;
  let postingClosed = false;
  let workflowDone = false;
  // The case as its Update validators see it (issue 8.5): they read this object, never a made-up one.
  // eachObjection: the OBJECTIONS_PATCH path, objections answered one by one; randomDraw: the
  // RANDOM_DRAW_PATCH path, with the deciders the draw excluded and the lead inspector's team task.
  const claim: ClaimCase<FollowedObjection> = {
    state,
    pending,
    decided: false,
    filed,
    eachObjection: false,
    objectionResolved: false,
    randomDraw: false,
    excluded: [],
    inspectors: [],
    inspected: false,
    teamAssigned: false,
  };
  const openObjections = () => filed.slice(0, seen).filter((o) => o.taskId && !o.resolved);

  const setStatus = async (
    status: ClaimStatus,
    extra: { postingEndsAt?: string; postingEndsProvisional?: boolean; reason?: string } = {},
  ) => {
    state.status = status;
    await activities.setClaimStatus({ claimId: input.claimId, status, key: `${++statusSeq}-${status}`, ...extra });
  };

  setHandler(claimStateQuery, () => state);
  setHandler(
    claimDecisionUpdate,
    async ({ taskId, actor, lines }) => {
      claim.decided = true;
      const result = await activities.decideClaimLines({
        claimId: input.claimId,
        updateId: currentUpdateInfo()!.id,
        taskId,
        actor,
        decisions: lines,
        policy,
      });
      state.approvedFen = result.approvedFen;
      state.openTaskIds = [];
      pending.clear();
      return { claimId: input.claimId, status: state.status, approvedFen: state.approvedFen };
    },
    {
      validator: (request) => {
        const refusal = refuseClaimDecision(claim, request);
        if (refusal) refuse(refusal);
      },
    },
  );
  setHandler(objectionFiledSignal, ({ objectionId, lineIds }) => {
    if (state.status === 'POSTED' || state.status === 'HELD') objectionsFiled++;
    // Every objection is kept, whenever it arrives (a repeated signal counts once); the posting loop or the
    // late answerer takes it up (OBJECTIONS_PATCH).
    if (filed.some((o) => o.objectionId === objectionId)) return;
    filed.push({ objectionId, lineIds: [...new Set(lineIds ?? [])], resolved: false });
    state.objectionsFiled = filed.length;
  });
  setHandler(
    objectionResolutionUpdate,
    async ({ taskId, actor, outcome, reason, lineIds }) => {
      const objection = claim.eachObjection ? filed.find((o) => o.taskId === taskId) : undefined;
      if (objection) {
        objection.resolved = true;
        cal.release(objection.due);
      } else claim.objectionResolved = true;
      state.approvedFen = await activities.resolveObjection({
        claimId: input.claimId,
        updateId: currentUpdateInfo()!.id,
        taskId,
        actor,
        outcome,
        reason,
        lineIds: lineIds ?? [],
        ...(objection ? { objectionId: objection.objectionId } : {}),
      });
      state.objectionsOpen = openObjections().length;
      return { claimId: input.claimId, status: state.status, approvedFen: state.approvedFen };
    },
    {
      validator: (request) => {
        const refusal = refuseObjectionResolution(claim, request);
        if (refusal) refuse(refusal);
      },
    },
  );
  setHandler(
    inspectionReportUpdate,
    async ({ taskId, actor, outcome, findings }) => {
      claim.inspected = true;
      await activities.recordInspection({
        claimId: input.claimId,
        updateId: currentUpdateInfo()!.id,
        taskId,
        actor,
        outcome,
        findings,
        audit: { inspectors: claim.inspectors, taskId },
      });
      return { claimId: input.claimId, status: state.status, approvedFen: state.approvedFen };
    },
    {
      validator: (request) => {
        const refusal = refuseInspectionReport(claim, request);
        if (refusal) refuse(refusal);
      },
    },
  );
  setHandler(
    inspectionTeamUpdate,
    async ({ taskId, actor, inspectors: team }) => {
      claim.teamAssigned = true;
      await activities.assignInspectionTeam({ claimId: input.claimId, updateId: currentUpdateInfo()!.id, taskId, actor, inspectors: team });
      claim.inspectors = team;
      return { claimId: input.claimId, status: state.status, approvedFen: state.approvedFen };
    },
    {
      validator: (request) => {
        const refusal = refuseInspectionTeam(claim, request);
        if (refusal) refuse(refusal);
      },
    },
  );
  setHandler(fundsAllocatedSignal, () => {
    fundsAllocated = true;
  });

  // The parameters in force when the claim opened stay with it (POLICY.md preamble).
  const resolved = await activities.resolvePolicyFor({ regionCode: input.regionCode, at: workflowInfo().startTime.toISOString() });
  policy = resolved.parameters;
  claim.policy = policy;
  state.policyVersionIds = resolved.versionIds;
  const opened = await activities.recordClaimOpened({
    claimId: input.claimId,
    policyVersionIds: resolved.versionIds,
    actor: input.submittedBy,
    policy,
  });
  // R6.2: only a signed claim within the regime's scope takes the fast path (histories from before the
  // regime's scope have no result here and keep the path they took).
  const fastPath = input.withCommitment && (opened?.regime ?? 'COMMITMENT') === 'COMMITMENT';

  // Automatic checks (R2.3, R4.2, R4.3, R4.4, R5.1, R5.2, R10.1).
  const summary = await activities.checkClaim({ claimId: input.claimId, policy });
  if (fastPath) {
    if (summary.passed.length > 0)
      state.approvedFen = await activities.autoApproveLines({ claimId: input.claimId, lineIds: summary.passed });
  } else {
    summary.passed.forEach((id) => pending.set(id, []));
  }
  summary.flagged.forEach((l) => pending.set(l.lineId, l.rules));

  if (pending.size > 0) await review(pending.size);
  await condition(allHandlersFinished);

  const posted = state.approvedFen > 0 && policy.claim.postingEnabled;
  claim.eachObjection = posted && patched(OBJECTIONS_PATCH);
  if (claim.eachObjection) await postingEach();
  else if (posted) await posting();
  const lateAnswers = claim.eachObjection ? answerLateObjections() : Promise.resolve();
  // With objections answered one by one, payment waits for them all (held lines) before a claim is rejected.
  if (claim.eachObjection ? !(await payAroundObjections()) : state.approvedFen === 0) {
    await setStatus('REJECTED', { reason: 'no line approved' });
    workflowDone = true;
    await lateAnswers;
    await condition(allHandlersFinished);
    return state;
  }

  if (!claim.eachObjection) await pay();
  claim.randomDraw = patched(RANDOM_DRAW_PATCH);
  if (claim.randomDraw) await drawAndInspect();
  else if (fastPath) await postAudit();
  workflowDone = true;
  await lateAnswers;
  await condition(allHandlersFinished);
  return state;

  /** A reviewer decides the pending lines; overdue, the region's lead reviewer gets the task too. */
  async function review(lineCount: number): Promise<void> {
    if (cal.tracking) return followedReview(lineCount);
    await cal.refresh();
    const openedAt = new Date();
    const due = cal.due(openedAt, policy.claim.reviewPeriod);
    const dueAt = due.dueAt;
    await setStatus('UNDER_REVIEW');
    // Task ids are made here, so the validator knows a task before it reaches anyone's inbox.
    const taskId = uuid4();
    state.openTaskIds = [taskId];
    await activities.openClaimTask({
      claimId: input.claimId,
      taskId,
      key: 'review',
      kind: TASK_KINDS.claimReview,
      role: 'reviewer',
      title: `补贴申请审核 Review claim (${lineCount} lines)`,
      dueAt,
      dueProvisional: due.provisional,
    });
    // R9.9: a calendar version arriving while the reviewer has the task moves its due date and timer.
    if (
      await cal.waitUntilDue(() => claim.decided, {
        taskId,
        eventAt: openedAt,
        period: policy.claim.reviewPeriod,
        dueAt,
        provisional: due.provisional,
      })
    )
      return;
    const leadTaskId = uuid4();
    state.openTaskIds = [taskId, leadTaskId];
    await activities.openClaimTask({
      claimId: input.claimId,
      taskId: leadTaskId,
      key: 'review-lead',
      kind: TASK_KINDS.claimReviewEscalated,
      role: 'lead_reviewer',
      title: '[逾期升级 escalated] 补贴申请审核 Review claim',
      dueAt: deadlineAfter(policy.claim.reviewPeriod),
      escalatedFromId: taskId,
    });
    await condition(() => claim.decided);
  }

  /** review() past DEADLINES_PATCH: the reviewer's and the lead reviewer's due dates follow the calendar (R9.9). */
  async function followedReview(lineCount: number): Promise<void> {
    const taskId = uuid4();
    const reviewDue = await freshDeadline(policy.claim.reviewPeriod, { taskId });
    await setStatus('UNDER_REVIEW');
    state.openTaskIds = [taskId];
    await activities.openClaimTask({
      claimId: input.claimId,
      taskId,
      key: 'review',
      kind: TASK_KINDS.claimReview,
      role: 'reviewer',
      title: `补贴申请审核 Review claim (${lineCount} lines)`,
      dueAt: reviewDue.dueAt,
      dueProvisional: reviewDue.provisional,
    });
    await cal.track(reviewDue);
    const inTime = await cal.waitFor(reviewDue, () => claim.decided);
    cal.release(reviewDue); // overdue and escalated, or decided: no longer followed
    if (inTime) return;
    const leadTaskId = uuid4();
    const leadDue = cal.deadline(new Date(), policy.claim.reviewPeriod, { taskId: leadTaskId });
    state.openTaskIds = [taskId, leadTaskId];
    await activities.openClaimTask({
      claimId: input.claimId,
      taskId: leadTaskId,
      key: 'review-lead',
      kind: TASK_KINDS.claimReviewEscalated,
      role: 'lead_reviewer',
      title: '[逾期升级 escalated] 补贴申请审核 Review claim',
      dueAt: leadDue.dueAt,
      dueProvisional: leadDue.provisional,
      escalatedFromId: taskId,
    });
    await cal.track(leadDue);
    await condition(() => claim.decided);
    cal.release(leadDue);
  }

  /** R10.2: the approved list is posted; an objection holds the claim until a reviewer resolves it. */
  async function posting(): Promise<void> {
    const endsAt = deadlineAfter(policy.claim.postingPeriod);
    state.postingEndsAt = endsAt;
    await setStatus('POSTED', { postingEndsAt: endsAt });
    for (let round = 1; ; round++) {
      const objected = await condition(() => objectionsFiled > 0, millisUntil(endsAt));
      if (!objected) return;
      await setStatus('HELD', { reason: 'objection during posting' });
      claim.objectionResolved = false;
      claim.objectionTaskId = uuid4();
      await activities.openClaimTask({
        claimId: input.claimId,
        taskId: claim.objectionTaskId,
        key: `objection-${round}`,
        kind: TASK_KINDS.claimObjection,
        role: 'reviewer',
        title: '公示异议处理 Resolve an objection to a posted claim',
        dueAt: deadlineAfter(policy.claim.reviewPeriod),
      });
      await condition(() => claim.objectionResolved && allHandlersFinished());
      objectionsFiled = 0;
      if (state.approvedFen === 0) return;
      if (millisUntil(endsAt) === 0) return;
      await setStatus('POSTED', { postingEndsAt: endsAt });
    }
  }

  /**
   * R10.2 (OBJECTIONS_PATCH): the approved list is posted; each objection filed during the period gets its
   * own reviewer task and answer, and holds the claim while it is open.
   */
  async function postingEach(): Promise<void> {
    if (cal.tracking) return followedPosting();
    const endsAt = deadlineAfter(policy.claim.postingPeriod);
    state.postingEndsAt = endsAt;
    await setStatus('POSTED', { postingEndsAt: endsAt });
    for (;;) {
      const woke = await condition(
        () => seen < filed.length || (state.status === 'HELD' && openObjections().length === 0 && allHandlersFinished()),
        millisUntil(endsAt),
      );
      if (!woke) break;
      if (seen < filed.length) {
        while (seen < filed.length) {
          const objection = filed[seen++];
          // The task id is known to the validator before the task reaches anyone's inbox.
          objection.taskId = uuid4();
          await activities.openObjectionTask({
            claimId: input.claimId,
            objectionId: objection.objectionId,
            taskId: objection.taskId,
            key: `objection-${objection.objectionId}`,
            kind: TASK_KINDS.claimObjection,
            role: 'reviewer',
            title: '公示异议处理 Answer an objection to a posted claim',
            dueAt: deadlineAfter(policy.claim.reviewPeriod),
          });
        }
        state.objectionsOpen = openObjections().length;
        if (state.status !== 'HELD') await setStatus('HELD', { reason: 'objection during posting' });
      } else {
        if (state.approvedFen === 0) break; // every line upheld: nothing left to post
        await setStatus('POSTED', { postingEndsAt: endsAt });
      }
    }
    postingClosed = true;
  }

  /**
   * postingEach() past DEADLINES_PATCH (R9.9): the posting end is a followed deadline — a calendar version
   * arriving moves it, its timer and Claim.postingEndsAt — and so is each objection task's due date.
   */
  async function followedPosting(): Promise<void> {
    const end = await freshDeadline(policy.claim.postingPeriod, {
      key: 'posting-end',
      onMoved: async (d) => {
        state.postingEndsAt = d.dueAt;
        await activities.rescheduleDeadline({
          deadline: 'CLAIM_POSTING_END',
          caseId: input.claimId,
          dueAt: d.dueAt,
          dueProvisional: d.provisional,
        });
      },
    });
    state.postingEndsAt = end.dueAt;
    await setStatus('POSTED', { postingEndsAt: end.dueAt, postingEndsProvisional: end.provisional });
    await cal.track(end);
    for (;;) {
      const woke = await cal.waitFor(
        end,
        () => seen < filed.length || (state.status === 'HELD' && openObjections().length === 0 && allHandlersFinished()),
      );
      if (!woke) break;
      if (seen < filed.length) {
        while (seen < filed.length) {
          const objection = filed[seen++];
          // The task id is known to the validator before the task reaches anyone's inbox.
          objection.taskId = uuid4();
          const due = await freshDeadline(policy.claim.reviewPeriod, { taskId: objection.taskId });
          await activities.openObjectionTask({
            claimId: input.claimId,
            objectionId: objection.objectionId,
            taskId: objection.taskId,
            key: `objection-${objection.objectionId}`,
            kind: TASK_KINDS.claimObjection,
            role: 'reviewer',
            title: '公示异议处理 Answer an objection to a posted claim',
            dueAt: due.dueAt,
            dueProvisional: due.provisional,
          });
          if (!objection.resolved) {
            objection.due = due;
            await cal.track(due);
          }
        }
        state.objectionsOpen = openObjections().length;
        if (state.status !== 'HELD') await setStatus('HELD', { reason: 'objection during posting' });
      } else {
        if (state.approvedFen === 0) break; // every line upheld: nothing left to post
        await setStatus('POSTED', { postingEndsAt: end.dueAt, postingEndsProvisional: end.provisional });
      }
    }
    cal.release(end);
    postingClosed = true;
  }

  /** R10.2 objections reaching the claim after its posting period are answered as late, never dropped. */
  async function answerLateObjections(): Promise<void> {
    for (;;) {
      await condition(() => seen < filed.length || workflowDone);
      while (postingClosed && seen < filed.length) {
        const objection = filed[seen++];
        objection.resolved = true;
        await activities.answerLateObjection({ claimId: input.claimId, objectionId: objection.objectionId });
      }
      if (workflowDone && seen >= filed.length) return;
    }
  }

  /**
   * R10.2: the lines no open objection names are paid now; the held ones once every objection is answered,
   * less those upheld. False when nothing was left to pay at all.
   */
  async function payAroundObjections(): Promise<boolean> {
    let instalment = 1;
    const open = openObjections();
    if (open.length > 0 && open.every((o) => o.lineIds.length > 0)) {
      const now = await activities.payableFen({ claimId: input.claimId, heldLineIds: [...new Set(open.flatMap((o) => o.lineIds))] });
      if (now > 0) await payInstalment(now, instalment++, false);
    }
    await condition(() => openObjections().length === 0 && allHandlersFinished());
    const rest = state.approvedFen - state.paidFen;
    if (rest > 0) await payInstalment(rest, instalment, true);
    else if (state.paidFen > 0) await setStatus('PAID', { reason: 'the held lines were all upheld' });
    return state.paidFen > 0;
  }

  /** One instalment from the special account; short of money, the claim waits visibly until finance allocates. */
  async function payInstalment(amountFen: number, instalment: number, last: boolean): Promise<void> {
    for (;;) {
      const result = await activities.payClaim({
        claimId: input.claimId,
        institutionId: input.institutionId,
        regionCode: input.regionCode,
        amountFen,
        createdBy: 'system',
        instalment,
      });
      if (result.status === 'PAID') {
        state.paidFen += amountFen;
        if (last) await setStatus('PAID');
        else await setStatus('HELD', { reason: `paid ${amountFen} fen; the lines under objection wait for their answers` });
        return;
      }
      if (state.status !== 'AWAITING_FUNDS')
        await setStatus('AWAITING_FUNDS', { reason: `special account short by ${result.shortFen} fen` });
      fundsAllocated = false;
      if (cal.tracking) {
        // R9.9: the re-check is a timer over a calendar period too; it moves with the calendar like the others.
        const recheck = cal.deadline(new Date(), policy.claim.fundsRecheckInterval, { key: 'funds-recheck' });
        await cal.track(recheck);
        await cal.waitFor(recheck, () => fundsAllocated);
        cal.release(recheck);
      } else {
        await condition(() => fundsAllocated, millisUntil(deadlineAfter(policy.claim.fundsRecheckInterval)));
      }
    }
  }

  /** Payment from the special account; short of money, the claim waits visibly until finance allocates. */
  async function pay(): Promise<void> {
    for (;;) {
      const result = await activities.payClaim({
        claimId: input.claimId,
        institutionId: input.institutionId,
        regionCode: input.regionCode,
        amountFen: state.approvedFen,
        createdBy: 'system',
      });
      if (result.status === 'PAID') {
        state.paidFen = state.approvedFen;
        await setStatus('PAID');
        return;
      }
      if (state.status !== 'AWAITING_FUNDS')
        await setStatus('AWAITING_FUNDS', { reason: `special account short by ${result.shortFen} fen` });
      fundsAllocated = false;
      await condition(() => fundsAllocated, millisUntil(deadlineAfter(policy.claim.fundsRecheckInterval)));
    }
  }

  /**
   * R10.3 (RANDOM_DRAW_PATCH): an unpredictable draw made and recorded by an activity, at the rate of the
   * claim's kind; a sampled claim goes to the drawn team, or, when none could be drawn, to the team the lead
   * inspector names.
   */
  async function drawAndInspect(): Promise<void> {
    // R10.3 rotation changes only what the activity is given, not the commands: no patch needed.
    const draw = await activities.drawPostAudit({
      claimId: input.claimId,
      withCommitment: fastPath,
      ratePercent: sampleRateFor(policy, fastPath),
      teamSize: policy.postAudit.inspectorsPerTeam,
      rotation: rotationLookbackOf(policy),
    });
    if (!draw.sampled) return;
    claim.excluded = draw.excluded ?? [];
    if (draw.inspectors && draw.inspectors.length > 0) {
      claim.inspectors = draw.inspectors;
    } else {
      claim.teamTaskId = uuid4();
      // R9.9 (DEADLINES_PATCH): the lead inspector's and the inspectors' due dates follow the calendar.
      const teamDue = cal.tracking ? await freshDeadline(policy.postAudit.inspectionPeriod, { taskId: claim.teamTaskId }) : undefined;
      await activities.openClaimTask({
        claimId: input.claimId,
        taskId: claim.teamTaskId,
        key: 'post-audit-team',
        kind: TASK_KINDS.claimInspectionTeam,
        role: 'lead_inspector',
        title: '事后抽查组队 Name a post-audit team (too few inspectors to draw one)',
        dueAt: teamDue?.dueAt ?? deadlineAfter(policy.postAudit.inspectionPeriod),
        ...(teamDue ? { dueProvisional: teamDue.provisional } : {}),
      });
      if (teamDue) await cal.track(teamDue);
      await condition(() => claim.inspectors.length > 0);
      cal.release(teamDue);
    }
    state.auditTaskId = uuid4();
    const auditDue = cal.tracking ? await freshDeadline(policy.postAudit.inspectionPeriod, { taskId: state.auditTaskId }) : undefined;
    await activities.openClaimTask({
      claimId: input.claimId,
      taskId: state.auditTaskId,
      key: 'post-audit',
      kind: TASK_KINDS.claimInspection,
      role: 'inspector',
      title: '事后抽查 Post-audit inspection',
      dueAt: auditDue?.dueAt ?? deadlineAfter(policy.postAudit.inspectionPeriod),
      ...(auditDue ? { dueProvisional: auditDue.provisional } : {}),
      assignees: claim.inspectors,
    });
    if (auditDue) await cal.track(auditDue);
    await condition(() => claim.inspected);
    cal.release(auditDue);
  }

  /** Claims opened before RANDOM_DRAW_PATCH only: the old reproducible draw, kept so they replay. */
  async function postAudit(): Promise<void> {
    const draw = legacyAuditDraw(input.claimId);
    const rate = sampleRateFor(policy, true);
    const sampled = draw * 100 < rate;
    const audit: Record<string, unknown> = { draw, ratePercent: rate, sampled, method: 'auditDraw(claimId): FNV-1a' };
    if (!sampled) {
      await activities.recordPostAuditDraw({ claimId: input.claimId, audit });
      return;
    }
    const { pool, deciders } = await activities.postAuditCandidates({ claimId: input.claimId });
    claim.inspectors = legacyDrawInspectors(input.claimId, pool, deciders, policy.postAudit.inspectorsPerTeam) ?? [];
    audit.inspectors = claim.inspectors;
    if (claim.inspectors.length === 0)
      audit.problem = 'too few inspectors without a conflict of interest; any inspector of the region may take it';
    await activities.recordPostAuditDraw({ claimId: input.claimId, audit });
    state.auditTaskId = uuid4();
    await activities.openClaimTask({
      claimId: input.claimId,
      taskId: state.auditTaskId,
      key: 'post-audit',
      kind: TASK_KINDS.claimInspection,
      role: 'inspector',
      title: '事后抽查 Post-audit inspection',
      dueAt: deadlineAfter(policy.postAudit.inspectionPeriod),
      assignees: claim.inspectors,
    });
    await condition(() => claim.inspected);
  }
}
