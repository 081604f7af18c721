// R2.3 in China time: a qualification covers training on calendar dates in Asia/Shanghai, from the grant day
// (whatever the hour of the grant) to its last valid day; claims look at the training dates, not the claim date.
import {
  classRegionAllowed,
  coverProblem,
  trainingFinished,
  validDays,
  type QualificationCoverFacts,
} from '../../workflows/domain/qualification-rules';

const scope = [{ occupationCode: '4-10-01-06', levels: [5, 4] }];
// validTo is exclusive: 00:00 China time of the day after the last valid day (2027-03-09).
const q = (over: Partial<QualificationCoverFacts> = {}): QualificationCoverFacts => ({
  status: 'ACTIVE',
  validFrom: new Date('2026-03-10T08:01:00+08:00'),
  validTo: new Date('2027-03-10T00:00:00+08:00'),
  scope,
  ...over,
});
const training = (startDate: string, endDate = startDate) => ({ occupationCode: '4-10-01-06', level: 5, startDate, endDate });

describe('R2.3 validity days in China time', () => {
  it.each([
    ['granted 07:59 Beijing (23:59 UTC the day before)', '2026-03-10T07:59:00+08:00'],
    ['granted 08:01 Beijing (00:01 UTC)', '2026-03-10T08:01:00+08:00'],
    ['granted 23:59 Beijing', '2026-03-10T23:59:00+08:00'],
    ['granted 00:00 Beijing', '2026-03-10T00:00:00+08:00'],
  ])('a class starting on the grant day is covered when %s', (_, grantedAt) => {
    const granted = q({ validFrom: new Date(grantedAt) });
    expect(validDays(granted).firstDay).toBe('2026-03-10');
    expect(coverProblem(granted, training('2026-03-10'), 'opening')).toBeNull();
    expect(coverProblem(granted, training('2026-03-10'), 'claiming')).toBeNull();
    expect(coverProblem(granted, training('2026-03-09', '2026-03-10'), 'opening')).toEqual({
      kind: 'BEFORE_VALIDITY',
      firstDay: '2026-03-10',
    });
  });

  it('covers a class ending on the last valid day, and neither opening nor claiming one ending a day later', () => {
    expect(validDays(q()).lastDay).toBe('2027-03-09');
    for (const mode of ['opening', 'claiming'] as const) {
      expect(coverProblem(q(), training('2027-03-01', '2027-03-09'), mode)).toBeNull();
      expect(coverProblem(q(), training('2027-03-01', '2027-03-10'), mode)).toEqual({ kind: 'AFTER_VALIDITY', lastDay: '2027-03-09' });
    }
  });

  it('keeps training done while valid claimable after expiry, not a new class', () => {
    const expired = q({ status: 'EXPIRED' });
    expect(coverProblem(expired, training('2027-03-01', '2027-03-09'), 'claiming')).toBeNull();
    expect(coverProblem(expired, training('2027-03-01', '2027-03-09'), 'opening')).toEqual({ kind: 'STATUS', status: 'EXPIRED' });
  });

  it('keeps training up to the day of a suspension claimable, not training after it', () => {
    const suspended = q({ status: 'SUSPENDED', suspendedAt: new Date('2026-06-15T07:30:00+08:00') });
    expect(coverProblem(suspended, training('2026-06-10', '2026-06-15'), 'claiming')).toBeNull();
    expect(coverProblem(suspended, training('2026-06-10', '2026-06-16'), 'claiming')).toEqual({
      kind: 'AFTER_VALIDITY',
      lastDay: '2026-06-15',
    });
    expect(coverProblem(suspended, training('2026-06-10', '2026-06-12'), 'opening')).toEqual({ kind: 'STATUS', status: 'SUSPENDED' });
  });

  it('ends every claim after a revocation for fraud (R7.4)', () => {
    expect(coverProblem(q({ status: 'REVOKED' }), training('2026-06-10'), 'claiming')).toEqual({ kind: 'STATUS', status: 'REVOKED' });
  });

  it('refuses an occupation or a level outside the scope', () => {
    expect(coverProblem(q(), { ...training('2026-06-10'), occupationCode: '4-10-01-05' }, 'opening')).toEqual({
      kind: 'OUT_OF_SCOPE',
      field: 'occupationCode',
    });
    expect(coverProblem(q(), { ...training('2026-06-10'), level: 3 }, 'claiming')).toEqual({ kind: 'OUT_OF_SCOPE', field: 'level' });
  });
});

describe('claims only for finished training (R6.1), in China time', () => {
  it.each([
    ['the last day itself, at 23:59 Beijing', '2026-06-15T23:59:00+08:00', false],
    ['the next day at 00:00 Beijing (16:00 UTC on the last day)', '2026-06-16T00:00:00+08:00', true],
    ['the last day at 07:59 Beijing (23:59 UTC the day before)', '2026-06-15T07:59:00+08:00', false],
    ['the last day at 08:01 Beijing (00:01 UTC)', '2026-06-15T08:01:00+08:00', false],
    ['the next day at 07:59 Beijing', '2026-06-16T07:59:00+08:00', true],
  ])('a class ending 2026-06-15, claimed on %s: %s', (_, now, finished) => {
    expect(trainingFinished('2026-06-15', new Date(now))).toBe(finished);
  });
});

describe('a class runs in the city of its qualification', () => {
  it.each([
    ['a county qualification, another county of the city', '140105', '140109', true],
    ['a county qualification, the city itself', '140105', '140100', true],
    ['a city qualification, one of its counties', '140100', '140108', true],
    ['another city', '140105', '140202', false],
    ['a province-level code is no qualified region', '140000', '140105', false],
  ])('%s', (_, qualified, cls, ok) => {
    expect(classRegionAllowed(qualified, cls)).toBe(ok);
  });
});
