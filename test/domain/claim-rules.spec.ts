// Subsidy amounts and line checks, one rule per row (R2.3, R4.1–R4.4, R5.1, R5.2, R10.1, R10.3).
import {
  DRAW_SCALE,
  eligibleInspectors,
  grantKind,
  isSampled,
  legacyAuditDraw,
  legacyDrawInspectors,
  rotatedTeamPool,
  rotationRecent,
  teamFromPicks,
  teamFromPool,
  lineAmountFen,
  lineFailures,
  type ClassFacts,
  type LineFacts,
  type PriorTeam,
} from '../../workflows/domain/claim-rules';
import { refuseLineDecisions } from '../../workflows/domain/claim-decision-rules';
import { DEFAULT_POLICY as P, rotationLookbackOf, sampleRateFor, type PolicyParameters } from '../../workflows/domain/policy';

const cls: ClassFacts = {
  occupationCode: '4-10-01-06',
  level: 5,
  startDate: '2026-03-01',
  endDate: '2026-03-20',
  trainingDays: 15,
  catalogueStandardFen: 80_000,
  qualificationValid: true,
};
const ok: LineFacts = {
  attendancePercent: 95,
  daysAttended: 12,
  certificateNumber: 'C1',
  certificateLevel: '5',
  certificateDate: '2026-04-01',
  poorLabourer: true,
  allowanceDaysTaken: [],
  trainingsThisYear: 0,
  trainingsLifetime: 0,
  publicEstablishmentStaff: false,
  sameOccupationLevelGranted: false,
  certificateGranted: false,
};
const rules = (category: Parameters<typeof lineFailures>[0], line: Partial<LineFacts>, c: Partial<ClassFacts> = {}) =>
  lineFailures(category, { ...cls, ...c }, { ...ok, ...line }, P).map((f) => f.rule);

describe(lineAmountFen.name, () => {
  it.each([
    ['R4.1 enterprise employee: 300 yuan', 'ENTERPRISE_EMPLOYEE', {}, {}, 30_000],
    ['R4.2 worker: the catalogue standard', 'WORKER', {}, {}, 80_000],
    ['R4.2 worker: never above the 1,000 cap', 'WORKER', {}, { catalogueStandardFen: 150_000 }, 100_000],
    [
      'R4.2 worker: nothing until a reviewer sets it while no catalogue applies (never the cap by default)',
      'WORKER',
      {},
      { catalogueStandardFen: null },
      0,
    ],
    ['R4.3 poor labourer: 15 per day attended', 'POOR_LABOURER', { daysAttended: 12 }, {}, 18_000],
    ['R4.3 poor labourer: never more days than the training days', 'POOR_LABOURER', { daysAttended: 30 }, { trainingDays: 15 }, 22_500],
    ['R4.4 special ability certificate: 150', 'CERTIFICATE', { certificateLevel: 'SPECIAL' }, {}, 15_000],
    ['R4.4 junior (初级工): 300', 'CERTIFICATE', { certificateLevel: '5' }, {}, 30_000],
    ['R4.4 senior (高级工): 600', 'CERTIFICATE', { certificateLevel: '3' }, { level: 3 }, 60_000],
    ['R4.4 intermediate: none in the notice', 'CERTIFICATE', { certificateLevel: '4' }, { level: 4 }, null],
  ] as const)('%s', (_, category, line, c, fen) => {
    expect(lineAmountFen(category, { ...cls, ...c }, { ...ok, ...line }, P)).toBe(fen);
  });
});

describe(lineFailures.name, () => {
  it.each([
    ['a clean worker line passes', 'WORKER', {}, {}, []],
    ['R5.1 a fourth training in the year', 'WORKER', { trainingsThisYear: 3 }, {}, ['R5.1']],
    ['R5.1 the third is still allowed', 'WORKER', { trainingsThisYear: 2 }, {}, []],
    ['R5.2 the same occupation and level again', 'ENTERPRISE_EMPLOYEE', { sameOccupationLevelGranted: true }, {}, ['R5.2']],
    ['R10.1 attendance under 80 %', 'WORKER', { attendancePercent: 79 }, {}, ['R10.1']],
    ['R10.1 attendance exactly 80 % passes', 'WORKER', { attendancePercent: 80 }, {}, []],
    ['R10.1 attendance not recorded', 'WORKER', { attendancePercent: null }, {}, ['R10.1']],
    ['R4.3 not a registered poor labourer', 'POOR_LABOURER', { poorLabourer: false }, {}, ['R4.3']],
    ['R4.3 no days attended', 'POOR_LABOURER', { daysAttended: 0 }, {}, ['R4.3']],
    ['R4.3 days attended up to the training days pass', 'POOR_LABOURER', { daysAttended: 15 }, {}, []],
    ['R4.3 days attended above the training days', 'POOR_LABOURER', { daysAttended: 16 }, {}, ['R4.3']],
    [
      'R4.3 days attended above the calendar days of an old class',
      'POOR_LABOURER',
      { daysAttended: 3 },
      { startDate: '2026-03-01', endDate: '2026-03-02', trainingDays: 5 },
      ['R4.3'],
    ],
    [
      'R4.3 other allowances leave enough free days',
      'POOR_LABOURER',
      {
        daysAttended: 12,
        allowanceDaysTaken: [
          '2026-03-01',
          '2026-03-02',
          '2026-03-03',
          '2026-03-04',
          '2026-03-05',
          '2026-03-06',
          '2026-03-07',
          '2026-03-08',
        ],
      },
      {},
      [],
    ],
    [
      'R4.3 other allowances leave too few free days',
      'POOR_LABOURER',
      {
        daysAttended: 12,
        allowanceDaysTaken: [
          '2026-03-01',
          '2026-03-02',
          '2026-03-03',
          '2026-03-04',
          '2026-03-05',
          '2026-03-06',
          '2026-03-07',
          '2026-03-08',
          '2026-03-09',
        ],
      },
      {},
      ['R4.3'],
    ],
    [
      'R4.3 the roster cannot make a person poor: only the registry fact counts',
      'POOR_LABOURER',
      { poorLabourer: false, daysAttended: 5 },
      {},
      ['R4.3'],
    ],
    ['R4.4 certificate before 2019-07-01', 'CERTIFICATE', { certificateDate: '2019-06-30' }, {}, ['R4.4']],
    ['R4.4 certificate on 2019-07-01 counts', 'CERTIFICATE', { certificateDate: '2019-07-01' }, {}, []],
    ['R4.4 certificate of another level', 'CERTIFICATE', { certificateLevel: '3' }, {}, ['R4.4']],
    ['R4.4 certificate already subsidised', 'CERTIFICATE', { certificateGranted: true }, {}, ['R4.4']],
    ['R4.4 certificates do not count towards R5.1', 'CERTIFICATE', { trainingsThisYear: 3, attendancePercent: 10 }, {}, []],
    ['R2.3 institution not qualified on the dates', 'WORKER', {}, { qualificationValid: false }, ['R2.3']],
    ['R4.2 a worker class with no catalogue standard goes to a reviewer', 'WORKER', {}, { catalogueStandardFen: null }, ['R4.2']],
    ['R4.2 an enterprise class needs no catalogue standard (R4.1)', 'ENTERPRISE_EMPLOYEE', {}, { catalogueStandardFen: null }, []],
  ] as const)('%s', (_, category, line, c, expected) => {
    expect(rules(category, line, c)).toEqual(expected);
  });

  it('names every failure in both languages', () => {
    const all = lineFailures(
      'WORKER',
      { ...cls, qualificationValid: false },
      { ...ok, trainingsThisYear: 3, sameOccupationLevelGranted: true, attendancePercent: 10 },
      P,
    );
    expect(all.map((f) => f.rule)).toEqual(['R2.3', 'R5.1', 'R5.2', 'R10.1']);
    for (const f of all) expect(f.problemZh).toMatch(/[\u4e00-\u9fff]/);
  });

  it('lets a bureau switch R10.1 off', () => {
    const p = { ...P, eligibility: { ...P.eligibility, attendanceRuleEnabled: false } };
    expect(lineFailures('WORKER', cls, { ...ok, attendancePercent: 10 }, p)).toEqual([]);
  });

  it('maps categories to the register they count in', () => {
    expect(['ENTERPRISE_EMPLOYEE', 'WORKER', 'POOR_LABOURER', 'CERTIFICATE'].map((c) => grantKind(c as never))).toEqual([
      'TRAINING',
      'TRAINING',
      'ALLOWANCE',
      'CERTIFICATE',
    ]);
  });
});

describe(isSampled.name, () => {
  it.each([
    ['R10.3 rate 0 never samples', 0, 0, false],
    ['R10.3 rate 100 samples the top value', DRAW_SCALE - 1, 100, true],
    ['R10.3 rate 10: the last value inside', 99_999, 10, true],
    ['R10.3 rate 10: the first value outside', 100_000, 10, false],
    ['R10.3 rate 5: value 49,999 inside', 49_999, 5, true],
  ])('%s', (_name, value, rate, expected) => {
    expect(isSampled(value, rate)).toBe(expected);
  });

  it("samples the rate's share of the value range exactly (R10.3)", () => {
    const step = 97; // coprime with the scale: an even spread of values
    let sampled = 0;
    for (let v = 0; v < DRAW_SCALE; v += step) if (isSampled(v, 10)) sampled++;
    expect(sampled).toBe(Math.ceil(100_000 / step));
  });
});

describe(sampleRateFor.name, () => {
  const withRates = (rates: unknown) => ({ ...P, postAudit: { ...P.postAudit, sampleRatePercent: rates } }) as PolicyParameters;
  it.each([
    ['R10.3 commitment claims by their own rate', P, true, 10],
    ['R10.3 full-review claims are sampled too, by theirs', P, false, 5],
    ["an older version's plain number applies to both kinds (commitment)", withRates(25), true, 25],
    ["an older version's plain number applies to both kinds (full review)", withRates(25), false, 25],
    ['a version naming one kind leaves the other at the default', withRates({ COMMITMENT: 50 }), false, 5],
  ])('%s', (_name, policy, withCommitment, expected) => {
    expect(sampleRateFor(policy as PolicyParameters, withCommitment as boolean)).toBe(expected);
  });
});

describe(eligibleInspectors.name, () => {
  const county = { regionCode: '141102', inspectors: ['c1', 'reviewer'] };
  const city = { regionCode: '141100', inspectors: ['m1', 'm2'] };
  const province = { regionCode: '140000', inspectors: ['p1', 'p2', 'p3'] };

  it("stays in the claim's region when its pool is large enough, without deciders (R10.3 recusal)", () => {
    expect(eligibleInspectors([{ ...county, inspectors: ['c1', 'c2', 'reviewer'] }, city], ['reviewer'], 2)).toEqual({
      widenedTo: '141102',
      eligible: ['c1', 'c2'],
    });
  });

  it("widens to the parent region's pool, never below the team size (R10.3)", () => {
    expect(eligibleInspectors([county, city, province], ['reviewer'], 2)).toEqual({ widenedTo: '141100', eligible: ['c1', 'm1', 'm2'] });
    expect(eligibleInspectors([county, city, province], ['reviewer', 'm1', 'm2'], 3)).toEqual({
      widenedTo: '140000',
      eligible: ['c1', 'p1', 'p2', 'p3'],
    });
  });

  it('returns null rather than "anyone" when even the province is too small', () => {
    expect(eligibleInspectors([county, city, province], ['reviewer', 'p1', 'p2', 'p3'], 4)).toBeNull();
  });

  it('counts a person registered at two levels once', () => {
    expect(
      eligibleInspectors(
        [
          { regionCode: '141100', inspectors: ['a'] },
          { regionCode: '140000', inspectors: ['a'] },
        ],
        [],
        2,
      ),
    ).toBeNull();
  });
});

describe(teamFromPicks.name, () => {
  it('takes each pick among those still left, so a recorded draw gives the same team', () => {
    expect(teamFromPicks(['a', 'b', 'c', 'd'], [3, 0])).toEqual(['d', 'a']);
    expect(teamFromPicks(['a', 'b', 'c', 'd'], [1, 1])).toEqual(['b', 'c']);
  });

  it('refuses a pick outside the list', () => {
    expect(() => teamFromPicks(['a', 'b'], [0, 1])).toThrow(RangeError);
    expect(() => teamFromPicks(['a', 'b'], [2])).toThrow(RangeError);
  });
});

describe(`R10.3 inspectors rotate: ${rotatedTeamPool.name}`, () => {
  const county = { regionCode: '140502', inspectors: ['c1', 'c2', 'reviewer'] };
  const city = { regionCode: '140500', inspectors: ['m1', 'm2'] };
  const province = { regionCode: '140000', inspectors: ['p1'] };
  const levels = [county, city, province];
  it.each([
    [
      'no previous team: the plain draw',
      [],
      2,
      { widenedTo: '140502', eligible: ['c1', 'c2'], seats: 2, certain: [], rotatedOut: [], relaxed: false },
    ],
    [
      'the previous team is left out; the pool widens to the city to keep the team size',
      ['c1', 'c2'],
      2,
      { widenedTo: '140500', eligible: ['m1', 'm2'], seats: 2, certain: [], rotatedOut: ['c1', 'c2'], relaxed: false },
    ],
    [
      'one previous member out, one stays eligible: widened to the city',
      ['c1'],
      2,
      { widenedTo: '140500', eligible: ['c2', 'm1', 'm2'], seats: 2, certain: [], rotatedOut: ['c1'], relaxed: false },
    ],
    [
      'a previous member the pool never reached is not counted as rotated out',
      ['p1'],
      2,
      { widenedTo: '140502', eligible: ['c1', 'c2'], seats: 2, certain: [], rotatedOut: [], relaxed: false },
    ],
    [
      'a decider on the previous team stays excluded by recusal, not by rotation',
      ['reviewer'],
      2,
      { widenedTo: '140502', eligible: ['c1', 'c2'], seats: 2, certain: [], rotatedOut: [], relaxed: false },
    ],
    [
      'widened to the province when the city is all previous members',
      ['c1', 'c2', 'm1'],
      2,
      { widenedTo: '140000', eligible: ['m2', 'p1'], seats: 2, certain: [], rotatedOut: ['c1', 'c2', 'm1'], relaxed: false },
    ],
    [
      'relaxed when even the province is short: the others all go, the seats left are drawn among the previous members',
      ['c1', 'c2', 'm1', 'm2'],
      2,
      { widenedTo: '140000', eligible: ['c1', 'c2', 'm1', 'm2'], seats: 1, certain: ['p1'], rotatedOut: [], relaxed: true },
    ],
    [
      'relaxed completely when everyone was on a previous team',
      ['c1', 'c2', 'm1', 'm2', 'p1'],
      3,
      { widenedTo: '140000', eligible: ['c1', 'c2', 'm1', 'm2', 'p1'], seats: 3, certain: [], rotatedOut: [], relaxed: true },
    ],
  ])('%s', (_name, recent, count, expected) => {
    expect(rotatedTeamPool(levels, ['reviewer'], recent as string[], count as number)).toEqual(expected);
  });

  it('never relaxes the recusal: null when the province without the deciders is too small', () => {
    expect(rotatedTeamPool(levels, ['reviewer', 'c1', 'c2'], ['m1', 'm2'], 4)).toBeNull();
    expect(rotatedTeamPool(levels, ['reviewer'], ['c1'], 6)).toBeNull();
  });

  it('gives the team from the picks and records who of the previous teams stays out', () => {
    const strict = rotatedTeamPool(levels, ['reviewer'], ['c1', 'c2'], 2)!;
    expect(teamFromPool(strict, [1, 0])).toEqual({ inspectors: ['m2', 'm1'], rotatedOut: ['c1', 'c2'] });
    const relaxed = rotatedTeamPool(levels, ['reviewer'], ['c1', 'c2', 'm1', 'm2'], 2)!;
    expect(teamFromPool(relaxed, [2])).toEqual({ inspectors: ['p1', 'm1'], rotatedOut: ['c1', 'c2', 'm2'] });
    expect(() => teamFromPool(relaxed, [0, 1])).toThrow(RangeError);
  });
});

describe(`R10.3 which previous teams rotate out: ${rotationRecent.name}`, () => {
  const now = new Date('2026-11-28T07:00:00Z'); // 15:00 in Beijing
  const prior: PriorTeam[] = [
    { claimId: 'c-old', drawnAt: '2026-10-01T01:00:00Z', inspectors: ['a', 'b'] },
    { claimId: 'c-last', drawnAt: '2026-11-27T23:59:00Z', inspectors: ['c', 'd'] },
    { claimId: 'c-mid', drawnAt: '2026-11-20T02:00:00Z', inspectors: ['b', 'e'] },
    { claimId: 'c-no-team', drawnAt: '2026-11-28T06:00:00Z', inspectors: [] },
  ];
  it.each([
    ['the default: the previous sampled claim that had a team', rotationLookbackOf(P), ['c-last'], ['c', 'd']],
    ['the last two', { claims: 2, period: null }, ['c-last', 'c-mid'], ['b', 'c', 'd', 'e']],
    ['off', { claims: 0, period: null }, [], []],
    [
      'within 30 days, whatever their number',
      { claims: 0, period: { unit: 'DAYS', amount: 30 } },
      ['c-last', 'c-mid'],
      ['b', 'c', 'd', 'e'],
    ],
    [
      'the last one and those within 60 days',
      { claims: 1, period: { unit: 'DAYS', amount: 60 } },
      ['c-last', 'c-mid', 'c-old'],
      ['a', 'b', 'c', 'd', 'e'],
    ],
    ['a period in seconds (tests and demos)', { claims: 0, period: { unit: 'SECONDS', amount: 7 * 3600 + 60 } }, ['c-last'], ['c', 'd']],
    ['no previous team at all', { claims: 3, period: null }, [], []],
  ])('%s', (_name, lookback, claimIds, inspectors) => {
    const input = (_name as string).startsWith('no previous') ? [] : prior;
    expect(rotationRecent(input, lookback as any, now)).toEqual({ claimIds, inspectors });
  });

  it('refuses a period in working days or months rather than guessing it', () => {
    expect(() => rotationRecent(prior, { claims: 0, period: { unit: 'MONTHS', amount: 1 } }, now)).toThrow(RangeError);
  });

  it('defaults for policy versions stored before rotation existed', () => {
    const older = { ...P, postAudit: { ...P.postAudit, rotationLookback: undefined } };
    expect(rotationLookbackOf(older)).toEqual({ claims: 1, period: null });
  });
});

describe('legacy hash draw (claims opened before the random draw only)', () => {
  it('is still what those claims computed, so their workflows replay', () => {
    expect(legacyAuditDraw('claim-1')).toBe(legacyAuditDraw('claim-1'));
    const team = legacyDrawInspectors('claim-7', ['a', 'b', 'c', 'reviewer'], ['reviewer'], 2)!;
    expect(team).toHaveLength(2);
    expect(team).not.toContain('reviewer');
    expect(legacyDrawInspectors('claim-7', ['a', 'reviewer'], ['reviewer'], 2)).toBeNull();
  });
});

describe(refuseLineDecisions.name, () => {
  const pending = new Map([
    ['l1', []],
    ['l2', ['R10.1']],
    ['l3', ['R5.1']],
  ]);
  const withEvidence = { approve: true, reason: '纸质签到表补正出勤 85%', evidence: '签到表扫描件 2026-11-20' };
  it.each([
    [
      'decides every line, overriding only R10.1 with a reason and evidence',
      [
        { lineId: 'l1', approve: true },
        { lineId: 'l2', ...withEvidence },
        { lineId: 'l3', approve: false, reason: '超过年度次数' },
      ],
      [],
    ],
    [
      'R10.1 an override without evidence or reason is refused',
      [
        { lineId: 'l1', approve: true },
        { lineId: 'l2', approve: true },
        { lineId: 'l3', approve: false, reason: 'x' },
      ],
      ['lines[1].reason', 'lines[1].evidence'],
    ],
    [
      'R10.1 an override with a reason but no evidence is refused',
      [
        { lineId: 'l1', approve: true },
        { lineId: 'l2', approve: true, reason: '补正' },
        { lineId: 'l3', approve: false, reason: 'x' },
      ],
      ['lines[1].evidence'],
    ],
    [
      'refuses to approve past a binding cap (R5.1)',
      [
        { lineId: 'l1', approve: true },
        { lineId: 'l2', ...withEvidence },
        { lineId: 'l3', approve: true },
      ],
      ['lines[2].approve'],
    ],
    [
      'wants a reason for a rejection',
      [
        { lineId: 'l1', approve: false },
        { lineId: 'l2', ...withEvidence },
        { lineId: 'l3', approve: false, reason: 'x' },
      ],
      ['lines[0].reason'],
    ],
    ['wants every pending line decided', [{ lineId: 'l1', approve: true }], ['lines']],
    [
      'refuses unknown and repeated lines',
      [
        { lineId: 'zz', approve: true },
        { lineId: 'l1', approve: true },
        { lineId: 'l1', approve: true },
        { lineId: 'l2', ...withEvidence },
        { lineId: 'l3', approve: false, reason: 'x' },
      ],
      ['lines[0].lineId', 'lines[2].lineId'],
    ],
    [
      'an amount only for a line without a catalogue standard',
      [
        { lineId: 'l1', approve: true, amountFen: 50_000 },
        { lineId: 'l2', ...withEvidence },
        { lineId: 'l3', approve: false, reason: 'x' },
      ],
      ['lines[0].amountFen'],
    ],
  ] as const)('%s', (_, decisions, fields) => {
    const r = refuseLineDecisions([...decisions], { pending: pending as Map<string, string[]> });
    expect((r?.problems ?? []).map((p) => p.field)).toEqual(fields);
  });
});

describe('R4.2 a line without a catalogue standard', () => {
  const pending = new Map([['l1', ['R4.2']]]);
  it.each([
    ['approved with an amount up to the cap and its basis', { approve: true, amountFen: 80_000, reason: '参照市级地方标准 (R3.2)' }, []],
    ['approved at exactly the cap', { approve: true, amountFen: 100_000, reason: '地方标准' }, []],
    ['not approved without an amount (never the cap by default)', { approve: true, reason: '地方标准' }, ['lines[0].amountFen']],
    ['not above the cap', { approve: true, amountFen: 100_001, reason: '地方标准' }, ['lines[0].amountFen']],
    ['not without the basis of the amount', { approve: true, amountFen: 50_000 }, ['lines[0].reason']],
    ['rejected with a reason', { approve: false, reason: '无地方标准' }, []],
  ] as const)('%s', (_, d, fields) => {
    const r = refuseLineDecisions([{ lineId: 'l1', ...d }], { pending, workerCapFen: P.subsidy.workerCapFen });
    expect((r?.problems ?? []).map((p) => p.field)).toEqual(fields);
  });
});

describe('R5.1 limits of later fund rules, off by default', () => {
  const on = { ...P, eligibility: { ...P.eligibility, maxTrainingsLifetime: 5, excludePublicEstablishmentStaff: true } };
  const check = (line: Partial<LineFacts>, p = P) => lineFailures('WORKER', cls, { ...ok, ...line }, p).map((f) => f.problem);
  it.each([
    ['off: a sixth training in a lifetime passes', { trainingsLifetime: 5 }, P, 0],
    ['off: public-establishment staff pass', { publicEstablishmentStaff: true }, P, 0],
    ['on: the fifth training in a lifetime passes', { trainingsLifetime: 4 }, on, 0],
    ['on: a sixth training in a lifetime is refused', { trainingsLifetime: 5 }, on, 1],
    ['on: public-establishment staff are refused', { publicEstablishmentStaff: true }, on, 1],
    ['on: both at once are two failures', { trainingsLifetime: 9, publicEstablishmentStaff: true }, on, 2],
  ] as const)('%s', (_, line, p, failures) => {
    expect(check(line, p)).toHaveLength(failures);
    expect(lineFailures('WORKER', cls, { ...ok, ...line }, p).every((f) => f.rule === 'R5.1')).toBe(true);
  });
  it('never applies to certificates (R4.4) nor allowances (R4.3)', () => {
    expect(lineFailures('CERTIFICATE', cls, { ...ok, trainingsLifetime: 9, publicEstablishmentStaff: true }, on)).toEqual([]);
  });
});
