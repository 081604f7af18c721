import {
  addDays,
  addWorkingDays,
  nextWorkingDay,
  officialCalendar,
  periodEnd,
  PolicyPeriod,
  shanghaiDate,
  startOfShanghaiDay,
  WorkCalendar,
} from '../../workflows/domain/calendar';

// R9.9: official calendar incl. 调休. National Day 2025: days off 10-01..10-08,
// adjusted working days Sun 09-28 and Sat 10-11. All dates fixed; nothing depends on today.
const cal = officialCalendar;
/** An instant given in Shanghai local time. */
const sh = (local: string) => new Date(`${local}+08:00`);

describe('officialCalendar.isWorkingDay', () => {
  it.each([
    ['2025-09-26', true, 'Friday'],
    ['2025-09-27', false, 'Saturday'],
    ['2025-09-28', true, 'Sunday, adjusted working day (调休)'],
    ['2025-09-30', true, 'Tuesday'],
    ['2025-10-01', false, 'National Day'],
    ['2025-10-06', false, 'Mid-autumn (Monday)'],
    ['2025-10-08', false, 'last holiday day'],
    ['2025-10-09', true, 'Thursday after the holiday'],
    ['2025-10-11', true, 'Saturday, adjusted working day (调休)'],
    ['2025-10-12', false, 'Sunday'],
  ])('R9.9 %s → %p (%s)', (date, expected) => {
    expect(cal.isWorkingDay(date)).toBe(expected);
  });

  it('throws on a malformed date', () => {
    expect(() => cal.isWorkingDay('2025-10-1')).toThrow(/ISO date/);
  });
});

describe(addDays.name, () => {
  it.each([
    ['2025-09-30', 1, '2025-10-01'],
    ['2024-02-28', 1, '2024-02-29'],
    ['2025-02-28', 1, '2025-03-01'],
    ['2025-12-31', 1, '2026-01-01'],
    ['2025-03-01', -1, '2025-02-28'],
    ['2025-09-30', 0, '2025-09-30'],
  ])('%s + %i → %s', (date, n, expected) => {
    expect(addDays(date, n)).toBe(expected);
  });

  it.each([
    ['2025-02-30', 1],
    ['2025-9-30', 1],
    ['2025-09-30', 1.5],
    ['2025-09-30', NaN],
  ])('throws on %p, %p', (date, n) => {
    expect(() => addDays(date, n)).toThrow();
  });
});

describe(nextWorkingDay.name, () => {
  it.each([
    ['2025-09-26', '2025-09-28'],
    ['2025-09-27', '2025-09-28'],
    ['2025-09-30', '2025-10-09'],
    ['2025-10-03', '2025-10-09'],
    ['2025-10-10', '2025-10-11'],
    ['2025-10-11', '2025-10-13'],
  ])('R9.9 first working day after %s is %s', (date, expected) => {
    expect(nextWorkingDay(date, cal)).toBe(expected);
  });
});

describe(addWorkingDays.name, () => {
  it.each([
    ['2025-09-26', 1, '2025-09-28'],
    ['2025-09-26', 2, '2025-09-29'],
    ['2025-09-30', 1, '2025-10-09'],
    ['2025-09-30', 3, '2025-10-11'],
    ['2025-09-30', 4, '2025-10-13'],
    ['2025-09-26', 7, '2025-10-13'], // R9.7: 7 working days
    ['2025-10-01', 0, '2025-10-01'],
  ])('R9.9 %s + %i working days → %s', (date, n, expected) => {
    expect(addWorkingDays(date, n, cal)).toBe(expected);
  });

  it.each([[-1], [1.5]])('throws on n = %p', (n) => {
    expect(() => addWorkingDays('2025-09-30', n, cal)).toThrow(/integer/);
  });
});

describe(shanghaiDate.name, () => {
  it.each([
    ['2025-09-29T15:59:59.999Z', '2025-09-29'],
    ['2025-09-29T16:00:00.000Z', '2025-09-30'],
    ['2025-09-30T15:30:00.000Z', '2025-09-30'],
    ['1969-12-31T15:00:00.000Z', '1969-12-31'],
    ['1969-12-31T16:00:00.000Z', '1970-01-01'],
  ])('%s is %s in Shanghai', (instant, expected) => {
    expect(shanghaiDate(new Date(instant))).toBe(expected);
  });

  it('throws on an invalid Date', () => {
    expect(() => shanghaiDate(new Date('nonsense'))).toThrow(/valid Date/);
  });
});

describe(startOfShanghaiDay.name, () => {
  it.each([
    ['2025-10-01', '2025-09-30T16:00:00.000Z'],
    ['2024-03-01', '2024-02-29T16:00:00.000Z'],
  ])('00:00 Shanghai on %s is %s', (date, expected) => {
    expect(startOfShanghaiDay(date).toISOString()).toBe(expected);
  });
});

describe(periodEnd.name, () => {
  // The period ends at 00:00 Shanghai after its last day, i.e. 16:00Z on the last day.
  it.each<[string, string, PolicyPeriod, string]>([
    [
      'R9.9 DAYS: last day 10-03 is a holiday → rolls to 10-09',
      '2025-09-28T10:00:00',
      { unit: 'DAYS', amount: 5 },
      '2025-10-09T16:00:00.000Z',
    ],
    ['R9.9 DAYS: last day on a working day', '2025-09-28T10:00:00', { unit: 'DAYS', amount: 2 }, '2025-09-30T16:00:00.000Z'],
    [
      'R9.9 event at 23:30 still starts counting the next day',
      '2025-09-29T23:30:00',
      { unit: 'DAYS', amount: 1 },
      '2025-09-30T16:00:00.000Z',
    ],
    [
      'R9.9 event at 00:30: its own day is not counted either',
      '2025-09-30T00:30:00',
      { unit: 'DAYS', amount: 1 },
      '2025-10-09T16:00:00.000Z',
    ],
    ['R9.9 DAYS: weekend last day rolls to Monday', '2025-09-19T09:00:00', { unit: 'DAYS', amount: 1 }, '2025-09-22T16:00:00.000Z'],
    ['R9.9 WORKING_DAYS across National Day', '2025-09-30T10:00:00', { unit: 'WORKING_DAYS', amount: 3 }, '2025-10-11T16:00:00.000Z'],
    ['R9.7 7 WORKING_DAYS from Friday 09-26', '2025-09-26T09:00:00', { unit: 'WORKING_DAYS', amount: 7 }, '2025-10-13T16:00:00.000Z'],
    ['Civil Code 202: Jan 31 + 1 month → Feb 28', '2025-01-31T12:00:00', { unit: 'MONTHS', amount: 1 }, '2025-02-28T16:00:00.000Z'],
    [
      'Civil Code 202: Jan 31 + 1 month → Feb 29 (leap year)',
      '2024-01-31T12:00:00',
      { unit: 'MONTHS', amount: 1 },
      '2024-02-29T16:00:00.000Z',
    ],
    ['Civil Code 202: Aug 31 + 1 month → Sep 30', '2025-08-31T12:00:00', { unit: 'MONTHS', amount: 1 }, '2025-09-30T16:00:00.000Z'],
    [
      'Civil Code 203: MONTHS ending on National Day rolls over',
      '2025-09-01T12:00:00',
      { unit: 'MONTHS', amount: 1 },
      '2025-10-09T16:00:00.000Z',
    ],
    ['Civil Code 202: Feb 29 + 1 year → Feb 28', '2024-02-29T12:00:00', { unit: 'YEARS', amount: 1 }, '2025-02-28T16:00:00.000Z'],
    ['YEARS ending on National Day rolls over', '2024-10-01T12:00:00', { unit: 'YEARS', amount: 1 }, '2025-10-09T16:00:00.000Z'],
    ['SECONDS are exact, no calendar rules', '2025-09-30T23:59:30', { unit: 'SECONDS', amount: 90 }, '2025-09-30T16:01:00.000Z'],
    ['SECONDS amount 0 is the event instant', '2025-10-01T08:00:00.123', { unit: 'SECONDS', amount: 0 }, '2025-10-01T00:00:00.123Z'],
  ])('%s', (_title, eventLocal, period, expected) => {
    expect(periodEnd(sh(eventLocal), period, cal).toISOString()).toBe(expected);
  });

  it('R9.9 rollOverNonWorkingDay: false keeps a holiday as the last day', () => {
    const end = periodEnd(sh('2025-09-28T10:00:00'), { unit: 'DAYS', amount: 5 }, cal, {
      rollOverNonWorkingDay: false,
    });
    expect(end.toISOString()).toBe('2025-10-03T16:00:00.000Z');
  });

  it.each<[PolicyPeriod, RegExp]>([
    [{ unit: 'DAYS', amount: -1 }, /integer/],
    [{ unit: 'WORKING_DAYS', amount: 1.5 }, /integer/],
    [{ unit: 'SECONDS', amount: NaN }, /integer/],
    [{ unit: 'WEEKS' as never, amount: 1 }, /unknown period unit/],
  ])('throws on %j', (period, message) => {
    expect(() => periodEnd(sh('2025-09-30T10:00:00'), period, cal)).toThrow(message);
  });

  it('throws on an invalid event instant', () => {
    expect(() => periodEnd(new Date('x'), { unit: 'DAYS', amount: 1 }, cal)).toThrow(/valid Date/);
  });
});

describe('with a fake WorkCalendar', () => {
  // Only two working days exist; the functions must consult the calendar passed in, not official data.
  const working = new Set(['2030-01-05', '2030-01-09']);
  const asked: string[] = [];
  const fake: WorkCalendar = {
    isWorkingDay: (d) => {
      asked.push(d);
      return working.has(d);
    },
  };

  it.each([
    [() => nextWorkingDay('2030-01-01', fake), '2030-01-05'],
    [() => addWorkingDays('2030-01-01', 2, fake), '2030-01-09'],
    // DAYS 2 from 01-01 → last day 01-03 is not working → rolls to 01-05 (Civil Code 203).
    [() => periodEnd(sh('2030-01-01T12:00:00'), { unit: 'DAYS', amount: 2 }, fake).toISOString(), '2030-01-05T16:00:00.000Z'],
    [() => periodEnd(sh('2030-01-01T12:00:00'), { unit: 'WORKING_DAYS', amount: 2 }, fake).toISOString(), '2030-01-09T16:00:00.000Z'],
  ])('R9.9 case %#', (run, expected) => {
    expect(run()).toBe(expected);
    expect(asked.length).toBeGreaterThan(0);
  });

  it('throws when the calendar has no working day in sight', () => {
    const never: WorkCalendar = { isWorkingDay: () => false };
    expect(() => nextWorkingDay('2030-01-01', never)).toThrow(/no working day/);
  });
});
