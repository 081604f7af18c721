// R9.9 the official calendar as data: a calendar over loaded versions, "covered" years, provisional deadlines
// over uncovered days, and the checks on an uploaded arrangement. All dates fixed; nothing depends on today.
import { calendarFromData, deadline, officialCalendar, packageCalendarDays, type CalendarData } from '../../workflows/domain/calendar';
import { arrangementFromCsv, arrangementFromJson, validateArrangement } from '../../workflows/domain/calendar-arrangement';
import { CSV_2027, HOLIDAYS_2027, WORKDAYS_2027 } from '../fixtures/calendar-2027';

const sh = (local: string) => new Date(`${local}+08:00`);
const pkg = (from: number): CalendarData => {
  const days = packageCalendarDays.filter((d) => Number(d.date.slice(0, 4)) >= from);
  return {
    coveredYears: [...new Set(days.map((d) => Number(d.date.slice(0, 4))))],
    holidays: days.filter((d) => d.type === 'HOLIDAY').map((d) => d.date),
    workdays: days.filter((d) => d.type === 'WORKDAY').map((d) => d.date),
  };
};
const without2027 = calendarFromData(pkg(2026));
const with2027 = calendarFromData({
  coveredYears: [...pkg(2026).coveredYears, 2027],
  holidays: [...pkg(2026).holidays, ...HOLIDAYS_2027.map((d) => d.date)],
  workdays: [...pkg(2026).workdays, ...WORKDAYS_2027.map((d) => d.date)],
});

describe('R9.9 a calendar over loaded versions', () => {
  it.each([
    ['2027-01-01', 'New Year (Friday)', true, false],
    ['2027-02-08', 'Spring Festival (Monday)', true, false],
    ['2027-01-31', 'Sunday, adjusted working day (调休)', false, true],
    ['2027-02-20', 'Saturday, adjusted working day (调休)', false, true],
    ['2027-02-15', 'an ordinary Monday', true, true],
    ['2027-02-14', 'an ordinary Sunday', false, false],
  ])('R9.9 %s (%s): Mon–Fri without 2027 → %p, with the 2027 arrangement → %p', (date, _what, withoutIt, withIt) => {
    expect(without2027.isWorkingDay(date)).toBe(withoutIt);
    expect(with2027.isWorkingDay(date)).toBe(withIt);
  });

  it('R9.9 covers only the years a version was loaded for', () => {
    expect(without2027.covers('2026-12-31')).toBe(true);
    expect(without2027.covers('2027-01-01')).toBe(false);
    expect(with2027.covers('2027-12-31')).toBe(true);
    expect(with2027.covers('2028-01-01')).toBe(false);
    expect(officialCalendar.covers('2004-01-01')).toBe(true);
    expect(officialCalendar.covers('2027-01-01')).toBe(false);
  });

  it('R9.9 ignores days listed for a year it does not cover', () => {
    const cal = calendarFromData({ coveredYears: [2026], holidays: ['2027-02-08'], workdays: ['2027-02-20'] });
    expect(cal.isWorkingDay('2027-02-08')).toBe(true);
    expect(cal.isWorkingDay('2027-02-20')).toBe(false);
  });

  it('R9.9 the package data seeds every year 2004–2026 with the same days as the compiled calendar', () => {
    const years = [...new Set(packageCalendarDays.map((d) => Number(d.date.slice(0, 4))))].sort();
    expect(years[0]).toBe(2004);
    expect(years.at(-1)).toBe(2026);
    expect(years).toHaveLength(23);
    expect(packageCalendarDays.find((d) => d.date === '2025-09-28')).toEqual({
      date: '2025-09-28',
      type: 'WORKDAY',
      name: expect.stringContaining('国庆节'),
    });
    for (const d of packageCalendarDays) expect(officialCalendar.isWorkingDay(d.date)).toBe(d.type === 'WORKDAY');
  });
});

describe('R9.9 deadlines over uncovered days are provisional', () => {
  const tenWorkingDays = { unit: 'WORKING_DAYS' as const, amount: 10 };

  it('R9.9 10 working days from Fri 2026-12-25: Mon–Fri and provisional without 2027; New Year counted with it', () => {
    // Without 2027: Dec 28–31, Jan 1 (a Friday) and Jan 4–8 → last day Jan 8.
    expect(deadline(sh('2026-12-25T10:00:00'), tenWorkingDays, without2027)).toEqual({
      end: new Date('2027-01-08T16:00:00.000Z'),
      provisional: true,
    });
    // With 2027: Jan 1 is a holiday → last day Mon Jan 11.
    expect(deadline(sh('2026-12-25T10:00:00'), tenWorkingDays, with2027)).toEqual({
      end: new Date('2027-01-11T16:00:00.000Z'),
      provisional: false,
    });
  });

  it('R9.9 an adjusted working day (调休) counts: 1 working day from Fri 2027-01-29 is Sunday 01-31', () => {
    expect(deadline(sh('2027-01-29T09:00:00'), { unit: 'WORKING_DAYS', amount: 1 }, with2027)).toEqual({
      end: new Date('2027-01-31T16:00:00.000Z'),
      provisional: false,
    });
    expect(deadline(sh('2027-01-29T09:00:00'), { unit: 'WORKING_DAYS', amount: 1 }, without2027)).toEqual({
      end: new Date('2027-02-01T16:00:00.000Z'),
      provisional: true,
    });
  });

  it('R9.9 Spring Festival: 5 working days from Wed 2027-02-03 end on 02-18 with the arrangement, 02-10 without', () => {
    expect(deadline(sh('2027-02-03T09:00:00'), { unit: 'WORKING_DAYS', amount: 5 }, with2027).end.toISOString()).toBe(
      '2027-02-18T16:00:00.000Z',
    );
    expect(deadline(sh('2027-02-03T09:00:00'), { unit: 'WORKING_DAYS', amount: 5 }, without2027).end.toISOString()).toBe(
      '2027-02-10T16:00:00.000Z',
    );
  });

  it.each([
    ['a deadline inside a covered year', sh('2026-12-01T10:00:00'), tenWorkingDays, false],
    ['DAYS ending in a covered year, whatever lies between', sh('2026-12-01T10:00:00'), { unit: 'DAYS' as const, amount: 20 }, false],
    ['DAYS whose last day (roll-over check) is uncovered', sh('2026-12-20T10:00:00'), { unit: 'DAYS' as const, amount: 20 }, true],
    ['SECONDS never consult the calendar', sh('2026-12-31T23:59:00'), { unit: 'SECONDS' as const, amount: 600 }, false],
  ])('R9.9 %s → provisional %p', (_what, at, period, provisional) => {
    expect(deadline(at, period, without2027).provisional).toBe(provisional);
  });
});

describe('R9.9 checks on an uploaded arrangement', () => {
  it('accepts the 2027 test arrangement from JSON and from CSV, with the same days', () => {
    const fromJson = validateArrangement(2027, arrangementFromJson({ holidays: HOLIDAYS_2027, workdays: WORKDAYS_2027 }));
    expect(fromJson.problems).toEqual([]);
    expect(fromJson.days).toHaveLength(HOLIDAYS_2027.length + WORKDAYS_2027.length);
    const csv = arrangementFromCsv(CSV_2027);
    expect(csv.problems).toEqual([]);
    expect(validateArrangement(2027, csv.days)).toEqual(fromJson);
  });

  it('reads Chinese headers and 休/班 types; plain date strings in JSON get an empty name', () => {
    const csv = arrangementFromCsv('\uFEFF日期,类型,名称\n2027-10-01,休,国庆节\n\n2027-10-09,班,国庆节调休\n');
    expect(validateArrangement(2027, csv.days).days).toEqual([
      { date: '2027-10-01', type: 'HOLIDAY', name: '国庆节' },
      { date: '2027-10-09', type: 'WORKDAY', name: '国庆节调休' },
    ]);
    expect(validateArrangement(2027, arrangementFromJson({ holidays: ['2027-10-01'], workdays: [] })).days).toEqual([
      { date: '2027-10-01', type: 'HOLIDAY', name: '' },
    ]);
  });

  it.each([
    ['a date outside the year', { holidays: ['2026-10-01'], workdays: [] }, 'holidays[0]', /not in 2027/],
    ['not a real date', { holidays: ['2027-02-30'], workdays: [] }, 'holidays[0]', /YYYY-MM-DD/],
    [
      'a date both a holiday and a working day',
      { holidays: ['2027-10-01', '2027-10-09'], workdays: ['2027-10-09'] },
      'workdays[0]',
      /both/,
    ],
    ['a weekday as an adjusted working day', { holidays: ['2027-10-01'], workdays: ['2027-10-08'] }, 'workdays[0]', /weekday/],
    ['a date listed twice', { holidays: ['2027-10-01', '2027-10-01'], workdays: [] }, 'holidays[1]', /twice/],
    ['no holiday at all', { holidays: [], workdays: ['2027-10-09'] }, 'holidays', /no holiday/],
  ])('refuses %s', (_what, body, field, problem) => {
    const r = validateArrangement(2027, arrangementFromJson(body));
    expect(r.days).toEqual([]);
    expect(r.problems).toContainEqual({ field, problem: expect.stringMatching(problem), problemZh: expect.any(String) });
  });

  it('refuses a year out of range, an unknown type and a CSV without the columns it needs', () => {
    expect(validateArrangement(1999, []).problems[0].field).toBe('year');
    expect(validateArrangement(2027, arrangementFromCsv('date,type\n2027-10-01,vacation\n').days).problems[0]).toMatchObject({
      field: 'row 1',
      problem: expect.stringMatching(/holiday or workday/),
    });
    expect(arrangementFromCsv('day,kind\n2027-10-01,holiday\n').problems.map((p) => p.field)).toEqual(['header', 'header']);
  });
});
