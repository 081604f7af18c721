// A subsidy claim (R4–R7, R10): automatic checks per line → approval (automatic for passing lines under a
// signed commitment, R6.2; a reviewer for the rest) → public posting with objections (R10.2) → payment from
// the special account, waiting for funds when short (R7.1) → post-audit sampling of commitment claims (R10.3).
import {
  allHandlersFinished,
  condition,
  currentUpdateInfo,
  setHandler,
  uuid4,
  workflowInfo,
} from '@temporalio/workflow';
import { acts, millisUntil, refuse } from './support';
import {
  claimDecisionUpdate,
  claimStateQuery,
  fundsAllocatedSignal,
  inspectionReportUpdate,
  objectionFiledSignal,
  objectionResolutionUpdate,
  type ClaimState,
  type ClaimStatus,
  type ClaimWorkflowInput,
} from './contracts/claim';
import { workflowCalendar } from './calendar';
import { refuseLineDecisions } from './domain/claim-decision-rules';
import { auditDraw, drawInspectors } from './domain/claim-rules';
import type { PolicyParameters } from './domain/policy';

const conflictIf = (cond: boolean, message: string, messageZh: string) => {
  if (cond) refuse({ code: 'TASK_NOT_OPEN', message, messageZh });
};

const until = millisUntil;

export async function claimWorkflow(input: ClaimWorkflowInput): Promise<ClaimState> {
  const state: ClaimState = { claimId: input.claimId, status: 'CHECKING', policyVersionIds: [], openTaskIds: [], approvedFen: 0, paidFen: 0 };
  const pending = new Map<string, string[]>(); // lines awaiting a reviewer, with the rules they break
  let decided = false;
  let objectionsFiled = 0;
  let objectionTaskId: string | undefined;
  let objectionResolved = false;
  let inspectors: string[] = [];
  let inspected = false;
  let fundsAllocated = false;
  let statusSeq = 0;
  let policy: PolicyParameters; // resolved below, before any task can be decided
  // R9.9: deadlines on the calendar versions of the database, once the review has loaded them.
  const cal = workflowCalendar();
  const dueIn = (policyPeriod: PolicyParameters['claim']['reviewPeriod']) => cal.due(new Date(), policyPeriod).dueAt;

  const setStatus = async (status: ClaimStatus, extra: { postingEndsAt?: string; reason?: string } = {}) => {
    state.status = status;
    await acts.setClaimStatus({ claimId: input.claimId, status, key: `${++statusSeq}-${status}`, ...extra });
  };

  setHandler(claimStateQuery, () => state);
  setHandler(
    claimDecisionUpdate,
    async ({ taskId, actor, lines }) => {
      decided = true;
      const result = await acts.decideClaimLines({ claimId: input.claimId, updateId: currentUpdateInfo()!.id, taskId, actor, decisions: lines, policy });
      state.approvedFen = result.approvedFen;
      state.openTaskIds = [];
      pending.clear();
      return { claimId: input.claimId, status: state.status, approvedFen: state.approvedFen };
    },
    {
      validator: ({ taskId, lines }) => {
        conflictIf(decided || state.status !== 'UNDER_REVIEW' || !state.openTaskIds.includes(taskId), 'This task is not open for a decision.', '该任务当前不可决定。');
        const refusal = refuseLineDecisions(lines, { pending, workerCapFen: policy.subsidy.workerCapFen });
        if (refusal) refuse(refusal);
      },
    },
  );
  setHandler(objectionFiledSignal, () => {
    if (state.status === 'POSTED' || state.status === 'HELD') objectionsFiled++;
  });
  setHandler(
    objectionResolutionUpdate,
    async ({ taskId, actor, outcome, reason, lineIds }) => {
      objectionResolved = true;
      state.approvedFen = await acts.resolveObjection({ claimId: input.claimId, updateId: currentUpdateInfo()!.id, taskId, actor, outcome, reason, lineIds: lineIds ?? [] });
      return { claimId: input.claimId, status: state.status, approvedFen: state.approvedFen };
    },
    {
      validator: ({ taskId, outcome, reason, lineIds }) => {
        conflictIf(objectionResolved || state.status !== 'HELD' || taskId !== objectionTaskId, 'No objection of this claim awaits this task.', '该任务没有待处理的异议。');
        const problems = [];
        if (!reason.trim()) problems.push({ field: 'reason', problem: 'a reason is required', problemZh: '须填写理由' });
        if (outcome === 'UPHOLD' && !(lineIds && lineIds.length > 0)) problems.push({ field: 'lineIds', problem: 'name the lines the objection is right about', problemZh: '须列明异议成立的明细' });
        if (problems.length) refuse({ code: 'INVALID_DECISION', message: 'The resolution is not valid.', messageZh: '异议处理决定无效。', problems });
      },
    },
  );
  setHandler(
    inspectionReportUpdate,
    async ({ taskId, actor, outcome, findings }) => {
      inspected = true;
      await acts.recordInspection({ claimId: input.claimId, updateId: currentUpdateInfo()!.id, taskId, actor, outcome, findings, audit: { inspectors, taskId } });
      return { claimId: input.claimId, status: state.status, approvedFen: state.approvedFen };
    },
    {
      validator: ({ taskId, actor, findings }) => {
        conflictIf(inspected || taskId !== state.auditTaskId, 'This inspection is not open.', '该抽查任务不在办理中。');
        if (inspectors.length > 0 && !inspectors.includes(actor.userId)) {
          refuse({ code: 'FORBIDDEN', message: 'Only an inspector of the drawn team can report.', messageZh: '只有抽中的检查组成员可以提交结论。' });
        }
        if (!findings.trim()) refuse({ code: 'INVALID_DECISION', message: 'Findings are required.', messageZh: '须填写检查结论。', problems: [{ field: 'findings', problem: 'required', problemZh: '必填' }] });
      },
    },
  );
  setHandler(fundsAllocatedSignal, () => {
    fundsAllocated = true;
  });

  // The parameters in force when the claim opened stay with it (POLICY.md preamble).
  const resolved = await acts.resolvePolicyFor({ regionCode: input.regionCode, at: workflowInfo().startTime.toISOString() });
  policy = resolved.parameters;
  state.policyVersionIds = resolved.versionIds;
  const opened = await acts.recordClaimOpened({ claimId: input.claimId, policyVersionIds: resolved.versionIds, actor: input.submittedBy, policy });
  // R6.2: only a signed claim within the regime's scope takes the fast path (histories from before the
  // regime's scope have no result here and keep the path they took).
  const fastPath = input.withCommitment && (opened?.regime ?? 'COMMITMENT') === 'COMMITMENT';

  // Automatic checks (R2.3, R4.2, R4.3, R4.4, R5.1, R5.2, R10.1).
  const summary = await acts.checkClaim({ claimId: input.claimId, policy });
  if (fastPath) {
    if (summary.passed.length > 0) state.approvedFen = await acts.autoApproveLines({ claimId: input.claimId, lineIds: summary.passed });
  } else {
    summary.passed.forEach((id) => pending.set(id, []));
  }
  summary.flagged.forEach((l) => pending.set(l.lineId, l.rules));

  if (pending.size > 0) await review(pending.size);
  await condition(allHandlersFinished);

  if (state.approvedFen > 0 && policy.claim.postingEnabled) await posting();
  if (state.approvedFen === 0) {
    await setStatus('REJECTED', { reason: 'no line approved' });
    await condition(allHandlersFinished);
    return state;
  }

  await pay();
  if (fastPath) await postAudit();
  await condition(allHandlersFinished);
  return state;

  /** A reviewer decides the pending lines; overdue, the region's lead reviewer gets the task too. */
  async function review(lineCount: number): Promise<void> {
    await cal.refresh();
    const openedAt = new Date();
    const due = cal.due(openedAt, policy.claim.reviewPeriod);
    const dueAt = due.dueAt;
    await setStatus('UNDER_REVIEW');
    // Task ids are made here, so the validator knows a task before it reaches anyone's inbox.
    const taskId = uuid4();
    state.openTaskIds = [taskId];
    await acts.openClaimTask({ claimId: input.claimId, taskId, key: 'review', kind: 'CLAIM_REVIEW', role: 'reviewer', title: `补贴申请审核 Review claim (${lineCount} lines)`, dueAt, dueProvisional: due.provisional });
    // R9.9: a calendar version arriving while the reviewer has the task moves its due date and timer.
    if (await cal.waitUntilDue(() => decided, { taskId, eventAt: openedAt, period: policy.claim.reviewPeriod, dueAt, provisional: due.provisional })) return;
    const leadTaskId = uuid4();
    state.openTaskIds = [taskId, leadTaskId];
    await acts.openClaimTask({ claimId: input.claimId, taskId: leadTaskId, key: 'review-lead', kind: 'CLAIM_REVIEW_ESCALATED', role: 'lead_reviewer', title: '[逾期升级 escalated] 补贴申请审核 Review claim', dueAt: dueIn(policy.claim.reviewPeriod), escalatedFromId: taskId });
    await condition(() => decided);
  }

  /** R10.2: the approved list is posted; an objection holds the claim until a reviewer resolves it. */
  async function posting(): Promise<void> {
    const endsAt = dueIn(policy.claim.postingPeriod);
    state.postingEndsAt = endsAt;
    await setStatus('POSTED', { postingEndsAt: endsAt });
    for (let round = 1; ; round++) {
      const objected = await condition(() => objectionsFiled > 0, until(endsAt));
      if (!objected) return;
      await setStatus('HELD', { reason: 'objection during posting' });
      objectionResolved = false;
      objectionTaskId = uuid4();
      await acts.openClaimTask({ claimId: input.claimId, taskId: objectionTaskId, key: `objection-${round}`, kind: 'CLAIM_OBJECTION', role: 'reviewer', title: '公示异议处理 Resolve an objection to a posted claim', dueAt: dueIn(policy.claim.reviewPeriod) });
      await condition(() => objectionResolved && allHandlersFinished());
      objectionsFiled = 0;
      if (state.approvedFen === 0) return;
      if (until(endsAt) === 0) return;
      await setStatus('POSTED', { postingEndsAt: endsAt });
    }
  }

  /** Payment from the special account; short of money, the claim waits visibly until finance allocates. */
  async function pay(): Promise<void> {
    for (;;) {
      const result = await acts.payClaim({ claimId: input.claimId, institutionId: input.institutionId, regionCode: input.regionCode, amountFen: state.approvedFen, createdBy: 'system' });
      if (result.status === 'PAID') {
        state.paidFen = state.approvedFen;
        await setStatus('PAID');
        return;
      }
      if (state.status !== 'AWAITING_FUNDS') await setStatus('AWAITING_FUNDS', { reason: `special account short by ${result.shortFen} fen` });
      fundsAllocated = false;
      await condition(() => fundsAllocated, until(dueIn(policy.claim.fundsRecheckInterval)));
    }
  }

  /** R6.2/R10.3: a reproducible draw; a sampled claim goes to a random team of inspectors who did not decide it. */
  async function postAudit(): Promise<void> {
    const draw = auditDraw(input.claimId);
    const sampled = draw * 100 < policy.postAudit.sampleRatePercent;
    const audit: Record<string, unknown> = { draw, ratePercent: policy.postAudit.sampleRatePercent, sampled, method: 'auditDraw(claimId): FNV-1a' };
    if (!sampled) {
      await acts.recordPostAuditDraw({ claimId: input.claimId, audit });
      return;
    }
    const { pool, deciders } = await acts.postAuditCandidates({ claimId: input.claimId });
    inspectors = drawInspectors(input.claimId, pool, deciders, policy.postAudit.inspectorsPerTeam) ?? [];
    audit.inspectors = inspectors;
    if (inspectors.length === 0) audit.problem = 'too few inspectors without a conflict of interest; any inspector of the region may take it';
    await acts.recordPostAuditDraw({ claimId: input.claimId, audit });
    state.auditTaskId = uuid4();
    await acts.openClaimTask({ claimId: input.claimId, taskId: state.auditTaskId, key: 'post-audit', kind: 'CLAIM_INSPECTION', role: 'inspector', title: '事后抽查 Post-audit inspection', dueAt: dueIn(policy.postAudit.inspectionPeriod), assignees: inspectors });
    await condition(() => inspected);
  }
}
