/**
 * Evaluation of a competitive selection (评审): the committee (R9.3–R9.5), conflicts and the random draw
 * (Regs 9, 39), price and technical scores in integer centipoints (hundredths of a point, R9.5, R9.10),
 * ranking and the negotiation's lowest quotation (R9.3), and whether a lot fails (废标, R9.2, R9.4).
 * Pure: randomness comes in as a function, the calendar and "now" as arguments; figures from ProcurementParameters.
 */
import type { Problem } from '../contracts/common';
import type { Criterion, ProcurementMethod } from '../contracts/procurement';
import { periodEnd, startOfShanghaiDay, type WorkCalendar } from './calendar';
import type { ProcurementParameters } from './policy';

// ---------------------------------------------------------------------------------------------------------------
// Committee (评标委员会 / 谈判小组 / 磋商小组)

/** ceil(n × numerator / denominator) in integers. */
function ceilShare(n: number, share: { numerator: number; denominator: number }): number {
  return Math.floor((n * share.numerator + share.denominator - 1) / share.denominator);
}

const odd = (n: number) => (n % 2 === 1 ? n : n + 1);

/** R9.3–R9.5 the experts a committee of `size` needs: at least the expert share (2/3), rounded up. */
export function minExpertsFor(size: number, params: ProcurementParameters): number {
  return ceilShare(size, params.committee.expertShare);
}

/**
 * R9.3–R9.5 the smallest committee: open tender an odd number ≥ 5, ≥ 7 when the budget reaches largeProjectFen or
 * the project is complex (MoF Order 87 art. 47); negotiation and consultation ≥ 3, negotiation ≥ 5 when the budget
 * reaches the open-tender threshold; experts ≥ 2/3 of the members.
 */
export function committeeRequirement(
  method: ProcurementMethod,
  budgetFen: number,
  complex: boolean,
  params: ProcurementParameters,
): { minMembers: number; minExperts: number; rule: string } {
  const c = params.committee;
  let min: number;
  let rule: string;
  if (method === 'OPEN_TENDER') {
    min = budgetFen >= c.largeProjectFen || complex ? c.largeProjectMinMembers : c.openTenderMinMembers;
    rule = 'R9.5';
  } else if (method === 'COMPETITIVE_NEGOTIATION') {
    min = budgetFen >= c.openTenderThresholdFen ? c.otherAtThresholdMinMembers : c.otherMinMembers;
    rule = 'R9.3';
  } else {
    min = c.otherMinMembers;
    rule = 'R9.4';
  }
  const minMembers = odd(min);
  return { minMembers, minExperts: minExpertsFor(minMembers, params), rule };
}

/** What is wrong with a committee of `size` members of whom `experts` are experts (R9.3–R9.5). */
export function committeeProblems(
  size: number,
  experts: number,
  method: ProcurementMethod,
  budgetFen: number,
  complex: boolean,
  params: ProcurementParameters,
): Problem[] {
  const problems: Problem[] = [];
  if (!Number.isInteger(size) || size < 1 || !Number.isInteger(experts) || experts < 0 || experts > size) {
    return [
      {
        field: 'committee',
        problem: 'members and experts must be whole numbers, experts no more than members',
        problemZh: '成员人数和专家人数须为整数，专家人数不得多于成员人数',
      },
    ];
  }
  const req = committeeRequirement(method, budgetFen, complex, params);
  if (size % 2 === 0) {
    problems.push({
      field: 'committee.size',
      problem: `${req.rule}: the committee has an odd number of members`,
      problemZh: `${req.rule}：评审小组成员须为单数`,
    });
  }
  if (size < req.minMembers) {
    problems.push({
      field: 'committee.size',
      problem: `${req.rule}: at least ${req.minMembers} members`,
      problemZh: `${req.rule}：成员不得少于${req.minMembers}人`,
    });
  }
  const needed = minExpertsFor(size, params);
  if (experts < needed) {
    problems.push({
      field: 'committee.experts',
      problem: `${req.rule}: at least ${needed} of ${size} members are experts (two thirds)`,
      problemZh: `${req.rule}：${size}名成员中专家不得少于${needed}名（三分之二）`,
    });
  }
  return problems;
}

// ---------------------------------------------------------------------------------------------------------------
// Conflicts and the draw (Regs 9, 39)

/** An expert of the evaluator pool. */
export interface PoolExpert {
  evaluatorId: string;
}

/** A relationship an expert declared with an institution (employment, directorship, shareholding, kinship …). */
export interface RelationshipDeclaration {
  evaluatorId: string;
  institutionId: string;
  /** what the relationship is, in the expert's words */
  kind: string;
  /** the day it ended (ISO date, Shanghai); null while it lasts */
  endedOn: string | null;
}

export type ConflictCode = 'RELATIONSHIP_WITH_BIDDER' | 'PURCHASER_STAFF';

export interface Conflict {
  code: ConflictCode;
  institutionId?: string;
  message: string;
  messageZh: string;
}

/**
 * R9.5 (Regs 9) why an expert may not sit on this committee: a relationship with a bidder that lasts, or ended
 * within relationshipLookback (3 years) before `at`; or being on the purchaser's own staff. Empty: no conflict.
 */
export function expertConflicts(
  expert: PoolExpert,
  bidderInstitutionIds: readonly string[],
  declarations: readonly RelationshipDeclaration[],
  purchaserStaff: readonly string[],
  at: Date,
  params: ProcurementParameters,
  cal: WorkCalendar,
): Conflict[] {
  const conflicts: Conflict[] = [];
  const bidders = new Set(bidderInstitutionIds);
  const seen = new Set<string>();
  for (const d of declarations) {
    if (d.evaluatorId !== expert.evaluatorId || !bidders.has(d.institutionId) || seen.has(d.institutionId)) continue;
    // The look-back runs from the day after the relationship ended; a lookback is not a deadline, so no roll-over.
    const recent =
      d.endedOn === null ||
      at.getTime() <
        periodEnd(startOfShanghaiDay(d.endedOn), params.committee.relationshipLookback, cal, { rollOverNonWorkingDay: false }).getTime();
    if (!recent) continue;
    seen.add(d.institutionId);
    conflicts.push({
      code: 'RELATIONSHIP_WITH_BIDDER',
      institutionId: d.institutionId,
      message: `R9.5: declared a relationship (${d.kind}) with bidder ${d.institutionId}${d.endedOn ? ` that ended on ${d.endedOn}` : ''}`,
      messageZh: `R9.5：申报与投标人 ${d.institutionId} 存在关系（${d.kind}）${d.endedOn ? `，于 ${d.endedOn} 结束` : ''}，须回避`,
    });
  }
  if (purchaserStaff.includes(expert.evaluatorId)) {
    conflicts.push({
      code: 'PURCHASER_STAFF',
      message: "R9.5: the purchaser's own staff may not evaluate",
      messageZh: 'R9.5：采购人本单位人员不得作为评审专家参加评审',
    });
  }
  return conflicts;
}

function checkRandom(r: number): number {
  if (!(r >= 0 && r < 1)) throw new Error(`random source must return a number in [0, 1), got ${r}`);
  return r;
}

/**
 * R9.5 (Regs 39) a uniform draw of `size` distinct members from the eligible experts, without replacement
 * (a partial Fisher–Yates shuffle): the activity passes a cryptographic random source, tests a fixed one.
 */
export function drawCommittee(eligible: readonly string[], size: number, random: () => number): string[] {
  if (new Set(eligible).size !== eligible.length) throw new Error('drawCommittee: eligible experts are listed twice');
  if (!Number.isInteger(size) || size < 0) throw new Error(`drawCommittee: size must be a whole number, got ${size}`);
  if (size > eligible.length) throw new Error(`drawCommittee: ${size} members wanted, ${eligible.length} eligible`);
  const pool = [...eligible];
  for (let i = 0; i < size; i++) {
    const j = i + Math.floor(checkRandom(random()) * (pool.length - i));
    [pool[i], pool[j]] = [pool[j], pool[i]];
  }
  return pool.slice(0, size);
}

/**
 * R9.5 an absent or recused member is replaced by a new draw from the eligible experts not already drawn for
 * this committee (`excluded`: everyone who has left it before). The new member takes the leaver's place.
 */
export function replacementDraw(
  eligible: readonly string[],
  committee: readonly string[],
  leaving: string,
  excluded: readonly string[],
  random: () => number,
): { committee: string[]; drawn: string } {
  const at = committee.indexOf(leaving);
  if (at < 0) throw new Error(`replacementDraw: ${leaving} is not on the committee`);
  const out = new Set([...committee, ...excluded]);
  const candidates = eligible.filter((e) => !out.has(e));
  if (candidates.length === 0) throw new Error('replacementDraw: no eligible expert is left to draw');
  const [drawn] = drawCommittee(candidates, 1, random);
  const next = [...committee];
  next[at] = drawn;
  return { committee: next, drawn };
}

// ---------------------------------------------------------------------------------------------------------------
// Scores, in centipoints (hundredths of a point): integers, rounded half up.

/** a / b rounded half up, for non-negative a and positive b. */
function divHalfUp(a: bigint, b: bigint): bigint {
  return (2n * a + b) / (2n * b);
}

function assertPercent(value: number, name: string, max: number): void {
  if (!Number.isInteger(value) || value < 0 || value > max) throw new Error(`${name} must be a whole percent 0–${max}, got ${value}`);
}

export interface PriceBid {
  bidId: string;
  priceFen: number;
  sme: boolean;
}

export interface PriceScore extends PriceBid {
  /** the price evaluated: the bid price less the SME deduction, rounded half up to the fen (evaluation only) */
  evaluationPriceFen: number;
  scoreCentipoints: number;
}

/**
 * R9.5, R9.10 the price score by the lowest-price base: evaluation price = bid price × (100 − deduction) / 100 for
 * an SME, to the fen, half up; score = lowest evaluation price ÷ this evaluation price × weightPercent points, in
 * centipoints, half up. Exact (BigInt). The contract price stays the bid price.
 */
export function priceScores(bids: readonly PriceBid[], weightPercent: number, smeDeductionPercent: number): PriceScore[] {
  assertPercent(weightPercent, 'priceScores: weightPercent', 100);
  assertPercent(smeDeductionPercent, 'priceScores: smeDeductionPercent', 99);
  if (new Set(bids.map((b) => b.bidId)).size !== bids.length) throw new Error('priceScores: a bid is listed twice');
  const evaluated = bids.map((b) => {
    if (!Number.isSafeInteger(b.priceFen) || b.priceFen <= 0) throw new Error(`priceScores: bid ${b.bidId} price must be positive fen`);
    const evaluationPrice = b.sme ? divHalfUp(BigInt(b.priceFen) * BigInt(100 - smeDeductionPercent), 100n) : BigInt(b.priceFen);
    return { ...b, evaluationPrice };
  });
  if (evaluated.length === 0) return [];
  const lowest = evaluated.reduce((m, b) => (b.evaluationPrice < m ? b.evaluationPrice : m), evaluated[0].evaluationPrice);
  return evaluated.map(({ evaluationPrice, ...b }) => ({
    ...b,
    evaluationPriceFen: Number(evaluationPrice),
    scoreCentipoints: Number(divHalfUp(lowest * BigInt(weightPercent) * 100n, evaluationPrice)),
  }));
}

/** Points as typed (at most two decimals) → centipoints; null when not such a number. */
export function pointsToCentipoints(points: unknown): number | null {
  if (typeof points !== 'number' || !Number.isFinite(points)) return null;
  const c = Math.round(points * 100);
  return Math.abs(points * 100 - c) < 1e-6 ? c : null;
}

/** One committee member's scores for one bid: criterion key → centipoints. */
export interface MemberScores {
  memberId: string;
  scores: Record<string, number>;
}

export type TechnicalScoreResult =
  { ok: true; centipoints: number; perMember: { memberId: string; centipoints: number }[] } | { ok: false; problems: Problem[] };

/**
 * R9.5 a bid's technical score: each member gives 0..weight points for every criterion; the member's total is the
 * sum, the bid's score the members' average, in centipoints, half up.
 */
export function technicalScore(memberScores: readonly MemberScores[], criteria: readonly Criterion[]): TechnicalScoreResult {
  const problems: Problem[] = [];
  if (memberScores.length === 0) {
    problems.push({ field: 'scores', problem: 'no member has scored', problemZh: '尚无评审成员打分' });
  }
  const members = new Set<string>();
  const perMember: { memberId: string; centipoints: number }[] = [];
  for (const m of memberScores) {
    if (members.has(m.memberId)) {
      problems.push({ field: `scores.${m.memberId}`, problem: 'a member scores once', problemZh: '每名成员只能打分一次' });
    }
    members.add(m.memberId);
    let total = 0;
    for (const c of criteria) {
      const v = m.scores[c.key];
      const max = c.weightPercent * 100;
      if (v === undefined) {
        problems.push({ field: `scores.${m.memberId}.${c.key}`, problem: `no score for ${c.name}`, problemZh: `缺少“${c.name}”的评分` });
      } else if (!Number.isInteger(v) || v < 0 || v > max) {
        problems.push({
          field: `scores.${m.memberId}.${c.key}`,
          problem: `${c.name}: 0 to ${c.weightPercent} points, at most two decimals`,
          problemZh: `“${c.name}”的评分须在 0 至 ${c.weightPercent} 分之间，最多两位小数`,
        });
      } else total += v;
    }
    for (const key of Object.keys(m.scores)) {
      if (!criteria.some((c) => c.key === key)) {
        problems.push({
          field: `scores.${m.memberId}.${key}`,
          problem: 'not a criterion of this process',
          problemZh: '不是本项目的评审因素',
        });
      }
    }
    perMember.push({ memberId: m.memberId, centipoints: total });
  }
  if (problems.length > 0) return { ok: false, problems };
  const sum = perMember.reduce((s, m) => s + BigInt(m.centipoints), 0n);
  return { ok: true, centipoints: Number(divHalfUp(sum, BigInt(perMember.length))), perMember };
}

/** R9.4/R9.5 the price weight within the method's range, and price plus criteria weighing 100 %. */
export function evaluationWeightProblems(
  method: ProcurementMethod,
  priceWeightPercent: number,
  criteria: readonly Criterion[],
  params: ProcurementParameters,
): Problem[] {
  const problems: Problem[] = [];
  const range = params.priceWeightPercent[method];
  const rule = method === 'OPEN_TENDER' ? 'R9.5' : method === 'COMPETITIVE_NEGOTIATION' ? 'R9.3' : 'R9.4';
  if (!Number.isInteger(priceWeightPercent) || priceWeightPercent < range.min || priceWeightPercent > range.max) {
    problems.push({
      field: 'priceWeightPercent',
      problem: `${rule}: the price weight is a whole percent from ${range.min} to ${range.max}`,
      problemZh: `${rule}：价格分值占比须为 ${range.min}% 至 ${range.max}% 之间的整数`,
    });
  }
  const keys = new Set<string>();
  for (const c of criteria) {
    if (keys.has(c.key)) problems.push({ field: `criteria.${c.key}`, problem: 'criterion listed twice', problemZh: '评审因素重复' });
    keys.add(c.key);
    if (!Number.isInteger(c.weightPercent) || c.weightPercent <= 0) {
      problems.push({ field: `criteria.${c.key}`, problem: 'weight is a positive whole percent', problemZh: '权重须为正整数百分比' });
    }
  }
  const total = priceWeightPercent + criteria.reduce((s, c) => s + c.weightPercent, 0);
  if (total !== 100) {
    problems.push({
      field: 'criteria',
      problem: `price and criteria weigh ${total} %, not 100 %`,
      problemZh: `价格与其他评审因素权重合计 ${total}%，应为 100%`,
    });
  }
  return problems;
}

// ---------------------------------------------------------------------------------------------------------------
// Ranking (R9.5) and the negotiation's winner (R9.3)

/** The rule the documents state for scores and prices that are equal. */
export type TieRule = 'EARLIER_SUBMISSION' | 'HIGHER_TECHNICAL';

export interface RankEntry {
  bidId: string;
  totalCentipoints: number;
  /** the bid price (not the evaluation price) */
  priceFen: number;
  technicalCentipoints: number;
  /** ISO instant the bid was (last) submitted */
  submittedAt: string;
}

export interface Ranked extends RankEntry {
  rank: number;
  /** equal on every key: shares its rank with another bid, for the purchaser to settle */
  tied: boolean;
}

/**
 * R9.5 ranks bids: total score, highest first; equal totals go to the lower bid price, then to the documents'
 * rule. Bids equal on every key share a rank (1, 1, 3) and are marked tied.
 */
export function rankBids(entries: readonly RankEntry[], tieRule: TieRule): Ranked[] {
  const time = (e: RankEntry) => {
    const t = new Date(e.submittedAt).getTime();
    if (Number.isNaN(t)) throw new Error(`rankBids: bid ${e.bidId} submittedAt is not an instant`);
    return t;
  };
  const compare = (a: RankEntry, b: RankEntry) =>
    b.totalCentipoints - a.totalCentipoints ||
    a.priceFen - b.priceFen ||
    (tieRule === 'EARLIER_SUBMISSION' ? time(a) - time(b) : b.technicalCentipoints - a.technicalCentipoints);
  const sorted = [...entries].sort((a, b) => compare(a, b) || (a.bidId < b.bidId ? -1 : a.bidId > b.bidId ? 1 : 0));
  return sorted.map((e, i) => {
    let first = i;
    while (first > 0 && compare(sorted[first - 1], e) === 0) first--;
    const tied = (i > 0 && compare(sorted[i - 1], e) === 0) || (i + 1 < sorted.length && compare(sorted[i + 1], e) === 0);
    return { ...e, rank: first + 1, tied };
  });
}

export interface FinalQuote {
  bidId: string;
  priceFen: number;
  /** meets every substantive requirement of the documents */
  compliant: boolean;
  /** ISO instant of the final quotation */
  quotedAt: string;
}

/**
 * R9.3 negotiation: the lowest final quotation that meets the requirements wins; equal prices go to the earlier
 * quotation. `ranking` lists the compliant quotations in that order; winner null when none is compliant.
 */
export function lowestQuotationWinner(finalQuotes: readonly FinalQuote[]): { winner: string | null; ranking: string[] } {
  const ranking = finalQuotes
    .filter((q) => q.compliant)
    .sort((a, b) => a.priceFen - b.priceFen || new Date(a.quotedAt).getTime() - new Date(b.quotedAt).getTime())
    .map((q) => q.bidId);
  return { winner: ranking[0] ?? null, ranking };
}

// ---------------------------------------------------------------------------------------------------------------
// Failure of a lot (废标, R9.2, R9.4)

export type LotOption = 'RERUN' | 'SWITCH_METHOD' | 'NEGOTIATE_WITH_TWO';

/** R9.2 (Law 37, Regs 23, MoF Order 74 art. 27) the options a finance department at city level or above approves. */
export const OPTIONS_NEEDING_APPROVAL: readonly LotOption[] = ['SWITCH_METHOD', 'NEGOTIATE_WITH_TWO'];

export type LotFailureCode = 'TOO_FEW_RESPONSIVE' | 'ALL_OVER_BUDGET';

export interface LotOutcome {
  proceed: boolean;
  reasons: { code: LotFailureCode; message: string; messageZh: string }[];
  /** bids both valid and within budget */
  responsive: number;
  /** what the officer may do with a failed lot; empty when it proceeds */
  options: LotOption[];
  /** of those options, the ones that need the finance department's approval */
  needsApproval: LotOption[];
}

/**
 * R9.2 a lot fails with fewer than minValidBids valid bids within budget, or when every bid is over budget;
 * R9.4 a consultation for purchased services continues with consultationServicesMinSuppliers (2), not with 1.
 * A failed lot may be run again, or switched to another method; an open tender with exactly 2 responsive
 * bidders may instead negotiate with both (MoF Order 74 art. 27) — the last two with the finance department's
 * approval. That negotiation (`invitedSuppliers`: the bidders it invites) goes on when every invited supplier
 * responds, fewer than minValidBids as they are.
 */
export function lotOutcome(
  method: ProcurementMethod,
  lot: { servicesPurchase: boolean; bids: readonly { valid: boolean; overBudget: boolean }[]; invitedSuppliers?: number },
  params: ProcurementParameters,
): LotOutcome {
  const responsive = lot.bids.filter((b) => b.valid && !b.overBudget).length;
  let min = method === 'COMPETITIVE_CONSULTATION' && lot.servicesPurchase ? params.consultationServicesMinSuppliers : params.minValidBids;
  if (method === 'COMPETITIVE_NEGOTIATION' && lot.invitedSuppliers && lot.invitedSuppliers > 0) min = Math.min(min, lot.invitedSuppliers);
  const reasons: LotOutcome['reasons'] = [];
  if (lot.bids.length > 0 && lot.bids.every((b) => b.overBudget)) {
    reasons.push({
      code: 'ALL_OVER_BUDGET',
      message: 'R9.2: every bid is over the budget',
      messageZh: 'R9.2：投标人的报价均超过了采购预算',
    });
  }
  if (responsive < min) {
    reasons.push({
      code: 'TOO_FEW_RESPONSIVE',
      message: `R9.2: ${responsive} qualified, responsive bid(s); at least ${min} are needed`,
      messageZh: `R9.2：符合资格条件并实质性响应的供应商为${responsive}家，不足${min}家`,
    });
  }
  if (reasons.length === 0) return { proceed: true, reasons, responsive, options: [], needsApproval: [] };
  const options: LotOption[] = ['RERUN', 'SWITCH_METHOD'];
  if (method === 'OPEN_TENDER' && responsive === 2) options.push('NEGOTIATE_WITH_TWO');
  return { proceed: false, reasons, responsive, options, needsApproval: options.filter((o) => OPTIONS_NEEDING_APPROVAL.includes(o)) };
}
