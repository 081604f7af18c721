// Policy parameters: effective-dated versions, province → city → county overrides (POLICY.md preamble).
import { DEFAULT_POLICY, deepMerge, resolvePolicy, type StoredPolicyVersion } from '../../workflows/domain/policy';
import { qualificationValidity } from '../../workflows/domain/qualification-rules';
import { statusAfterAction } from '../../workflows/institution.workflow';
import type { WorkCalendar } from '../../workflows/domain/calendar';

const v = (id: string, regionCode: string, version: number, effectiveFrom: string, parameters: unknown): StoredPolicyVersion => ({
  id,
  regionCode,
  version,
  effectiveFrom,
  parameters,
});

const versions = [
  v('p1', '140000', 1, '2019-08-22T00:00:00+08:00', DEFAULT_POLICY),
  v('p2', '140000', 2, '2026-01-01T00:00:00+08:00', { subsidy: { enterpriseEmployeeFen: 40_000 } }),
  v('c1', '140100', 1, '2025-01-01T00:00:00+08:00', { eligibility: { maxTrainingsPerYear: 2 } }),
  v('k1', '140105', 1, '2027-01-01T00:00:00+08:00', { subsidy: { poorLabourerDailyFen: 2_000 } }),
];

describe(resolvePolicy.name, () => {
  it.each([
    ['a province case in 2020 uses version 1 (R4.1 300 yuan)', '140000', '2020-06-01T00:00:00+08:00', ['p1'], 30_000, 3, 1_500],
    ['a later province version takes over on its date', '140000', '2026-06-01T00:00:00+08:00', ['p2'], 40_000, 3, 1_500],
    [
      'a city overrides one field and inherits the rest (R5.1 cap 2)',
      '140100',
      '2026-06-01T00:00:00+08:00',
      ['p2', 'c1'],
      40_000,
      2,
      1_500,
    ],
    ['a county version not yet in force is ignored', '140105', '2026-06-01T00:00:00+08:00', ['p2', 'c1'], 40_000, 2, 1_500],
    [
      'a county version in force wins over city and province (R4.3)',
      '140105',
      '2027-06-01T00:00:00+08:00',
      ['p2', 'c1', 'k1'],
      40_000,
      2,
      2_000,
    ],
  ])('%s', (_, region, at, ids, enterpriseFen, cap, dailyFen) => {
    const r = resolvePolicy(versions, region, new Date(at));
    expect(r.versionIds).toEqual(ids);
    expect(r.parameters.subsidy.enterpriseEmployeeFen).toBe(enterpriseFen);
    expect(r.parameters.eligibility.maxTrainingsPerYear).toBe(cap);
    expect(r.parameters.subsidy.poorLabourerDailyFen).toBe(dailyFen);
  });

  it('keeps R4.4 amounts the notice leaves out as null (no subsidy for intermediate level)', () => {
    const r = resolvePolicy(versions, '140000', new Date('2020-01-01T00:00:00Z'));
    expect(r.parameters.subsidy.certificateFen).toEqual({ SPECIAL: 15_000, '5': 30_000, '4': null, '3': 60_000, '2': null, '1': null });
  });
});

describe('the version in force (POLICY.md preamble)', () => {
  const later = [
    v('p1', '140000', 1, '2019-08-22T00:00:00+08:00', { subsidy: { enterpriseEmployeeFen: 30_000 } }),
    v('p2', '140000', 2, '2027-01-01T00:00:00+08:00', { subsidy: { enterpriseEmployeeFen: 40_000 } }),
    // added after p2, yet effective earlier: a correction back-dated to mid-2026
    v('p3', '140000', 3, '2026-07-01T00:00:00+08:00', { subsidy: { enterpriseEmployeeFen: 35_000 } }),
    v('p4', '140000', 4, '2027-01-01T00:00:00+08:00', { subsidy: { enterpriseEmployeeFen: 45_000 } }),
  ];
  it.each([
    ['before the back-dated version, the first one', '2026-06-30T23:59:59+08:00', 'p1'],
    ['a version added later with an earlier start governs from its start', '2026-08-01T00:00:00+08:00', 'p3'],
    ['once a later start is reached, the latest start wins over a higher number', '2026-12-31T23:59:59+08:00', 'p3'],
    ['equal starts: the higher number wins', '2027-01-01T00:00:00+08:00', 'p4'],
  ])('%s', (_, at, id) => {
    expect(resolvePolicy(later, '140000', new Date(at)).versionIds).toEqual([id]);
  });
  it('the latest effectiveFrom wins even when its number is lower', () => {
    const swapped = [v('a', '140000', 5, '2026-01-01T00:00:00+08:00', {}), v('b', '140000', 2, '2026-06-01T00:00:00+08:00', {})];
    expect(resolvePolicy(swapped, '140000', new Date('2026-07-01T00:00:00+08:00')).versionIds).toEqual(['b']);
  });
});

describe(deepMerge.name, () => {
  it('replaces periods whole and merges objects key by key', () => {
    expect(deepMerge({ a: { unit: 'DAYS', amount: 5 }, b: 1 }, { a: { unit: 'SECONDS', amount: 2 } })).toEqual({
      a: { unit: 'SECONDS', amount: 2 },
      b: 1,
    });
  });
});

describe(qualificationValidity.name, () => {
  const weekdays: WorkCalendar = { isWorkingDay: (d) => ![0, 6].includes(new Date(`${d}T00:00:00Z`).getUTCDay()) };
  it('is valid for three years to the end of the corresponding day, reminded 30 days before (R2.3)', () => {
    const v = qualificationValidity(new Date('2026-11-27T10:00:00+08:00'), DEFAULT_POLICY, weekdays);
    expect(v.validTo).toBe('2029-11-27T16:00:00.000Z'); // end of 2029-11-27 in Shanghai, even though it is a Tuesday
    expect(v.reminderAt).toBe('2029-10-28T16:00:00.000Z');
  });
});

describe(statusAfterAction.name, () => {
  it.each([
    ['ACTIVE', 'SUSPEND', 'SUSPENDED'],
    ['SUSPENDED', 'SUSPEND', null],
    ['SUSPENDED', 'REINSTATE', 'ACTIVE'],
    ['ACTIVE', 'REINSTATE', null],
    ['SUSPENDED', 'REVOKE', 'REVOKED'],
    ['REVOKED', 'REINSTATE', null],
    ['EXPIRED', 'SUSPEND', null],
  ] as const)('%s + %s → %s (R7.4)', (from, action, to) => {
    expect(statusAfterAction(from, action)).toBe(to);
  });
});
