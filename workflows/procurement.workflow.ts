// Competitive selection (政府采购, R2.2, R2.4, R9): one workflow per process, open tender, competitive
// negotiation or competitive consultation. Draft → published (the notice, documents on offer, sealed bids
// until the response deadline, which a late clarification moves) → opening → per lot: failure (R9.2, the
// officer's choice, approved by the finance department where the law asks) or evaluation by a committee drawn
// from the pool → ranking → the purchaser's choice (late: the first-ranked) → award notice and result
// announcement → contract within 30 days → the winner's qualification for the lot (route TENDER). Challenges
// and complaints (R9.7) run alongside; one that may change the result stops contract signing.
import { allHandlersFinished, condition, setHandler, uuid4, workflowInfo } from '@temporalio/workflow';
import { activities, millisUntil, refuse } from './workflow-kit';
import { workflowCalendar, type TrackedDeadline } from './calendar';
import { SYSTEM_ACTOR, type Actor } from './contracts/common';
import {
  answerChallengeUpdate,
  answerInquiryUpdate,
  closeRoundUpdate,
  inquireUpdate,
  openRoundUpdate,
  quoteUpdate,
  approveFailureUpdate,
  bidUpdate,
  challengeUpdate,
  chooseAwardUpdate,
  clarifyUpdate,
  complaintUpdate,
  confirmBidUpdate,
  contractUpdate,
  decideComplaintUpdate,
  decideFailureUpdate,
  procurementStateQuery,
  publishUpdate,
  releaseSeatUpdate,
  scoreUpdate,
  withdrawBidUpdate,
  type FailureChoice,
  type FailureDecisionRequest,
  type ChallengeRequest,
  type LotState,
  type ProcurementResult,
  type ProcurementState,
  type ProcurementWorkflowInput,
} from './contracts/procurement';
import { TASK_KINDS } from './contracts/tasks';
import { addDays, shanghaiDate, startOfShanghaiDay } from './domain/calendar';
import type { ProcurementParameters } from './domain/policy';
import { clarificationEffect } from './domain/procurement-schedule';
import { challengeWindow, type ChallengeFacts } from './domain/procurement-challenge';
import {
  refuseAwardChoice,
  refuseBid,
  refuseChallengeAnswer,
  refuseChallengeRequest,
  refuseComplaint,
  refuseComplaintDecision,
  refuseContract,
  refuseFailureApproval,
  refuseFailureDecision,
  refuseInquiryAnswer,
  refuseQuotation,
  refuseRound,
  refuseOwnBidChange,
  refusePublish,
  refuseScores,
  refuseSeatRelease,
  refuseWhileBidding,
  type ProcurementCase,
} from './domain/procurement-rules';

const DEADLINES_PATCH = 'procurement-deadlines';

export async function procurementWorkflow(input: ProcurementWorkflowInput): Promise<ProcurementResult> {
  const state: ProcurementState = {
    procurementId: input.procurementId,
    status: 'DRAFT',
    method: input.method,
    policyVersionIds: [],
    lots: input.lots.map((number) => ({ number, status: 'OPEN' })),
    seatsToScore: 0,
    openTaskIds: [],
    challengesBlockingSigning: 0,
    clarifications: 0,
    inquiriesOpen: 0,
  };
  const c: ProcurementCase = { state, criteria: [], validBids: {}, seats: [], bids: {}, challenges: {}, inquiries: {} };
  /** the lots' ceilings per person, for revised quotations (R9.3) */
  let ceilings: Record<number, number> = {};
  const cal = workflowCalendar({ patch: DEADLINES_PATCH });
  const id = input.procurementId;
  let policy: ProcurementParameters;
  /** the policy is resolved: handlers that compute a deadline wait for it */
  let ready = false;
  const inquiryDeadlines: Record<string, TrackedDeadline> = {};
  /** R9.2 per failed lot, the choices the law leaves open */
  const failureOptions: Record<number, FailureChoice[]> = {};
  /** R9.6 per lot, the purchaser's confirmed choice */
  const chosen: Record<number, string | undefined> = {};
  /** per lot, the awarded bidder's answer to the contract */
  const contractAnswer: Record<number, 'SIGNED' | 'DECLINED' | undefined> = {};
  const contractSigner: Record<number, Actor | undefined> = {};
  /** per failed lot, the officer's decision awaiting the finance department's approval */
  const pendingFollowUp: Record<number, FailureDecisionRequest> = {};
  /** the open human task of each lot's failure decision and approval, and of each challenge and complaint */
  const failureTasks: Record<number, string> = {};
  const approvalTasks: Record<number, string> = {};
  const challengeTasks: Record<string, string> = {};
  const complaintTasks: Record<string, string> = {};
  /** per lot, an upheld challenge or complaint asked for evaluation again or the next-ranked candidate */
  const remedy: Record<number, 'REEVALUATE' | 'NEXT_RANKED' | undefined> = {};
  const lot = (n: number) => state.lots.find((l) => l.number === n)!;
  const track = (taskId: string) => state.openTaskIds.push(taskId);
  const untrack = (taskId: string) => (state.openTaskIds = state.openTaskIds.filter((t) => t !== taskId));

  setHandler(procurementStateQuery, () => state);

  setHandler(
    publishUpdate,
    async ({ actor }) => {
      await condition(() => ready);
      state.status = 'PUBLISHED';
      const now = new Date();
      state.publishedAt = now.toISOString();
      if (input.method === 'OPEN_TENDER') state.announcementEndsAt = cal.due(now, policy.tenderAnnouncement).dueAt; // R9.1
      const published = await activities.recordProcurementPublished({
        procurementId: id,
        actor,
        announcementEndsAt: state.announcementEndsAt,
      });
      state.responseDeadline = published.responseDeadline;
      return state;
    },
    { validator: (_request) => rejectIf(refusePublish(c)) },
  );

  setHandler(
    clarifyUpdate,
    async ({ actor, text, affectsResponses }) => {
      state.clarifications++;
      // R9.1 (Regs 31), R9.3, R9.4: inside the lead time a clarification that affects responses moves the deadline.
      const effect = affectsResponses
        ? clarificationEffect(input.method, new Date(), state.responseDeadline!, policy, cal.current)
        : { moves: false, newDeadline: state.responseDeadline! };
      await activities.recordClarification({
        procurementId: id,
        actor,
        text,
        number: state.clarifications,
        ...(effect.moves ? { newDeadline: effect.newDeadline } : {}),
      });
      if (effect.moves) state.responseDeadline = effect.newDeadline;
      return state;
    },
    { validator: (_request) => rejectIf(refuseWhileBidding(c, new Date())) },
  );

  setHandler(
    bidUpdate,
    async ({ actor, bidId, lotNumber, institutionId }) => {
      for (const [other, b] of Object.entries(c.bids)) {
        if (b.institutionId === institutionId && b.lotNumber === lotNumber && b.status === 'SUBMITTED') c.bids[other].status = 'REPLACED';
      }
      c.bids[bidId] = { institutionId, lotNumber, status: 'SUBMITTED' };
      await activities.acceptBid({ procurementId: id, bidId, actor });
      return state;
    },
    { validator: ({ lotNumber }) => rejectIf(refuseBid(c, lotNumber, new Date())) },
  );

  setHandler(
    withdrawBidUpdate,
    async ({ actor, bidId }) => {
      c.bids[bidId].status = 'WITHDRAWN';
      await activities.withdrawBid({ procurementId: id, bidId, actor });
      return state;
    },
    { validator: ({ bidId, institutionId }) => rejectIf(refuseOwnBidChange(c, bidId, institutionId, new Date())) },
  );

  setHandler(
    confirmBidUpdate,
    async ({ actor, bidId }) => {
      await activities.confirmBid({ procurementId: id, bidId, actor });
      return state;
    },
    { validator: ({ bidId, institutionId }) => rejectIf(refuseOwnBidChange(c, bidId, institutionId, new Date())) },
  );

  setHandler(
    scoreUpdate,
    async ({ actor, scores, sign, dissent }) => {
      const seat = c.seats.find((s) => s.userId === actor.userId && s.status === 'DRAWN')!;
      seat.status = 'SCORED';
      state.seatsToScore--;
      const taskId = await activities.recordScores({ procurementId: id, expertId: seat.expertId, actor, scores, sign, dissent });
      if (taskId) untrack(taskId);
      return state;
    },
    { validator: (request) => rejectIf(refuseScores(c, request)) },
  );

  setHandler(
    releaseSeatUpdate,
    async ({ actor, expertId, reason, note }) => {
      const seat = c.seats.find((s) => s.expertId === expertId)!;
      seat.status = reason;
      const released = await activities.releaseSeat({ procurementId: id, expertId, reason, note, actor });
      if (released.taskId) untrack(released.taskId);
      // R9.5 a new draw replaces the member, under the same exclusions.
      const drawn = await activities.drawCommittee({ procurementId: id, replacing: expertId });
      for (const s of drawn.seats) {
        c.seats.push({ expertId: s.expertId, userId: s.userId, status: 'DRAWN' });
        track(s.taskId);
      }
      return state;
    },
    { validator: (request) => rejectIf(refuseSeatRelease(c, request)) },
  );

  setHandler(
    chooseAwardUpdate,
    async ({ lotNumber, bidId }) => {
      chosen[lotNumber] = bidId;
      return state;
    },
    { validator: (request) => rejectIf(refuseAwardChoice(c, request, chosen)) },
  );

  setHandler(
    decideFailureUpdate,
    async (request) => {
      const l = lot(request.lotNumber);
      l.failureChoice = request.choice;
      l.failureChoiceApproved = undefined;
      // R9.2 a switch of method, or a negotiation with the two responsive bidders, needs the finance department's approval.
      const approvalTaskId = request.choice === 'RERUN' ? undefined : uuid4();
      if (approvalTaskId) approvalTasks[request.lotNumber] = approvalTaskId;
      const decided = await activities.recordFailureDecision({
        procurementId: id,
        request,
        taskId: failureTasks[request.lotNumber],
        approvalTaskId,
      });
      if (decided.closedTaskId) untrack(decided.closedTaskId);
      if (approvalTaskId) {
        pendingFollowUp[request.lotNumber] = request;
        track(approvalTaskId);
      } else {
        l.failureChoiceApproved = true;
        l.followedById = await activities.startFollowUpProcess({ procurementId: id, newProcurementId: uuid4(), request });
      }
      return state;
    },
    { validator: (request) => rejectIf(refuseFailureDecision(c, request, failureOptions)) },
  );

  setHandler(
    approveFailureUpdate,
    async (request) => {
      const l = lot(request.lotNumber);
      l.failureChoiceApproved = request.approve;
      const recorded = await activities.recordFailureApproval({ procurementId: id, request, taskId: approvalTasks[request.lotNumber] });
      if (recorded.closedTaskId) untrack(recorded.closedTaskId);
      if (request.approve) {
        l.followedById = await activities.startFollowUpProcess({
          procurementId: id,
          newProcurementId: uuid4(),
          request: pendingFollowUp[request.lotNumber],
        });
      } else {
        // Refused: the officer chooses again (a re-run needs no approval).
        track(await activities.openProcurementTask(failureTask(request.lotNumber)));
      }
      return state;
    },
    { validator: (request) => rejectIf(refuseFailureApproval(c, request)) },
  );

  setHandler(
    contractUpdate,
    async ({ lotNumber, sign, actor }) => {
      contractAnswer[lotNumber] = sign ? 'SIGNED' : 'DECLINED';
      contractSigner[lotNumber] = actor;
      return state;
    },
    { validator: (request) => rejectIf(refuseContract(c, request, new Date())) },
  );

  setHandler(
    challengeUpdate,
    async (request) => {
      const due = cal.due(new Date(), policy.periods.challengeAnswer);
      const blocks = request.subject === 'RESULT' || request.subject === 'STEP';
      c.challenges[request.challengeId] = {
        institutionId: request.institutionId,
        subject: request.subject,
        lotNumber: request.lotNumber,
        status: 'OPEN',
      };
      if (blocks) state.challengesBlockingSigning++;
      const taskId = (challengeTasks[request.challengeId] = uuid4());
      await activities.recordChallenge({ procurementId: id, request, answerDueAt: due.dueAt, dueProvisional: due.provisional, taskId });
      track(taskId);
      return state;
    },
    {
      validator: (request) => {
        rejectIf(refuseChallengeRequest(c, request, new Date()));
        const facts = challengeFacts(request);
        if (!facts) {
          refuse({
            code: 'CASE_STATE_CONFLICT',
            message: 'What is challenged has not happened yet: the documents are not published or the result not announced (R9.7).',
            messageZh: '质疑事项尚未发生：采购文件尚未发布或结果尚未公告（R9.7）。',
          });
        }
        const window = challengeWindow(facts, policy, cal.current);
        if (Date.now() >= window.endsAt.getTime()) {
          const end = window.endsAt.toISOString();
          refuse({
            code: 'DEADLINE_PASSED',
            message: `A challenge to this had to come within 7 working days, before ${end} (R9.7).`,
            messageZh: `应在 7 个工作日内提出质疑，截止 ${end}（R9.7）。`,
          });
        }
      },
    },
  );

  setHandler(
    answerChallengeUpdate,
    async (request) => {
      const ch = c.challenges[request.challengeId];
      ch.status = request.upheld ? 'UPHELD' : 'DISMISSED';
      if (ch.subject === 'RESULT' || ch.subject === 'STEP') state.challengesBlockingSigning--;
      if (!request.upheld) ch.complaintDueAt = cal.due(new Date(), policy.periods.complaintWindow).dueAt;
      const taskId = await activities.recordChallengeAnswer({
        procurementId: id,
        request,
        complaintDueAt: ch.complaintDueAt,
        taskId: challengeTasks[request.challengeId],
      });
      if (taskId) untrack(taskId);
      if (request.upheld && request.remedy && ch.lotNumber !== undefined) remedy[ch.lotNumber] = request.remedy;
      return state;
    },
    { validator: (request) => rejectIf(refuseChallengeAnswer(c, request)) },
  );

  setHandler(
    complaintUpdate,
    async (request) => {
      const ch = c.challenges[request.challengeId];
      ch.complaint = 'OPEN';
      const due = cal.due(new Date(), policy.periods.complaintDecision);
      const taskId = (complaintTasks[request.challengeId] = uuid4());
      await activities.recordComplaint({ procurementId: id, request, decisionDueAt: due.dueAt, dueProvisional: due.provisional, taskId });
      track(taskId);
      return state;
    },
    { validator: ({ challengeId, institutionId }) => rejectIf(refuseComplaint(c, challengeId, institutionId, new Date())) },
  );

  setHandler(
    decideComplaintUpdate,
    async (request) => {
      const ch = c.challenges[request.challengeId];
      ch.complaint = 'DECIDED';
      // R9.7 the finance department may suspend the purchase for up to 30 days.
      const suspendedUntil = request.suspendDays
        ? startOfShanghaiDay(addDays(shanghaiDate(new Date()), request.suspendDays + 1)).toISOString()
        : undefined;
      if (suspendedUntil) state.suspendedUntil = suspendedUntil;
      const taskId = await activities.recordComplaintDecision({
        procurementId: id,
        request,
        suspendedUntil,
        taskId: complaintTasks[request.challengeId],
      });
      if (taskId) untrack(taskId);
      if (request.upheld && request.remedy && ch.lotNumber !== undefined) remedy[ch.lotNumber] = request.remedy;
      return state;
    },
    { validator: (request) => rejectIf(refuseComplaintDecision(c, request, policy.periods.maxSuspension.amount)) },
  );

  setHandler(
    inquireUpdate,
    async (request) => {
      c.inquiries[request.inquiryId] = { institutionId: request.institutionId, answered: false };
      state.inquiriesOpen++;
      // R9.7 answered within 3 working days, on the calendar.
      const taskId = uuid4();
      const due = cal.deadline(new Date(), policy.periods.inquiryAnswer, { taskId });
      inquiryDeadlines[request.inquiryId] = due;
      await activities.recordInquiry({ procurementId: id, request, answerDueAt: due.dueAt, dueProvisional: due.provisional, taskId });
      track(taskId);
      await cal.track(due);
      return state;
    },
    {
      validator: (_request) => {
        if (state.status === 'DRAFT')
          rejectIf({ code: 'CASE_STATE_CONFLICT', message: 'The process is not published yet.', messageZh: '采购项目尚未发布。' });
      },
    },
  );

  setHandler(
    answerInquiryUpdate,
    async (request) => {
      c.inquiries[request.inquiryId].answered = true;
      state.inquiriesOpen--;
      const taskId = await activities.recordInquiryAnswer({ procurementId: id, request });
      if (taskId) untrack(taskId);
      cal.release(inquiryDeadlines[request.inquiryId]);
      return state;
    },
    { validator: ({ inquiryId }) => rejectIf(refuseInquiryAnswer(c, inquiryId)) },
  );

  setHandler(
    openRoundUpdate,
    async ({ actor, final }) => {
      const n = state.negotiation!;
      n.round++;
      n.roundOpen = true;
      n.final = final;
      await activities.recordQuotationRound({ procurementId: id, round: n.round, final, open: true, actor });
      return state;
    },
    { validator: (_request) => rejectIf(refuseRound(c, true)) },
  );

  setHandler(
    quoteUpdate,
    async (request) => {
      await activities.recordQuotation({ procurementId: id, round: state.negotiation!.round, request });
      return state;
    },
    { validator: (request) => rejectIf(refuseQuotation(c, request, (lotNumber) => ceilings[lotNumber] ?? 0)) },
  );

  setHandler(
    closeRoundUpdate,
    async ({ actor }) => {
      const n = state.negotiation!;
      n.roundOpen = false;
      await activities.recordQuotationRound({ procurementId: id, round: n.round, final: n.final, open: false, actor });
      // R9.3 after the final round each bidder's last quotation is its price; the panel then signs.
      if (n.final) n.closed = true;
      return state;
    },
    { validator: (_request) => rejectIf(refuseRound(c, false)) },
  );

  // The parameters in force when the process was created stay with it (POLICY.md preamble).
  const resolved = await activities.resolvePolicyFor({ regionCode: input.regionCode, at: workflowInfo().startTime.toISOString() });
  policy = resolved.parameters.procurement;
  state.policyVersionIds = resolved.versionIds;
  await cal.refresh();
  const opened = await activities.recordProcurementOpened({
    procurementId: id,
    policyVersionIds: resolved.versionIds,
    actor: input.createdBy,
  });
  c.criteria = opened.criteria;
  ready = true;
  ceilings = Object.fromEntries((opened.ceilings ?? []).map((l) => [l.number, l.ceilingPricePerPersonFen]));

  // Published: responses come in until the deadline, which a clarification may move (R9.1).
  await condition(() => state.status === 'PUBLISHED' && allHandlersFinished());
  for (;;) {
    const due = state.responseDeadline!;
    const moved = await condition(() => state.responseDeadline !== due, millisUntil(due));
    if (!moved) break;
  }
  await waitWhileSuspended();

  // The opening (开标): the bids are decrypted only now, and each lot proceeds or fails (R9.2).
  state.status = 'EVALUATION';
  state.openedAt = new Date().toISOString();
  const opening = await activities.openBids({ procurementId: id });
  for (const result of opening.lots) {
    if (result.proceed) {
      lot(result.number).status = 'EVALUATING';
      c.validBids[result.number] = result.validBidIds;
    } else {
      lot(result.number).status = 'FAILED';
      failureOptions[result.number] = result.options;
      track(await activities.openProcurementTask(failureTask(result.number)));
    }
  }

  const evaluating = state.lots.filter((l) => l.status === 'EVALUATING');
  // R9.3 a negotiation goes through rounds of revised quotations before its panel signs.
  if (evaluating.length > 0 && input.method === 'COMPETITIVE_NEGOTIATION')
    state.negotiation = { round: 0, roundOpen: false, final: false, closed: false };
  if (evaluating.length > 0) {
    await evaluate(evaluating.map((l) => l.number));
    await Promise.all(evaluating.map((l) => awardAndContract(l)));
  }

  // The process ends when every lot is contracted or has what follows its failure, and no challenge or
  // complaint is left open; the result's challenge period has run (R9.7).
  await condition(
    () =>
      state.lots.every((l) => l.status === 'CONTRACTED' || (l.status === 'FAILED' && l.followedById !== undefined)) &&
      Object.values(c.challenges).every((ch) => ch.status !== 'OPEN' && ch.complaint !== 'OPEN') &&
      state.inquiriesOpen === 0 &&
      allHandlersFinished(),
  );
  state.status = state.lots.every((l) => l.status === 'FAILED') ? 'FAILED' : 'CLOSED';
  await activities.closeProcurement({ procurementId: id, status: state.status });
  return { procurementId: id, status: state.status };

  /** R9.3–R9.5 draws the committee (once), waits for every seat's scores and signature, and ranks the lots. */
  async function evaluate(lotNumbers: number[]): Promise<void> {
    if (c.seats.length === 0) {
      const drawn = await activities.drawCommittee({ procurementId: id });
      for (const s of drawn.seats) {
        c.seats.push({ expertId: s.expertId, userId: s.userId, status: 'DRAWN' });
        track(s.taskId);
      }
    } else {
      // Evaluation again (an upheld challenge): the same members score afresh.
      const reopened = await activities.reopenScoring({ procurementId: id });
      for (const s of c.seats) if (s.status === 'SCORED') s.status = 'DRAWN';
      reopened.taskIds.forEach(track);
    }
    state.seatsToScore = c.seats.filter((s) => s.status === 'DRAWN').length;
    await condition(() => c.seats.every((s) => s.status !== 'DRAWN') && allHandlersFinished());
    const ranking = await activities.rankLots({ procurementId: id, lotNumbers });
    for (const r of ranking.lots) lot(r.number).candidates = r.candidates;
  }

  /** R9.6 choice (late: the first-ranked), award, result announcement, contract within 30 days → qualification. */
  async function awardAndContract(l: LotState): Promise<void> {
    for (;;) {
      if (!l.candidates?.length) {
        // Nobody left to take the award (R9.6, Regs 49): the lot is run again.
        l.status = 'FAILED';
        failureOptions[l.number] = ['RERUN'];
        await activities.failLotWithoutWinner({ procurementId: id, lotNumber: l.number });
        track(await activities.openProcurementTask(failureTask(l.number)));
        return;
      }
      chosen[l.number] = undefined;
      l.status = 'EVALUATING';
      const choiceTask = uuid4();
      const choice = cal.deadline(new Date(), policy.periods.winnerChoice, { taskId: choiceTask });
      state.choiceDueAt = choice.dueAt;
      await activities.openProcurementTask({
        procurementId: id,
        taskId: choiceTask,
        kind: TASK_KINDS.procurementAwardChoice,
        role: 'procurement',
        title: `Confirm the winner of lot ${l.number} in ranking order (R9.6)`,
        dueAt: choice.dueAt,
        dueProvisional: choice.provisional,
      });
      track(choiceTask);
      await cal.track(choice);
      const confirmed = await cal.waitFor(choice, () => chosen[l.number] !== undefined);
      cal.release(choice);
      const bidId = chosen[l.number] ?? l.candidates[0];
      await waitWhileSuspended();
      const awarded = await activities.recordAward({
        procurementId: id,
        lotNumber: l.number,
        bidId,
        choiceTaskId: choiceTask,
        automatic: !confirmed,
        actor: SYSTEM_ACTOR,
      });
      untrack(choiceTask);
      l.status = 'AWARDED';
      l.awardedBidId = bidId;
      l.awardNoticeAt = awarded.awardNoticeAt;
      state.status = 'AWARDED';
      state.resultAnnouncedAt = awarded.awardNoticeAt;
      state.resultAnnouncementEndsAt = cal.due(new Date(awarded.awardNoticeAt), policy.periods.resultAnnouncement).dueAt;
      l.resultAnnouncementEndsAt = state.resultAnnouncementEndsAt;

      // The contract within 30 days of the award notice (R9.6); an open challenge on the result stops signing.
      contractAnswer[l.number] = undefined;
      remedy[l.number] = undefined;
      const signing = cal.deadline(new Date(awarded.awardNoticeAt), policy.periods.contractSigning, { key: `contract-${l.number}` });
      l.contractDueAt = signing.dueAt;
      await cal.track(signing);
      const answered = await cal.waitFor(signing, () => contractAnswer[l.number] !== undefined || remedy[l.number] !== undefined);
      cal.release(signing);
      if (answered && contractAnswer[l.number] === 'SIGNED') {
        const contracted = await activities.recordContract({
          procurementId: id,
          lotNumber: l.number,
          bidId,
          actor: contractSigner[l.number]!,
        });
        l.status = 'CONTRACTED';
        l.qualificationId = contracted.qualificationId;
        // R2.4 the qualification is kept like any other: reminder, expiry, suspension (the institution's workflow).
        await activities.trackQualification(contracted);
        return;
      }
      if (remedy[l.number] === 'REEVALUATE') {
        await activities.withdrawAward({ procurementId: id, lotNumber: l.number, reason: 'REEVALUATE' });
        await evaluate([l.number]);
        continue;
      }
      // Declined, not signed in time, or the award given to the next-ranked after a challenge (R9.6, Regs 49).
      const why = remedy[l.number] === 'NEXT_RANKED' ? 'CHALLENGE_UPHELD' : answered ? 'DECLINED' : 'NOT_SIGNED_IN_TIME';
      await activities.withdrawAward({ procurementId: id, lotNumber: l.number, reason: why });
      l.candidates = l.candidates.filter((b) => b !== bidId);
      l.awardedBidId = undefined;
    }
  }

  async function waitWhileSuspended(): Promise<void> {
    while (state.suspendedUntil && Date.now() < Date.parse(state.suspendedUntil)) {
      await condition(() => false, millisUntil(state.suspendedUntil));
    }
  }

  function failureTask(lotNumber: number) {
    const taskId = (failureTasks[lotNumber] = uuid4());
    return {
      procurementId: id,
      taskId,
      kind: TASK_KINDS.procurementFailure,
      role: 'procurement' as const,
      title: `Lot ${lotNumber} failed: re-run it, or switch method or negotiate with approval (R9.2)`,
    };
  }

  /** R9.7 where each subject's challenge period starts; undefined while what is challenged has not happened. */
  function challengeFacts(request: ChallengeRequest): ChallengeFacts | undefined {
    if (!state.publishedAt) return undefined;
    switch (request.subject) {
      case 'DOCUMENTS':
        return {
          subject: 'DOCUMENTS',
          receivedAt: new Date(request.receivedAt ?? state.publishedAt),
          ...(state.announcementEndsAt ? { announcementEndsAt: new Date(state.announcementEndsAt) } : {}),
        };
      case 'STEP':
        return { subject: 'STEP', stepEndedAt: new Date(request.stepEndedAt ?? state.openedAt ?? state.publishedAt) };
      case 'RESULT': {
        const l = state.lots.find((x) => x.number === request.lotNumber);
        const ends = l?.awardNoticeAt ? l.resultAnnouncementEndsAt : undefined;
        return ends ? { subject: 'RESULT', resultAnnouncementEndsAt: new Date(ends) } : undefined;
      }
    }
  }
}

function rejectIf(refusal: ReturnType<typeof refusePublish>): void {
  if (refusal) refuse(refusal);
}

export type ProcurementWorkflowFn = typeof procurementWorkflow;
