// R9.2–R9.5, R9.10: committee, conflicts and draw, exact scores, ranking, and the failure of a lot.
import type { Criterion, ProcurementMethod } from '../../workflows/contracts/procurement';
import { officialCalendar } from '../../workflows/domain/calendar';
import { DEFAULT_POLICY, type ProcurementParameters } from '../../workflows/domain/policy';
import {
  committeeProblems,
  committeeRequirement,
  drawCommittee,
  evaluationWeightProblems,
  expertConflicts,
  lotOutcome,
  lowestQuotationWinner,
  pointsToCentipoints,
  priceScores,
  rankBids,
  replacementDraw,
  technicalScore,
  type RankEntry,
  type RelationshipDeclaration,
} from '../../workflows/domain/procurement-evaluation';

const params = DEFAULT_POLICY.procurement;
const cal = officialCalendar;
const sh = (local: string) => new Date(`${local}+08:00`);

/** A small seeded generator (mulberry32): a reproducible stand-in for the activity's crypto source. */
function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe(committeeRequirement.name, () => {
  it.each<[string, ProcurementMethod, number, boolean, number, number]>([
    ['R9.5 open tender under 10 million yuan: 5, 4 experts', 'OPEN_TENDER', 999_999_999, false, 5, 4],
    ['R9.5 open tender at 10 million yuan: 7, 5 experts', 'OPEN_TENDER', 1_000_000_000, false, 7, 5],
    ['R9.5 a complex open tender: 7', 'OPEN_TENDER', 10_000_000, true, 7, 5],
    ['R9.3 negotiation under the threshold: 3, 2 experts', 'COMPETITIVE_NEGOTIATION', 399_999_999, false, 3, 2],
    ['R9.3 negotiation at the open-tender threshold: 5', 'COMPETITIVE_NEGOTIATION', 400_000_000, false, 5, 4],
    ['R9.4 consultation: 3 whatever the budget', 'COMPETITIVE_CONSULTATION', 2_000_000_000, true, 3, 2],
  ])('%s', (_name, method, budget, complex, minMembers, minExperts) => {
    expect(committeeRequirement(method, budget, complex, params)).toMatchObject({ minMembers, minExperts });
  });

  it('R9.3–R9.5 an even minimum in the parameters becomes the next odd number', () => {
    const even: ProcurementParameters = { ...params, committee: { ...params.committee, otherMinMembers: 4 } };
    expect(committeeRequirement('COMPETITIVE_CONSULTATION', 0, false, even)).toMatchObject({ minMembers: 5, minExperts: 4 });
  });
});

describe(committeeProblems.name, () => {
  const fields = (size: number, experts: number, method: ProcurementMethod = 'OPEN_TENDER', budget = 100_000_000) =>
    committeeProblems(size, experts, method, budget, false, params).map((p) => p.field);

  it('R9.5 5 members with 4 experts is a valid open-tender committee', () => {
    expect(fields(5, 4)).toEqual([]);
  });
  it('R9.5 an even committee is refused', () => {
    expect(fields(6, 6)).toEqual(['committee.size']);
  });
  it('R9.5 3 members are too few for an open tender, enough for a consultation', () => {
    expect(fields(3, 3)).toEqual(['committee.size']);
    expect(fields(3, 2, 'COMPETITIVE_CONSULTATION')).toEqual([]);
  });
  it('R9.5 experts below two thirds of the actual size are refused (7 members need 5)', () => {
    expect(fields(5, 3)).toEqual(['committee.experts']);
    expect(fields(7, 4)).toEqual(['committee.experts']);
    expect(fields(7, 5)).toEqual([]);
  });
  it('refuses nonsense counts with one problem in both languages', () => {
    const problems = committeeProblems(5, 6, 'OPEN_TENDER', 0, false, params);
    expect(problems).toHaveLength(1);
    expect(problems[0].problemZh).toMatch(/专家人数/);
  });
});

describe(expertConflicts.name, () => {
  const at = sh('2026-10-15T10:00');
  const decl = (institutionId: string, endedOn: string | null, evaluatorId = 'e1'): RelationshipDeclaration => ({
    evaluatorId,
    institutionId,
    kind: 'employment',
    endedOn,
  });
  const conflicts = (declarations: RelationshipDeclaration[], staff: string[] = []) =>
    expertConflicts({ evaluatorId: 'e1' }, ['inst-a', 'inst-b'], declarations, staff, at, params, cal);

  it('R9.5 (Regs 9) a relationship with a bidder that ended exactly 3 years ago still excludes', () => {
    expect(conflicts([decl('inst-a', '2023-10-15')]).map((c) => [c.code, c.institutionId])).toEqual([
      ['RELATIONSHIP_WITH_BIDDER', 'inst-a'],
    ]);
  });
  it('R9.5 (Regs 9) one that ended 3 years and a day ago does not', () => {
    expect(conflicts([decl('inst-a', '2023-10-14')])).toEqual([]);
  });
  it('R9.5 a lasting relationship excludes; one with an institution that does not bid does not', () => {
    expect(conflicts([decl('inst-b', null), decl('inst-z', null)]).map((c) => c.institutionId)).toEqual(['inst-b']);
  });
  it("R9.5 another expert's declaration is not this expert's conflict", () => {
    expect(conflicts([decl('inst-a', null, 'e2')])).toEqual([]);
  });
  it("R9.5 the purchaser's own staff are excluded, with messages in both languages", () => {
    const [c] = conflicts([], ['e1']);
    expect(c.code).toBe('PURCHASER_STAFF');
    expect(c.messageZh).toMatch(/采购人本单位/);
  });
});

describe(drawCommittee.name, () => {
  const pool = ['a', 'b', 'c', 'd', 'e'];

  it('R9.5 draws distinct members from the eligible pool', () => {
    const drawn = drawCommittee(pool, 3, seeded(7));
    expect(drawn).toHaveLength(3);
    expect(new Set(drawn).size).toBe(3);
    drawn.forEach((m) => expect(pool).toContain(m));
  });

  it('follows the random source exactly (partial Fisher–Yates)', () => {
    expect(drawCommittee(['a', 'b', 'c', 'd'], 2, () => 0)).toEqual(['a', 'b']);
    expect(drawCommittee(['a', 'b', 'c', 'd'], 2, () => 0.999)).toEqual(['d', 'a']);
  });

  it('R9.5 (Regs 39) the draw is uniform: every pair of 2 from 4 about equally often', () => {
    const random = seeded(2026);
    const counts = new Map<string, number>();
    const runs = 60_000;
    for (let i = 0; i < runs; i++) {
      const key = drawCommittee(['a', 'b', 'c', 'd'], 2, random).sort().join('');
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
    expect([...counts.keys()].sort()).toEqual(['ab', 'ac', 'ad', 'bc', 'bd', 'cd']);
    for (const n of counts.values()) expect(Math.abs(n - runs / 6)).toBeLessThan(400); // ~4.4 standard deviations
  });

  it('refuses a pool too small, duplicates, and a source outside [0, 1)', () => {
    expect(() => drawCommittee(['a', 'b'], 3, () => 0)).toThrow(/3 members wanted, 2 eligible/);
    expect(() => drawCommittee(['a', 'a'], 1, () => 0)).toThrow(/twice/);
    expect(() => drawCommittee(['a', 'b'], 1, () => 1)).toThrow(/\[0, 1\)/);
  });
});

describe(replacementDraw.name, () => {
  const eligible = ['a', 'b', 'c', 'd', 'e'];

  it('R9.5 an absent member is replaced in place by someone not yet drawn', () => {
    expect(replacementDraw(eligible, ['a', 'b', 'c'], 'b', [], () => 0)).toEqual({ committee: ['a', 'd', 'c'], drawn: 'd' });
  });
  it('R9.5 a member who left earlier is not drawn again', () => {
    expect(replacementDraw(eligible, ['a', 'd', 'c'], 'd', ['b'], () => 0)).toEqual({ committee: ['a', 'e', 'c'], drawn: 'e' });
  });
  it('refuses when nobody is left or the leaver is not a member', () => {
    expect(() => replacementDraw(eligible, ['a', 'e', 'c'], 'e', ['b', 'd'], () => 0)).toThrow(/no eligible expert/);
    expect(() => replacementDraw(eligible, ['a', 'b', 'c'], 'x', [], () => 0)).toThrow(/not on the committee/);
  });
});

describe(priceScores.name, () => {
  it('R9.5/R9.10 lowest-price base with a 10 % SME deduction, to the fen and the hundredth point', () => {
    const scores = priceScores(
      [
        { bidId: 'A', priceFen: 100_000, sme: false },
        { bidId: 'B', priceFen: 95_000, sme: true }, // evaluated at 85 500: the base
        { bidId: 'C', priceFen: 90_000, sme: false },
        { bidId: 'D', priceFen: 123_457, sme: true }, // 111 111.3 → 111 111 fen
      ],
      30,
      10,
    );
    expect(scores.map((s) => [s.bidId, s.priceFen, s.evaluationPriceFen, s.scoreCentipoints])).toEqual([
      ['A', 100_000, 100_000, 2565], // 85 500 / 100 000 × 30 = 25.65
      ['B', 95_000, 85_500, 3000],
      ['C', 90_000, 90_000, 2850], // 85 500 / 90 000 × 30 = 28.50
      ['D', 123_457, 111_111, 2309], // 85 500 / 111 111 × 30 = 23.085 02… → 23.09
    ]);
  });

  it('R9.10 the evaluation price rounds half up to the fen; the bid price is untouched', () => {
    const [s] = priceScores([{ bidId: 'A', priceFen: 12_345, sme: true }], 30, 10); // 11 110.5
    expect(s).toMatchObject({ priceFen: 12_345, evaluationPriceFen: 11_111, scoreCentipoints: 3000 });
  });

  it('R9.5 an exact half centipoint rounds up (62.5 → 63, not 62)', () => {
    const scores = priceScores(
      [
        { bidId: 'low', priceFen: 1_000, sme: false },
        { bidId: 'high', priceFen: 16_000, sme: false }, // 1 000 / 16 000 × 10 = 0.625 points
      ],
      10,
      10,
    );
    expect(scores.map((s) => s.scoreCentipoints)).toEqual([1000, 63]);
  });

  it('R9.10 a 20 % deduction can make an SME the base', () => {
    const scores = priceScores(
      [
        { bidId: 'big', priceFen: 80_000, sme: false },
        { bidId: 'small', priceFen: 99_000, sme: true }, // 79 200
      ],
      20,
      20,
    );
    expect(scores.map((s) => [s.bidId, s.evaluationPriceFen, s.scoreCentipoints])).toEqual([
      ['big', 80_000, 1980], // 79 200 / 80 000 × 20 = 19.80
      ['small', 79_200, 2000],
    ]);
  });

  it('stays exact with prices up to Number.MAX_SAFE_INTEGER fen', () => {
    const [, s] = priceScores(
      [
        { bidId: 'a', priceFen: 9_007_199_254_740_000, sme: false },
        { bidId: 'b', priceFen: 9_007_199_254_740_991, sme: false },
      ],
      100,
      10,
    );
    expect(s.scoreCentipoints).toBe(10_000);
  });

  it('refuses bad input', () => {
    expect(() => priceScores([{ bidId: 'a', priceFen: 0, sme: false }], 30, 10)).toThrow(/positive/);
    expect(() => priceScores([{ bidId: 'a', priceFen: 1.5, sme: false }], 30, 10)).toThrow(/positive/);
    expect(() => priceScores([], 30.5, 10)).toThrow(/weightPercent/);
    expect(() => priceScores([], 30, 100)).toThrow(/smeDeductionPercent/);
    expect(() =>
      priceScores(
        [
          { bidId: 'a', priceFen: 1, sme: false },
          { bidId: 'a', priceFen: 2, sme: false },
        ],
        30,
        10,
      ),
    ).toThrow(/twice/);
    expect(priceScores([], 30, 10)).toEqual([]);
  });
});

describe(technicalScore.name, () => {
  const criteria: Criterion[] = [
    { key: 'plan', name: 'Training plan', weightPercent: 40 },
    { key: 'teachers', name: 'Teachers', weightPercent: 30 },
  ];

  it('R9.5 the members’ average total, in centipoints, half up', () => {
    const result = technicalScore(
      [
        { memberId: 'm1', scores: { plan: 3550, teachers: 2800 } },
        { memberId: 'm2', scores: { plan: 3600, teachers: 2725 } },
        { memberId: 'm3', scores: { plan: 3000, teachers: 2900 } },
      ],
      criteria,
    );
    // (6350 + 6325 + 5900) / 3 = 6191.67 → 6192
    expect(result).toEqual({
      ok: true,
      centipoints: 6192,
      perMember: [
        { memberId: 'm1', centipoints: 6350 },
        { memberId: 'm2', centipoints: 6325 },
        { memberId: 'm3', centipoints: 5900 },
      ],
    });
  });

  it('R9.5 a half centipoint rounds up', () => {
    const result = technicalScore(
      [
        { memberId: 'm1', scores: { plan: 3550, teachers: 2800 } },
        { memberId: 'm2', scores: { plan: 3600, teachers: 2725 } },
      ],
      criteria,
    );
    expect(result).toMatchObject({ ok: true, centipoints: 6338 }); // 12 675 / 2 = 6337.5
  });

  it('R9.5 refuses a missing criterion, a score over the weight, an unknown key and a member twice', () => {
    const result = technicalScore(
      [
        { memberId: 'm1', scores: { plan: 4001 } },
        { memberId: 'm1', scores: { plan: 100, teachers: 100, extra: 5 } },
      ],
      criteria,
    );
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.problems.map((p) => p.field)).toEqual(['scores.m1.plan', 'scores.m1.teachers', 'scores.m1', 'scores.m1.extra']);
    }
    expect(technicalScore([], criteria)).toMatchObject({ ok: false });
  });

  it.each([
    [35.5, 3550],
    [0.1, 10],
    [28.25, 2825],
    [0, 0],
    [28.255, null],
    ['28', null],
    [NaN, null],
  ])('pointsToCentipoints(%p) → %p', (points, expected) => {
    expect(pointsToCentipoints(points)).toBe(expected);
  });
});

describe(evaluationWeightProblems.name, () => {
  const criteria: Criterion[] = [
    { key: 'plan', name: 'Training plan', weightPercent: 50 },
    { key: 'teachers', name: 'Teachers', weightPercent: 20 },
  ];
  it('R9.4 a consultation price weight of 30 % with criteria of 70 % is valid', () => {
    expect(evaluationWeightProblems('COMPETITIVE_CONSULTATION', 30, criteria, params)).toEqual([]);
  });
  it('R9.4 a consultation price weight of 40 % is over the services range, and the total is off', () => {
    expect(evaluationWeightProblems('COMPETITIVE_CONSULTATION', 40, criteria, params).map((p) => p.field)).toEqual([
      'priceWeightPercent',
      'criteria',
    ]);
  });
  it('R9.5 an open tender price weight under 10 % is refused', () => {
    const heavy = [{ key: 'plan', name: 'Plan', weightPercent: 95 }];
    expect(evaluationWeightProblems('OPEN_TENDER', 5, heavy, params).map((p) => p.field)).toEqual(['priceWeightPercent']);
  });
});

describe(rankBids.name, () => {
  const entry = (bidId: string, total: number, price: number, technical: number, submittedAt: string): RankEntry => ({
    bidId,
    totalCentipoints: total,
    priceFen: price,
    technicalCentipoints: technical,
    submittedAt: `${submittedAt}+08:00`,
  });

  it('R9.5 ranks by total, then the lower bid price', () => {
    const ranked = rankBids(
      [
        entry('A', 8000, 100_000, 5000, '2026-09-20T10:00'),
        entry('B', 8500, 110_000, 6000, '2026-09-20T11:00'),
        entry('C', 8000, 95_000, 5000, '2026-09-20T12:00'),
      ],
      'EARLIER_SUBMISSION',
    );
    expect(ranked.map((r) => [r.bidId, r.rank, r.tied])).toEqual([
      ['B', 1, false],
      ['C', 2, false],
      ['A', 3, false],
    ]);
  });

  it('R9.5 equal totals and prices go to the documents’ rule', () => {
    const bids = [entry('A', 8000, 100_000, 5000, '2026-09-20T10:00'), entry('B', 8000, 100_000, 5200, '2026-09-20T11:00')];
    expect(rankBids(bids, 'EARLIER_SUBMISSION').map((r) => r.bidId)).toEqual(['A', 'B']);
    expect(rankBids(bids, 'HIGHER_TECHNICAL').map((r) => r.bidId)).toEqual(['B', 'A']);
  });

  it('bids equal on every key share a rank and are marked tied', () => {
    const ranked = rankBids(
      [
        entry('B', 8000, 100_000, 5000, '2026-09-20T10:00'),
        entry('A', 8000, 100_000, 5000, '2026-09-20T11:00'),
        entry('C', 7000, 100_000, 5000, '2026-09-20T09:00'),
      ],
      'HIGHER_TECHNICAL',
    );
    expect(ranked.map((r) => [r.bidId, r.rank, r.tied])).toEqual([
      ['A', 1, true],
      ['B', 1, true],
      ['C', 3, false],
    ]);
  });
});

describe(lowestQuotationWinner.name, () => {
  it('R9.3 the lowest compliant final quotation wins; ties go to the earlier quotation', () => {
    expect(
      lowestQuotationWinner([
        { bidId: 'cheap-but-noncompliant', priceFen: 70_000, compliant: false, quotedAt: '2026-10-12T09:00:00+08:00' },
        { bidId: 'late', priceFen: 80_000, compliant: true, quotedAt: '2026-10-12T10:00:00+08:00' },
        { bidId: 'early', priceFen: 80_000, compliant: true, quotedAt: '2026-10-12T09:30:00+08:00' },
        { bidId: 'dear', priceFen: 90_000, compliant: true, quotedAt: '2026-10-12T09:00:00+08:00' },
      ]),
    ).toEqual({ winner: 'early', ranking: ['early', 'late', 'dear'] });
  });
  it('R9.3 no compliant quotation, no winner', () => {
    expect(lowestQuotationWinner([{ bidId: 'x', priceFen: 1, compliant: false, quotedAt: '2026-10-12T09:00:00+08:00' }]).winner).toBeNull();
  });
});

describe(lotOutcome.name, () => {
  const bids = (valid: number, invalid = 0, overBudget = 0) => [
    ...Array.from({ length: valid }, () => ({ valid: true, overBudget: false })),
    ...Array.from({ length: invalid }, () => ({ valid: false, overBudget: false })),
    ...Array.from({ length: overBudget }, () => ({ valid: true, overBudget: true })),
  ];

  it('R9.2 three responsive bids proceed', () => {
    expect(lotOutcome('OPEN_TENDER', { servicesPurchase: true, bids: bids(3, 2) }, params)).toEqual({
      proceed: true,
      reasons: [],
      responsive: 3,
      options: [],
      needsApproval: [],
    });
  });

  it('R9.2 two responsive bids fail an open tender; negotiating with both needs approval', () => {
    const outcome = lotOutcome('OPEN_TENDER', { servicesPurchase: true, bids: bids(2, 1) }, params);
    expect(outcome).toMatchObject({ proceed: false, responsive: 2, options: ['RERUN', 'SWITCH_METHOD', 'NEGOTIATE_WITH_TWO'] });
    expect(outcome.needsApproval).toEqual(['SWITCH_METHOD', 'NEGOTIATE_WITH_TWO']);
    expect(outcome.reasons.map((r) => r.code)).toEqual(['TOO_FEW_RESPONSIVE']);
    expect(outcome.reasons[0].messageZh).toMatch(/不足3家/);
  });

  it('R9.2 one responsive bid: no negotiation with two', () => {
    expect(lotOutcome('OPEN_TENDER', { servicesPurchase: true, bids: bids(1) }, params).options).toEqual(['RERUN', 'SWITCH_METHOD']);
  });

  it('R9.2 every bid over budget fails the lot', () => {
    const outcome = lotOutcome('OPEN_TENDER', { servicesPurchase: true, bids: bids(0, 0, 4) }, params);
    expect(outcome.reasons.map((r) => r.code)).toEqual(['ALL_OVER_BUDGET', 'TOO_FEW_RESPONSIVE']);
    expect(outcome.responsive).toBe(0);
  });

  it('R9.2 a bid over budget does not count as responsive', () => {
    expect(lotOutcome('OPEN_TENDER', { servicesPurchase: true, bids: bids(2, 0, 1) }, params)).toMatchObject({
      proceed: false,
      responsive: 2,
    });
  });

  it('R9.4 a consultation for purchased services continues with 2, terminates with 1', () => {
    expect(lotOutcome('COMPETITIVE_CONSULTATION', { servicesPurchase: true, bids: bids(2) }, params).proceed).toBe(true);
    const one = lotOutcome('COMPETITIVE_CONSULTATION', { servicesPurchase: true, bids: bids(1) }, params);
    expect(one).toMatchObject({ proceed: false, options: ['RERUN', 'SWITCH_METHOD'] });
    expect(lotOutcome('COMPETITIVE_CONSULTATION', { servicesPurchase: false, bids: bids(2) }, params).proceed).toBe(false);
  });

  it('R9.3 a negotiation with two suppliers fails and is not offered negotiation with two', () => {
    expect(lotOutcome('COMPETITIVE_NEGOTIATION', { servicesPurchase: true, bids: bids(2) }, params)).toMatchObject({
      proceed: false,
      options: ['RERUN', 'SWITCH_METHOD'],
    });
  });

  it('R9.2 (MoF Order 74 art. 27) a negotiation with the two invited bidders of a failed tender goes on with both, not with one', () => {
    const invitedTwo = (n: number) =>
      lotOutcome('COMPETITIVE_NEGOTIATION', { servicesPurchase: true, bids: bids(n), invitedSuppliers: 2 }, params);
    expect(invitedTwo(2)).toMatchObject({ proceed: true, reasons: [] });
    expect(invitedTwo(1)).toMatchObject({ proceed: false, options: ['RERUN', 'SWITCH_METHOD'] });
    // An open tender is not affected by an invitation count.
    expect(lotOutcome('OPEN_TENDER', { servicesPurchase: true, bids: bids(2), invitedSuppliers: 2 }, params).proceed).toBe(false);
  });

  it('R9.2 no bids at all fail the lot', () => {
    expect(lotOutcome('OPEN_TENDER', { servicesPurchase: true, bids: [] }, params).reasons.map((r) => r.code)).toEqual([
      'TOO_FEW_RESPONSIVE',
    ]);
  });
});
