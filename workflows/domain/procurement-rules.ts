// The procurement workflow's Update validators (R9), as pure functions of the case the workflow keeps: each
// returns the refusal (409 for a step out of turn, 403 for the wrong party, 422 for a bad request) or null.
import type { Problem } from '../contracts/common';
import type {
  AwardChoiceRequest,
  ChallengeAnswerRequest,
  ChallengeRequest,
  ComplaintDecisionRequest,
  ContractRequest,
  FailureApprovalRequest,
  FailureDecisionRequest,
  LotState,
  ProcurementState,
  ScoreRequest,
  SeatReleaseRequest,
} from '../contracts/procurement';
import type { Refusal } from './filing-rules';

/** What procurementWorkflow keeps of its case besides the state it shows: the validators read this object. */
export interface ProcurementCase {
  state: ProcurementState;
  /** evaluation criteria keys, and each key's most points (centipoints) */
  criteria: { key: string; maxCentipoints: number }[];
  /** after the opening: the valid bids of each lot under evaluation */
  validBids: Record<number, string[]>;
  /** committee seats: expert id → user id, and whether the seat still has to score */
  seats: { expertId: string; userId: string; status: 'DRAWN' | 'SCORED' | 'RECUSED' | 'ABSENT' }[];
  /** bids taken by the process, by id: whose and for which lot */
  bids: Record<string, { institutionId: string; lotNumber: number; status: 'SUBMITTED' | 'WITHDRAWN' | 'REPLACED' }>;
  /** challenges: id → what the workflow needs to route an answer and a complaint */
  /** R9.7 inquiries: id → whose, and whether answered */
  inquiries: Record<string, { institutionId: string; answered: boolean }>;
  challenges: Record<
    string,
    {
      institutionId: string;
      subject: string;
      lotNumber?: number;
      status: 'OPEN' | 'UPHELD' | 'DISMISSED';
      complaint?: 'OPEN' | 'DECIDED';
      complaintDueAt?: string;
    }
  >;
}

const outOfTurn = (message: string, messageZh: string): Refusal => ({ code: 'CASE_STATE_CONFLICT', message, messageZh });
const invalid = (message: string, messageZh: string, problems?: Problem[]): Refusal => ({
  code: 'INVALID_DECISION',
  message,
  messageZh,
  ...(problems ? { problems } : {}),
});
const forbidden = (message: string, messageZh: string): Refusal => ({ code: 'FORBIDDEN', message, messageZh });

function lotOf(c: ProcurementCase, n: number): LotState | undefined {
  return c.state.lots.find((l) => l.number === n);
}

/** Bids, withdrawals, confirmations and clarifications: only while the process takes responses. */
export function refuseWhileBidding(c: ProcurementCase, now: Date): Refusal | null {
  if (c.state.status === 'DRAFT') return outOfTurn('The process is not published yet.', '采购项目尚未发布。');
  if (c.state.status !== 'PUBLISHED' || (c.state.responseDeadline && now.getTime() >= Date.parse(c.state.responseDeadline))) {
    return {
      code: 'DEADLINE_PASSED',
      message: 'The response deadline has passed (R9.1).',
      messageZh: '已过投标（响应）截止时间（R9.1）。',
    };
  }
  if (c.state.suspendedUntil && now.getTime() < Date.parse(c.state.suspendedUntil)) {
    return outOfTurn('The finance department has suspended the process (R9.7).', '财政部门已暂停该采购活动（R9.7）。');
  }
  return null;
}

export function refusePublish(c: ProcurementCase): Refusal | null {
  return c.state.status === 'DRAFT' ? null : outOfTurn('The process is already published.', '采购项目已发布。');
}

export function refuseBid(c: ProcurementCase, lotNumber: number, now: Date): Refusal | null {
  const timing = refuseWhileBidding(c, now);
  if (timing) return timing;
  const lot = lotOf(c, lotNumber);
  if (!lot) return invalid(`The process has no lot ${lotNumber}.`, `该项目没有第 ${lotNumber} 包。`);
  return null;
}

/** Withdrawal or confirmation of a bid: the bidder's own, still standing, before the deadline. */
export function refuseOwnBidChange(c: ProcurementCase, bidId: string, institutionId: string, now: Date): Refusal | null {
  const timing = refuseWhileBidding(c, now);
  if (timing) return timing;
  const bid = c.bids[bidId];
  if (!bid || bid.institutionId !== institutionId) return forbidden('Not a bid of your institution.', '不是本机构的投标。');
  if (bid.status !== 'SUBMITTED') return outOfTurn('The bid was withdrawn or replaced.', '该投标已撤回或被替换。');
  return null;
}

/** R9.5 a member scores every valid bid on every criterion, in range, once, and signs or records a dissent. */
export function refuseScores(c: ProcurementCase, request: Pick<ScoreRequest, 'actor' | 'scores' | 'sign' | 'dissent'>): Refusal | null {
  if (c.state.status !== 'EVALUATION') return outOfTurn('The process is not under evaluation.', '采购项目不在评审阶段。');
  const seat = c.seats.find((s) => s.userId === request.actor.userId && s.status !== 'RECUSED' && s.status !== 'ABSENT');
  if (!seat) return forbidden('You do not sit on this committee (R9.5).', '您不是本项目评审委员会成员（R9.5）。');
  if (seat.status === 'SCORED') return outOfTurn('You have already scored and signed.', '您已完成评分并签字。');
  if (c.state.negotiation && !c.state.negotiation.closed) {
    return outOfTurn('The panel signs after the final round of quotations (R9.3).', '最后一轮报价结束后，谈判小组方可签字（R9.3）。');
  }
  if (!request.sign && !request.dissent?.trim()) {
    return invalid('Sign the report or record a dissent (R9.5).', '须在评审报告上签字或书面说明不同意见（R9.5）。', [
      { field: 'dissent', problem: 'required when not signing', problemZh: '不签字时必填' },
    ]);
  }
  const problems: Problem[] = [];
  const expected = Object.values(c.validBids).flat();
  for (const bidId of expected) {
    const given = request.scores[bidId];
    if (!given) {
      problems.push({ field: `scores.${bidId}`, problem: 'every valid bid is scored', problemZh: '须对每一份有效投标评分' });
      continue;
    }
    for (const criterion of c.criteria) {
      const points = given[criterion.key];
      if (!Number.isInteger(points) || points < 0 || points > criterion.maxCentipoints) {
        problems.push({
          field: `scores.${bidId}.${criterion.key}`,
          problem: `an integer from 0 to ${criterion.maxCentipoints} (hundredths of a point)`,
          problemZh: `须为 0 至 ${criterion.maxCentipoints} 的整数（单位：0.01 分）`,
        });
      }
    }
    for (const key of Object.keys(given)) {
      if (!c.criteria.some((k) => k.key === key)) {
        problems.push({
          field: `scores.${bidId}.${key}`,
          problem: 'not a criterion of the documents',
          problemZh: '不是采购文件规定的评审因素',
        });
      }
    }
  }
  for (const bidId of Object.keys(request.scores)) {
    if (!expected.includes(bidId)) {
      problems.push({ field: `scores.${bidId}`, problem: 'not a valid bid under evaluation', problemZh: '不是评审中的有效投标' });
    }
  }
  return problems.length ? invalid('The scores are incomplete or out of range (R9.5).', '评分不完整或超出范围（R9.5）。', problems) : null;
}

/** R9.5 an absent or recused member is replaced by a new draw: the officer records it, or the member recuses. */
export function refuseSeatRelease(c: ProcurementCase, request: Pick<SeatReleaseRequest, 'actor' | 'expertId'>): Refusal | null {
  if (c.state.status !== 'EVALUATION') return outOfTurn('The process is not under evaluation.', '采购项目不在评审阶段。');
  const seat = c.seats.find((s) => s.expertId === request.expertId);
  if (!seat || seat.status !== 'DRAWN')
    return outOfTurn('That member has no open seat on the committee.', '该专家在本委员会没有待评审的席位。');
  const officer = request.actor.roles.includes('procurement');
  if (!officer && seat.userId !== request.actor.userId)
    return forbidden('Only the member or the procurement officer.', '仅限该专家本人或采购经办人。');
  return null;
}

/** R9.6 the purchaser confirms the first-ranked remaining candidate. */
export function refuseAwardChoice(
  c: ProcurementCase,
  request: Pick<AwardChoiceRequest, 'lotNumber' | 'bidId'>,
  chosen: Record<number, string | undefined>,
): Refusal | null {
  const lot = lotOf(c, request.lotNumber);
  if (!lot || lot.status !== 'EVALUATING' || !lot.candidates?.length || chosen[request.lotNumber] !== undefined) {
    return outOfTurn('No award choice is pending for this lot.', '该包当前无需确定中标（成交）供应商。');
  }
  if (lot.candidates[0] !== request.bidId) {
    return invalid(
      'The winner is chosen in ranking order: the first-ranked candidate (R9.6).',
      '应当按评审报告推荐的顺序确定第一名中标候选人（R9.6）。',
      [
        {
          field: 'bidId',
          problem: `the first-ranked candidate is bid ${lot.candidates[0]}`,
          problemZh: `排名第一的候选人为投标 ${lot.candidates[0]}`,
        },
      ],
    );
  }
  return null;
}

/** R9.2 the officer decides what follows a failed lot, once. */
export function refuseFailureDecision(
  c: ProcurementCase,
  request: Pick<FailureDecisionRequest, 'lotNumber' | 'choice'>,
  options: Record<number, string[]>,
): Refusal | null {
  const lot = lotOf(c, request.lotNumber);
  if (!lot || lot.status !== 'FAILED') return outOfTurn('The lot has not failed.', '该包未废标。');
  if (lot.failureChoice && lot.failureChoiceApproved !== false)
    return outOfTurn('A choice was already made for this lot.', '该包已作出后续处理决定。');
  if (!(options[request.lotNumber] ?? []).includes(request.choice)) {
    return invalid(`${request.choice} is not open to this lot (R9.2).`, `该包不适用此处理方式（R9.2）：${request.choice}`, [
      {
        field: 'choice',
        problem: `one of ${(options[request.lotNumber] ?? []).join(', ')}`,
        problemZh: `可选：${(options[request.lotNumber] ?? []).join('、')}`,
      },
    ]);
  }
  return null;
}

/** R9.2 the finance department approves a pending switch of method or negotiation with two. */
export function refuseFailureApproval(c: ProcurementCase, request: Pick<FailureApprovalRequest, 'lotNumber'>): Refusal | null {
  const lot = lotOf(c, request.lotNumber);
  if (!lot || lot.status !== 'FAILED' || !lot.failureChoice || lot.failureChoiceApproved !== undefined || lot.followedById) {
    return outOfTurn('No choice awaits approval for this lot.', '该包没有待审批的处理方式。');
  }
  return null;
}

/** R9.6/R9.7 the awarded bidder signs or declines; an open challenge that may change the result stops signing. */
export function refuseContract(
  c: ProcurementCase,
  request: Pick<ContractRequest, 'lotNumber' | 'institutionId' | 'sign'>,
  now: Date,
): Refusal | null {
  const lot = lotOf(c, request.lotNumber);
  if (!lot || lot.status !== 'AWARDED' || !lot.awardedBidId)
    return outOfTurn('The lot has no award waiting for its contract.', '该包没有待签订的合同。');
  if (c.bids[lot.awardedBidId]?.institutionId !== request.institutionId) {
    return forbidden('Only the awarded institution signs the contract.', '仅中标（成交）供应商可签订合同。');
  }
  if (request.sign && c.state.challengesBlockingSigning > 0) {
    return outOfTurn(
      'A challenge that may change the result is open: the contract cannot be signed yet (R9.7).',
      '存在可能影响中标结果的质疑，暂停签订合同（R9.7）。',
    );
  }
  if (request.sign && c.state.suspendedUntil && now.getTime() < Date.parse(c.state.suspendedUntil)) {
    return outOfTurn('The finance department has suspended the process (R9.7).', '财政部门已暂停该采购活动（R9.7）。');
  }
  return null;
}

/**
 * R9.7 what a challenge states before its window is worked out: a lot of the process (the result of a lot names
 * it), and dates of receipt or of a step's end that have already come — a date to come would stretch the window.
 */
export function refuseChallengeRequest(
  c: ProcurementCase,
  request: Pick<ChallengeRequest, 'subject' | 'lotNumber' | 'receivedAt' | 'stepEndedAt'>,
  now: Date,
): Refusal | null {
  const problems: Problem[] = [];
  if (request.lotNumber !== undefined && !lotOf(c, request.lotNumber)) {
    problems.push({
      field: 'lotNumber',
      problem: `the process has no lot ${request.lotNumber}`,
      problemZh: `该项目没有第 ${request.lotNumber} 包`,
    });
  } else if (request.subject === 'RESULT' && request.lotNumber === undefined) {
    problems.push({
      field: 'lotNumber',
      problem: 'a challenge to the result names its lot',
      problemZh: '对中标（成交）结果的质疑须写明采购包',
    });
  }
  for (const field of ['receivedAt', 'stepEndedAt'] as const) {
    const at = request[field];
    if (at !== undefined && Date.parse(at) > now.getTime()) {
      problems.push({ field, problem: 'a date that has already come', problemZh: '不得晚于当前时间' });
    }
  }
  return problems.length
    ? invalid('The challenge names no lot of the process or a date to come (R9.7).', '质疑所涉采购包或日期有误（R9.7）。', problems)
    : null;
}

/** R9.7 a challenge is answered once, by the purchaser; an upheld one on the result names its remedy. */
export function refuseChallengeAnswer(
  c: ProcurementCase,
  request: Pick<ChallengeAnswerRequest, 'challengeId' | 'upheld' | 'remedy'>,
): Refusal | null {
  const ch = c.challenges[request.challengeId];
  if (!ch || ch.status !== 'OPEN') return outOfTurn('The challenge is not open.', '该质疑不在待答复状态。');
  if (request.upheld && ch.subject === 'RESULT' && !request.remedy) {
    return invalid('An upheld challenge to the result names its remedy (R9.7).', '质疑成立且涉及结果的，须明确处理方式（R9.7）。', [
      { field: 'remedy', problem: 'REEVALUATE or NEXT_RANKED', problemZh: '重新评审或依次确定下一候选人' },
    ]);
  }
  return null;
}

/** R9.7 a complaint follows a dismissed challenge, by its challenger, within the window. */
export function refuseComplaint(c: ProcurementCase, challengeId: string, institutionId: string, now: Date): Refusal | null {
  const ch = c.challenges[challengeId];
  if (!ch || ch.institutionId !== institutionId) return forbidden('Not a challenge of your institution.', '不是本机构提出的质疑。');
  if (ch.status !== 'DISMISSED' || ch.complaint)
    return outOfTurn('Only a dismissed challenge can be taken to the finance department, once.', '仅对不成立的质疑答复可投诉一次。');
  if (ch.complaintDueAt && now.getTime() >= Date.parse(ch.complaintDueAt)) {
    return { code: 'DEADLINE_PASSED', message: 'The complaint period has passed (R9.7).', messageZh: '已超过投诉期限（R9.7）。' };
  }
  return null;
}

export function refuseComplaintDecision(
  c: ProcurementCase,
  request: Pick<ComplaintDecisionRequest, 'challengeId' | 'suspendDays'>,
  maxSuspensionDays: number,
): Refusal | null {
  const ch = c.challenges[request.challengeId];
  if (!ch || ch.complaint !== 'OPEN') return outOfTurn('No complaint awaits a decision.', '没有待处理的投诉。');
  if (
    request.suspendDays !== undefined &&
    (!Number.isInteger(request.suspendDays) || request.suspendDays < 1 || request.suspendDays > maxSuspensionDays)
  ) {
    return invalid(
      `A suspension lasts 1 to ${maxSuspensionDays} days (R9.7).`,
      `暂停采购活动的期限为 1 至 ${maxSuspensionDays} 日（R9.7）。`,
      [{ field: 'suspendDays', problem: `1 to ${maxSuspensionDays}`, problemZh: `1 至 ${maxSuspensionDays}` }],
    );
  }
  return null;
}

/** R9.7 an inquiry is answered once. */
export function refuseInquiryAnswer(c: ProcurementCase, inquiryId: string): Refusal | null {
  const q = c.inquiries[inquiryId];
  if (!q || q.answered) return outOfTurn('The inquiry is not awaiting an answer.', '该询问不在待答复状态。');
  return null;
}

/** R9.3 rounds of revised quotations: only in a negotiation, after the opening, before the final round closed. */
export function refuseRound(c: ProcurementCase, opening: boolean): Refusal | null {
  const n = c.state.negotiation;
  if (c.state.method !== 'COMPETITIVE_NEGOTIATION' || c.state.status !== 'EVALUATION' || !n) {
    return outOfTurn(
      'Rounds of quotations belong to a competitive negotiation after its opening (R9.3).',
      '多轮报价仅适用于竞争性谈判开启响应文件之后（R9.3）。',
    );
  }
  if (n.closed) return outOfTurn('The final round has closed.', '最后一轮报价已结束。');
  if (opening && n.roundOpen) return outOfTurn('A round is already open.', '已有一轮报价正在进行。');
  if (!opening && !n.roundOpen) return outOfTurn('No round is open.', '当前没有进行中的报价轮次。');
  return null;
}

/** R9.3 a revised quotation: the bidder's own valid bid, in an open round, within the lot's ceiling. */
export function refuseQuotation(
  c: ProcurementCase,
  request: { bidId: string; institutionId: string; pricePerPersonFen: number },
  ceilingFen: (lot: number) => number,
): Refusal | null {
  const n = c.state.negotiation;
  if (!n?.roundOpen) return outOfTurn('No round of quotations is open (R9.3).', '当前没有进行中的报价轮次（R9.3）。');
  const bid = c.bids[request.bidId];
  if (!bid || bid.institutionId !== request.institutionId) return forbidden('Not a bid of your institution.', '不是本机构的响应文件。');
  if (!(c.validBids[bid.lotNumber] ?? []).includes(request.bidId))
    return outOfTurn('Only a valid response takes part in the negotiation.', '仅有效响应供应商可参加谈判报价。');
  if (
    !Number.isInteger(request.pricePerPersonFen) ||
    request.pricePerPersonFen <= 0 ||
    request.pricePerPersonFen > ceilingFen(bid.lotNumber)
  ) {
    return invalid('The quotation is above the ceiling or not a price (R9.3).', '报价超过最高限价或不是有效金额（R9.3）。', [
      { field: 'pricePerPersonFen', problem: `1 to ${ceilingFen(bid.lotNumber)} fen`, problemZh: `1 至 ${ceilingFen(bid.lotNumber)} 分` },
    ]);
  }
  return null;
}
