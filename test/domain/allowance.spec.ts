// R4.3 living allowance: allowance days ≤ days attended ≤ training days ≤ calendar days, one allowance a day.
import { allowanceDates, allowanceDayCount, calendarDays, trainingDaysProblem } from '../../workflows/domain/allowance';

describe(calendarDays.name, () => {
  it.each([
    ['one day', '2026-03-01', '2026-03-01', 1],
    ['both ends counted', '2026-03-01', '2026-03-10', 10],
    ['across a month end in a leap year', '2028-02-27', '2028-03-01', 4],
    ['across the year end', '2026-12-30', '2027-01-02', 4],
    ['end before start', '2026-03-02', '2026-03-01', 0],
  ])('%s', (_, start, end, days) => {
    expect(calendarDays(start, end)).toBe(days);
  });
});

describe(trainingDaysProblem.name, () => {
  it.each([
    ['R4.3 training days equal to the calendar days', 10, null],
    ['R4.3 fewer training days than calendar days (weekends off)', 8, null],
    ['R4.3 more training days than calendar days', 11, { calendarDays: 10 }],
  ] as const)('%s', (_, trainingDays, problem) => {
    expect(trainingDaysProblem({ startDate: '2026-03-01', endDate: '2026-03-10', trainingDays })).toEqual(problem);
  });
});

describe(allowanceDayCount.name, () => {
  const cls = { startDate: '2026-03-01', endDate: '2026-03-10', trainingDays: 8 };
  it.each([
    ['R4.3 the days attended', 6, 6],
    ['R4.3 never above the training days', 9, 8],
    ['R4.3 nothing recorded, nothing paid', null, 0],
  ] as const)('%s', (_, attended, days) => {
    expect(allowanceDayCount(attended, cls)).toBe(days);
  });
  it('R4.3 never above the calendar days of a class created before the rule', () => {
    expect(allowanceDayCount(9, { startDate: '2026-03-01', endDate: '2026-03-03', trainingDays: 9 })).toBe(3);
  });
});

describe(allowanceDates.name, () => {
  const cls = { startDate: '2026-03-01', endDate: '2026-03-05' };
  it.each([
    ['R4.3 the first days of the class when the person has no other allowance', 3, [], ['2026-03-01', '2026-03-02', '2026-03-03']],
    ['R4.3 every day of the class', 5, [], ['2026-03-01', '2026-03-02', '2026-03-03', '2026-03-04', '2026-03-05']],
    ['R4.3 skips days another class already pays', 3, ['2026-03-01', '2026-03-03'], ['2026-03-02', '2026-03-04', '2026-03-05']],
    ['R4.3 days outside the class do not matter', 2, ['2026-02-28', '2026-03-06'], ['2026-03-01', '2026-03-02']],
    ['R4.3 refuses when the free days are too few', 4, ['2026-03-02', '2026-03-04'], null],
    [
      'R4.3 refuses a second allowance for a fully taken class',
      1,
      ['2026-03-01', '2026-03-02', '2026-03-03', '2026-03-04', '2026-03-05'],
      null,
    ],
    ['R4.3 refuses more days than the class has', 6, [], null],
    ['zero days cover nothing', 0, [], []],
  ] as const)('%s', (_, count, taken, dates) => {
    expect(allowanceDates(cls, count, taken)).toEqual(dates);
  });
});
