// R9.1, R9.3, R9.4 on R9.9 terms: a competitive selection's dates on the official calendar.
// 2026 in the chinese-days data: Mid-autumn 09-25..09-27 off, National Day 10-01..10-07 off (10-08 is a working
// Thursday), adjusted working days (调休) Sunday 09-20 and Saturday 10-10. All dates fixed; nothing reads today.
import type { ProcurementMethod, ProcurementSchedule } from '../../workflows/contracts/procurement';
import { officialCalendar, type PolicyPeriod } from '../../workflows/domain/calendar';
import { DEFAULT_POLICY, type ProcurementParameters } from '../../workflows/domain/policy';
import {
  clarificationEffect,
  earliestAfter,
  keepingTimeOfDay,
  proposeSchedule,
  scheduleFormatProblems,
  scheduleProblems,
  tenderAnnouncementEnd,
} from '../../workflows/domain/procurement-schedule';

const cal = officialCalendar;
const params = DEFAULT_POLICY.procurement;
/** An instant given in Shanghai local time. */
const sh = (local: string) => new Date(`${local}+08:00`);
const iso = (local: string) => sh(local).toISOString();
const schedule = (documentsFrom: string, documentsUntil: string, responseDeadline: string): ProcurementSchedule => ({
  documentsFrom: iso(documentsFrom),
  documentsUntil: iso(documentsUntil),
  responseDeadline: iso(responseDeadline),
});
const DAY_MS = 86_400_000;
const dayEarlier = (isoInstant: string) => new Date(new Date(isoInstant).getTime() - DAY_MS).toISOString();

describe('R9.9 calendar facts these tests rely on', () => {
  it.each([
    ['2026-09-20', true],
    ['2026-09-25', false],
    ['2026-09-27', false],
    ['2026-09-28', true],
    ['2026-10-01', false],
    ['2026-10-07', false],
    ['2026-10-08', true],
    ['2026-10-10', true],
    ['2026-10-11', false],
  ])('%s working: %p', (date, working) => {
    expect(cal.isWorkingDay(date)).toBe(working);
  });
});

describe(earliestAfter.name, () => {
  it.each<[string, string, PolicyPeriod, string]>([
    ['R9.9 20 days from a Tuesday: the 20th day, at 00:00', '2026-09-01T09:00', { unit: 'DAYS', amount: 20 }, '2026-09-21T00:00'],
    [
      'R9.9 20 days ending in National Day roll to 10-08 (Civil Code 203)',
      '2026-09-15T09:00',
      { unit: 'DAYS', amount: 20 },
      '2026-10-08T00:00',
    ],
    ['R9.9 10 days ending in Mid-autumn roll to Monday 09-28', '2026-09-15T09:00', { unit: 'DAYS', amount: 10 }, '2026-09-28T00:00'],
    ['R9.9 5 working days count the 调休 Saturday 10-10', '2026-09-29T09:00', { unit: 'WORKING_DAYS', amount: 5 }, '2026-10-12T00:00'],
    ['R9.9 5 working days count the 调休 Sunday 09-20', '2026-09-18T09:00', { unit: 'WORKING_DAYS', amount: 5 }, '2026-09-24T00:00'],
    ['R9.9 Shanghai 23:59:59 is still 09-01', '2026-09-01T23:59:59', { unit: 'DAYS', amount: 20 }, '2026-09-21T00:00'],
    ['R9.9 Shanghai 00:00 is already 09-02', '2026-09-02T00:00:00', { unit: 'DAYS', amount: 20 }, '2026-09-22T00:00'],
  ])('%s', (_name, event, period, expected) => {
    expect(earliestAfter(sh(event), period, cal).toISOString()).toBe(iso(expected));
  });

  it('R9.9 without the roll-over a period may end on a holiday', () => {
    expect(earliestAfter(sh('2026-09-15T09:00'), { unit: 'DAYS', amount: 20 }, cal, { rollOverNonWorkingDay: false }).toISOString()).toBe(
      iso('2026-10-05T00:00'),
    );
  });

  it('SECONDS periods are exact offsets (short test policies)', () => {
    expect(earliestAfter(sh('2026-09-01T09:00:00'), { unit: 'SECONDS', amount: 90 }, cal).toISOString()).toBe(iso('2026-09-01T09:01:30'));
  });

  it('a period of 0 is met by the event itself, never before it', () => {
    expect(earliestAfter(sh('2026-09-01T09:00'), { unit: 'DAYS', amount: 0 }, cal).toISOString()).toBe(iso('2026-09-01T09:00'));
  });
});

describe(keepingTimeOfDay.name, () => {
  it('moves to the minimum day at the requested Shanghai time of day', () => {
    expect(keepingTimeOfDay(sh('2026-09-21T00:00'), sh('2026-09-19T09:30')).toISOString()).toBe(iso('2026-09-21T09:30'));
  });
  it('takes the minimum itself when that time of day has passed on its day', () => {
    expect(keepingTimeOfDay(sh('2026-09-02T10:00'), sh('2026-09-01T09:00')).toISOString()).toBe(iso('2026-09-02T10:00'));
  });
  it('keeps a time just before Beijing midnight on the right day (UTC date differs)', () => {
    expect(keepingTimeOfDay(sh('2026-09-21T00:00'), sh('2026-09-01T23:30')).toISOString()).toBe(iso('2026-09-21T23:30'));
  });
  it('an exact minimum is taken as it is', () => {
    expect(keepingTimeOfDay(sh('2026-09-02T10:00'), sh('2026-09-01T15:00'), true).toISOString()).toBe(iso('2026-09-02T10:00'));
  });
});

describe(scheduleProblems.name, () => {
  const publishAt = sh('2026-09-01T09:00');

  it('R9.1 a valid open tender schedule has no problems and is proposed unchanged', () => {
    const s = schedule('2026-09-01T09:00', '2026-09-08T17:00', '2026-09-21T09:30');
    expect(scheduleProblems('OPEN_TENDER', s, publishAt, params, cal)).toEqual([]);
    expect(proposeSchedule('OPEN_TENDER', s, publishAt, params, cal)).toEqual(s);
  });

  it('R9.1 a tender deadline one day short of 20 days is refused and the 20th day proposed', () => {
    const s = schedule('2026-09-01T09:00', '2026-09-08T17:00', '2026-09-20T09:30');
    expect(scheduleProblems('OPEN_TENDER', s, publishAt, params, cal)).toEqual([
      expect.objectContaining({ rule: 'R9.1', field: 'responseDeadline', earliest: iso('2026-09-21T09:30') }),
    ]);
    expect(proposeSchedule('OPEN_TENDER', s, publishAt, params, cal)).toEqual({ ...s, responseDeadline: iso('2026-09-21T09:30') });
  });

  it('R9.1 documents on offer one working day short of 5 (and of the announcement) are refused', () => {
    const s = schedule('2026-09-01T09:00', '2026-09-07T17:00', '2026-09-21T09:30');
    const problems = scheduleProblems('OPEN_TENDER', s, publishAt, params, cal);
    expect(problems.map((p) => [p.rule, p.field, p.earliest])).toEqual([
      ['R9.1', 'documentsUntil', iso('2026-09-08T17:00')],
      ['R9.1', 'documentsUntil', iso('2026-09-08T17:00')],
    ]);
    expect(problems[0].problem).toMatch(/5 working days/);
    expect(problems[1].problemZh).toMatch(/招标公告期限/);
  });

  it('R9.1 the documents may not be issued before the notice; the later dates follow the corrected start', () => {
    const s = schedule('2026-09-01T09:00', '2026-09-08T17:00', '2026-09-21T09:30');
    const lateNotice = sh('2026-09-02T10:00');
    expect(scheduleProblems('OPEN_TENDER', s, lateNotice, params, cal).map((p) => [p.field, p.earliest])).toEqual([
      ['documentsFrom', iso('2026-09-02T10:00')],
      ['documentsUntil', iso('2026-09-09T17:00')],
    ]);
    const proposal = proposeSchedule('OPEN_TENDER', s, lateNotice, params, cal);
    expect(proposal).toEqual(schedule('2026-09-02T10:00', '2026-09-09T17:00', '2026-09-22T09:30'));
    expect(scheduleProblems('OPEN_TENDER', proposal, lateNotice, params, cal)).toEqual([]);
  });

  it('R9.1/R9.9 a deadline whose 20th day falls in National Day moves to 10-08; 10-07 is refused', () => {
    const notice = sh('2026-09-15T09:00');
    const ok = schedule('2026-09-15T09:00', '2026-09-22T17:00', '2026-10-08T09:30');
    expect(scheduleProblems('OPEN_TENDER', ok, notice, params, cal)).toEqual([]);
    const short = { ...ok, responseDeadline: iso('2026-10-07T09:30') };
    expect(scheduleProblems('OPEN_TENDER', short, notice, params, cal)).toEqual([
      expect.objectContaining({ rule: 'R9.1', field: 'responseDeadline', earliest: iso('2026-10-08T09:30') }),
    ]);
  });

  it('R9.4/R9.9 documents on offer 5 working days across National Day end on Monday 10-12, counting the 调休 Saturday', () => {
    const notice = sh('2026-09-29T09:00');
    const s = schedule('2026-09-29T09:00', '2026-10-10T17:00', '2026-10-12T09:00');
    expect(scheduleProblems('COMPETITIVE_CONSULTATION', s, notice, params, cal).map((p) => [p.rule, p.field, p.earliest])).toEqual([
      ['R9.4', 'documentsUntil', iso('2026-10-12T17:00')],
    ]);
    // The deadline was valid as requested but now precedes the documents' end: the proposal moves it too.
    const proposal = proposeSchedule('COMPETITIVE_CONSULTATION', s, notice, params, cal);
    expect(proposal).toEqual(schedule('2026-09-29T09:00', '2026-10-12T17:00', '2026-10-12T17:00'));
    expect(scheduleProblems('COMPETITIVE_CONSULTATION', proposal, notice, params, cal)).toEqual([]);
  });

  it('R9.4 consultation: 10 days to first responses (Mid-autumn rolls the 10th day to Monday 09-28)', () => {
    const notice = sh('2026-09-15T09:00');
    const s = schedule('2026-09-15T09:00', '2026-09-22T17:00', '2026-09-25T09:00');
    expect(scheduleProblems('COMPETITIVE_CONSULTATION', s, notice, params, cal)).toEqual([
      expect.objectContaining({ rule: 'R9.4', field: 'responseDeadline', earliest: iso('2026-09-28T09:00') }),
    ]);
  });

  it('R9.3 negotiation: 3 working days to first responses, no documents period', () => {
    const notice = sh('2026-09-29T09:00');
    // Working days after Tuesday 09-29: 09-30, 10-08, 10-09.
    const ok = schedule('2026-09-29T09:00', '2026-09-29T17:00', '2026-10-09T09:00');
    expect(scheduleProblems('COMPETITIVE_NEGOTIATION', ok, notice, params, cal)).toEqual([]);
    const short = { ...ok, responseDeadline: iso('2026-10-08T09:00') };
    expect(scheduleProblems('COMPETITIVE_NEGOTIATION', short, notice, params, cal)).toEqual([
      expect.objectContaining({ rule: 'R9.3', field: 'responseDeadline', earliest: iso('2026-10-09T09:00') }),
    ]);
  });

  it.each<[ProcurementMethod, string]>([
    ['OPEN_TENDER', '2026-09-21T09:30'],
    ['COMPETITIVE_NEGOTIATION', '2026-09-04T09:30'],
    ['COMPETITIVE_CONSULTATION', '2026-09-11T09:30'],
  ])('R9.1/R9.3/R9.4 %s minimum from documents issued Tuesday 09-01: %s', (method, earliest) => {
    const s = schedule('2026-09-01T09:00', '2026-09-01T09:00', '2026-09-01T09:30');
    const proposal = proposeSchedule(method, s, publishAt, params, cal);
    expect(proposal.responseDeadline).toBe(iso(earliest));
    expect(scheduleProblems(method, proposal, publishAt, params, cal)).toEqual([]);
    // The earliest: one day less is refused.
    const oneDayLess = { ...proposal, responseDeadline: dayEarlier(proposal.responseDeadline) };
    expect(scheduleProblems(method, oneDayLess, publishAt, params, cal).map((p) => p.field)).toContain('responseDeadline');
  });

  it('R9.3 the documents cannot stop before they start, nor after the deadline', () => {
    const s = schedule('2026-09-01T09:00', '2026-08-31T17:00', '2026-09-04T09:30');
    expect(scheduleProblems('COMPETITIVE_NEGOTIATION', s, publishAt, params, cal).map((p) => [p.field, p.earliest])).toEqual([
      ['documentsUntil', iso('2026-09-01T09:00')],
    ]);
    const after = schedule('2026-09-01T09:00', '2026-09-05T17:00', '2026-09-04T09:30');
    expect(scheduleProblems('COMPETITIVE_NEGOTIATION', after, publishAt, params, cal).map((p) => [p.field, p.earliest])).toEqual([
      ['responseDeadline', iso('2026-09-05T17:00')],
    ]);
  });

  it('R9.9 Beijing midnight: documents from 23:59:59 count from 09-02, from 00:00 the next day from 09-03', () => {
    const late = schedule('2026-09-01T23:59:59', '2026-09-08T23:59:59', '2026-09-21T00:00:00');
    expect(scheduleProblems('OPEN_TENDER', late, publishAt, params, cal)).toEqual([]);
    const midnight = { ...late, documentsFrom: iso('2026-09-02T00:00:00'), documentsUntil: iso('2026-09-09T00:00:00') };
    expect(scheduleProblems('OPEN_TENDER', midnight, publishAt, params, cal)).toEqual([
      expect.objectContaining({ field: 'responseDeadline', earliest: iso('2026-09-22T00:00:00') }),
    ]);
    const secondBefore = { ...late, responseDeadline: iso('2026-09-20T23:59:59') };
    expect(scheduleProblems('OPEN_TENDER', secondBefore, publishAt, params, cal)).toEqual([
      expect.objectContaining({ field: 'responseDeadline', earliest: iso('2026-09-21T23:59:59') }),
    ]);
  });

  it('proposals are the earliest: each moved field one day earlier is refused again', () => {
    const notice = sh('2026-09-16T14:00');
    const s = schedule('2026-09-15T09:00', '2026-09-16T17:00', '2026-09-30T09:30');
    const proposal = proposeSchedule('OPEN_TENDER', s, notice, params, cal);
    // 5 working days after Wednesday 09-16: 09-17, 09-18, 09-20 (调休 Sunday), 09-21, 09-22; 20 days: 10-06, in National Day.
    expect(proposal).toEqual(schedule('2026-09-16T14:00', '2026-09-22T17:00', '2026-10-08T09:30'));
    expect(scheduleProblems('OPEN_TENDER', proposal, notice, params, cal)).toEqual([]);
    for (const field of ['documentsUntil', 'responseDeadline'] as const) {
      const earlier = { ...proposal, [field]: dayEarlier(proposal[field]) };
      expect(scheduleProblems('OPEN_TENDER', earlier, notice, params, cal).map((p) => p.field)).toContain(field);
    }
  });

  it('SECONDS periods (short test policies) are exact', () => {
    const seconds = (amount: number): PolicyPeriod => ({ unit: 'SECONDS', amount });
    const fast: ProcurementParameters = {
      ...params,
      tenderAnnouncement: seconds(20),
      minResponsePeriod: { OPEN_TENDER: seconds(60), COMPETITIVE_NEGOTIATION: seconds(30), COMPETITIVE_CONSULTATION: seconds(40) },
      minDocumentsPeriod: { OPEN_TENDER: seconds(30), COMPETITIVE_NEGOTIATION: null, COMPETITIVE_CONSULTATION: seconds(30) },
    };
    const s = schedule('2026-09-01T09:00:00', '2026-09-01T09:00:10', '2026-09-01T09:00:30');
    expect(scheduleProblems('OPEN_TENDER', s, publishAt, fast, cal).map((p) => [p.field, p.earliest])).toEqual([
      ['documentsUntil', iso('2026-09-01T09:00:30')],
      ['documentsUntil', iso('2026-09-01T09:00:30')],
      ['responseDeadline', iso('2026-09-01T09:01:00')],
    ]);
    expect(proposeSchedule('OPEN_TENDER', s, publishAt, fast, cal)).toEqual(
      schedule('2026-09-01T09:00:00', '2026-09-01T09:00:30', '2026-09-01T09:01:00'),
    );
  });

  it('throws on a malformed instant; scheduleFormatProblems names the field in both languages', () => {
    const bad = { documentsFrom: '2026-09-01', documentsUntil: iso('2026-09-08T17:00'), responseDeadline: 'soon' };
    expect(() => scheduleProblems('OPEN_TENDER', bad, publishAt, params, cal)).toThrow(/documentsFrom/);
    expect(scheduleFormatProblems(bad).map((p) => p.field)).toEqual(['schedule.documentsFrom', 'schedule.responseDeadline']);
    expect(scheduleFormatProblems(undefined)).toHaveLength(3);
    expect(scheduleFormatProblems(schedule('2026-09-01T09:00', '2026-09-08T17:00', '2026-09-21T09:30'))).toEqual([]);
  });
});

describe(clarificationEffect.name, () => {
  const deadline = iso('2026-09-21T09:30');

  it('R9.1 (Regs 31) a clarification 15 days before the tender deadline leaves it', () => {
    expect(clarificationEffect('OPEN_TENDER', sh('2026-09-06T16:00'), deadline, params, cal)).toEqual({
      moves: false,
      newDeadline: deadline,
      rule: 'R9.1',
    });
  });

  it('R9.1 (Regs 31) one day later moves the deadline a day, same time of day', () => {
    expect(clarificationEffect('OPEN_TENDER', sh('2026-09-07T08:00'), deadline, params, cal)).toEqual({
      moves: true,
      newDeadline: iso('2026-09-22T09:30'),
      rule: 'R9.1',
    });
  });

  it('R9.1/R9.9 a moved deadline whose 15th day is in National Day lands on 10-08', () => {
    expect(clarificationEffect('OPEN_TENDER', sh('2026-09-20T10:00'), iso('2026-09-30T09:30'), params, cal).newDeadline).toBe(
      iso('2026-10-08T09:30'),
    );
  });

  it('R9.3 negotiation: 3 working days, the 调休 Saturday 10-10 counts', () => {
    expect(clarificationEffect('COMPETITIVE_NEGOTIATION', sh('2026-10-09T10:00'), iso('2026-10-12T09:00'), params, cal)).toEqual({
      moves: true,
      newDeadline: iso('2026-10-13T09:00'),
      rule: 'R9.3',
    });
    expect(clarificationEffect('COMPETITIVE_NEGOTIATION', sh('2026-10-08T10:00'), iso('2026-10-12T09:00'), params, cal).moves).toBe(false);
  });

  it('R9.4 consultation: 5 days', () => {
    expect(clarificationEffect('COMPETITIVE_CONSULTATION', sh('2026-09-07T10:00'), iso('2026-09-11T09:30'), params, cal)).toEqual({
      moves: true,
      newDeadline: iso('2026-09-14T09:30'),
      rule: 'R9.4',
    });
  });

  it('SECONDS leads are exact', () => {
    const fast = { ...params, clarificationLead: { ...params.clarificationLead, OPEN_TENDER: { unit: 'SECONDS' as const, amount: 30 } } };
    expect(clarificationEffect('OPEN_TENDER', sh('2026-09-01T09:00:00'), iso('2026-09-01T09:00:20'), fast, cal).newDeadline).toBe(
      iso('2026-09-01T09:00:30'),
    );
  });
});

describe(tenderAnnouncementEnd.name, () => {
  it('R9.1 5 working days from Friday 09-18 (调休 Sunday counts) end at 00:00 of 09-25', () => {
    expect(tenderAnnouncementEnd(sh('2026-09-18T09:00'), params, cal).toISOString()).toBe(iso('2026-09-25T00:00'));
  });
});
