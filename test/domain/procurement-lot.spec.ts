// R2.4 and issue 9 item 1: a lot's service period and figures.
import type { LotSpec } from '../../workflows/contracts/procurement';
import { DEFAULT_POLICY } from '../../workflows/domain/policy';
import { lotProblems } from '../../workflows/domain/procurement-lot';

const params = DEFAULT_POLICY.procurement;
const lot: LotSpec = {
  number: 1,
  title: 'Electricians, Taiyuan',
  occupationCode: '6-31-01-03',
  levels: ['4', '5'],
  trainees: 200,
  regionCode: '140100',
  ceilingPricePerPersonFen: 150_000,
  serviceMonths: 12,
};
const fields = (change: Partial<LotSpec>) => lotProblems({ ...lot, ...change }, 0, params).map((p) => p.field);

describe(lotProblems.name, () => {
  it('R2.4 a 12-month lot is valid', () => {
    expect(fields({})).toEqual([]);
  });
  it('R2.4 13 months need a reason; 36 with a reason are valid; 37 never', () => {
    expect(fields({ serviceMonths: 13 })).toEqual(['lots[0].serviceMonthsReason']);
    expect(fields({ serviceMonths: 13, serviceMonthsReason: '   ' })).toEqual(['lots[0].serviceMonthsReason']);
    expect(fields({ serviceMonths: 36, serviceMonthsReason: 'three cohorts of a long course' })).toEqual([]);
    expect(fields({ serviceMonths: 37, serviceMonthsReason: 'too long' })).toEqual(['lots[0].serviceMonths']);
    expect(fields({ serviceMonths: 0 })).toEqual(['lots[0].serviceMonths']);
  });
  it('R2.4 the limits come from the policy', () => {
    const twoYears = { ...params, serviceYears: { standard: 2, extended: 3 } };
    expect(lotProblems({ ...lot, serviceMonths: 24 }, 0, twoYears)).toEqual([]);
  });
  it('refuses non-positive figures and unknown levels, in both languages', () => {
    expect(fields({ trainees: 0, ceilingPricePerPersonFen: -1, levels: ['6'], number: 1.5 })).toEqual([
      'lots[0].number',
      'lots[0].trainees',
      'lots[0].ceilingPricePerPersonFen',
      'lots[0].levels',
    ]);
    expect(lotProblems({ ...lot, levels: [] }, 2, params)[0]).toMatchObject({
      field: 'lots[2].levels',
      problemZh: expect.stringMatching(/等级/),
    });
  });
});
