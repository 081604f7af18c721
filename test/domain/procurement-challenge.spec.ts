// R9.7 on R9.9 terms: inquiries, challenges and complaints. 2026: Mid-autumn 09-25..09-27 and National Day
// 10-01..10-07 off; adjusted working days (调休) Sunday 09-20 and Saturday 10-10.
import { officialCalendar } from '../../workflows/domain/calendar';
import { DEFAULT_POLICY, type ProcurementParameters } from '../../workflows/domain/policy';
import {
  challengeAnswerDue,
  challengeEffect,
  challengeMayChangeResult,
  challengeWindow,
  complaintDecisionDue,
  complaintWindowEnd,
  inquiryAnswerDue,
  maxSuspensionEnd,
  resultAnnouncementEnd,
  type ChallengeSubject,
} from '../../workflows/domain/procurement-challenge';
import { tenderAnnouncementEnd } from '../../workflows/domain/procurement-schedule';

const cal = officialCalendar;
const params = DEFAULT_POLICY.procurement;
const sh = (local: string) => new Date(`${local}+08:00`);
const iso = (local: string) => sh(local).toISOString();

describe(challengeWindow.name, () => {
  it('R9.7 result: 7 working days from the end of the result announcement, across National Day and the 调休 Saturday', () => {
    const announcementEnd = resultAnnouncementEnd(sh('2026-09-29T10:00'), params, cal);
    expect(announcementEnd.toISOString()).toBe(iso('2026-10-01T00:00')); // 1 working day: 09-30
    const w = challengeWindow({ subject: 'RESULT', resultAnnouncementEndsAt: announcementEnd }, params, cal);
    // 10-08, 10-09, 10-10 (调休), 10-12, 10-13, 10-14, 10-15
    expect([w.startsAt.toISOString(), w.endsAt.toISOString()]).toEqual([iso('2026-10-01T00:00'), iso('2026-10-16T00:00')]);
  });

  it('R9.7 documents received during their announcement: counted from the day after the announcement ends', () => {
    const announcementEnd = tenderAnnouncementEnd(sh('2026-09-01T09:00'), params, cal); // last day 09-08
    const w = challengeWindow(
      { subject: 'DOCUMENTS', receivedAt: sh('2026-09-02T10:00'), announcementEndsAt: announcementEnd },
      params,
      cal,
    );
    // 09-09 … 09-17
    expect([w.startsAt.toISOString(), w.endsAt.toISOString()]).toEqual([iso('2026-09-09T00:00'), iso('2026-09-18T00:00')]);
  });

  it('R9.7 documents received after the announcement: counted from the day after receipt (the 调休 Sunday counts)', () => {
    const announcementEnd = tenderAnnouncementEnd(sh('2026-09-01T09:00'), params, cal);
    const w = challengeWindow(
      { subject: 'DOCUMENTS', receivedAt: sh('2026-09-10T15:00'), announcementEndsAt: announcementEnd },
      params,
      cal,
    );
    // 09-11, 09-14 … 09-18, 09-20 (调休)
    expect([w.startsAt.toISOString(), w.endsAt.toISOString()]).toEqual([iso('2026-09-10T15:00'), iso('2026-09-21T00:00')]);
  });

  it('R9.7 documents with no announcement: from receipt', () => {
    expect(challengeWindow({ subject: 'DOCUMENTS', receivedAt: sh('2026-09-10T15:00') }, params, cal).endsAt.toISOString()).toBe(
      iso('2026-09-21T00:00'),
    );
  });

  it('R9.7 a procedural step: from its end (the 调休 Saturday 10-10 is the first day)', () => {
    const w = challengeWindow({ subject: 'STEP', stepEndedAt: sh('2026-10-09T16:00') }, params, cal);
    expect(w.endsAt.toISOString()).toBe(iso('2026-10-20T00:00'));
  });

  it('R9.9 Beijing midnight: a step ending at 00:00 ended with the day before; one second later counts from the next day', () => {
    const atMidnight = challengeWindow({ subject: 'STEP', stepEndedAt: sh('2026-09-15T00:00:00') }, params, cal);
    const justBefore = challengeWindow({ subject: 'STEP', stepEndedAt: sh('2026-09-14T23:59:59') }, params, cal);
    const justAfter = challengeWindow({ subject: 'STEP', stepEndedAt: sh('2026-09-15T00:00:01') }, params, cal);
    // From 09-15: 15, 16, 17, 18, 20 (调休), 21, 22; from 09-16: … 23, 24
    expect(atMidnight.endsAt.toISOString()).toBe(iso('2026-09-23T00:00'));
    expect(justBefore.endsAt.toISOString()).toBe(iso('2026-09-23T00:00'));
    expect(justAfter.endsAt.toISOString()).toBe(iso('2026-09-24T00:00'));
  });

  it('SECONDS windows (short test policies) are exact offsets', () => {
    const fast: ProcurementParameters = { ...params, periods: { ...params.periods, challengeWindow: { unit: 'SECONDS', amount: 60 } } };
    expect(challengeWindow({ subject: 'STEP', stepEndedAt: sh('2026-09-15T10:00:00') }, fast, cal).endsAt.toISOString()).toBe(
      iso('2026-09-15T10:01:00'),
    );
  });
});

describe('R9.7 answer and complaint deadlines', () => {
  it('R9.7 (Regs 52) an inquiry on 09-30 is answered within 3 working days: 10-08, 10-09, 10-10 (调休)', () => {
    expect(inquiryAnswerDue(sh('2026-09-30T10:00'), params, cal).toISOString()).toBe(iso('2026-10-11T00:00'));
  });

  it('R9.7 (Law 53) a challenge received before Mid-autumn is answered within 7 working days', () => {
    // 09-28, 09-29, 09-30, 10-08, 10-09, 10-10, 10-12
    expect(challengeAnswerDue(sh('2026-09-24T10:00'), params, cal).toISOString()).toBe(iso('2026-10-13T00:00'));
  });

  it('R9.7 (Law 55) a complaint comes within 15 working days after the answer deadline', () => {
    const answerDue = challengeAnswerDue(sh('2026-09-24T10:00'), params, cal);
    // The answer period expired on 10-12; 10-13 … 11-02 are 15 working days.
    expect(complaintWindowEnd(answerDue, params, cal).toISOString()).toBe(iso('2026-11-03T00:00'));
  });

  it('R9.7 (Law 56) the complaint is decided within 30 working days', () => {
    expect(complaintDecisionDue(sh('2026-11-02T10:00'), params, cal).toISOString()).toBe(iso('2026-12-15T00:00'));
  });

  it('R9.7/R9.9 a suspension of at most 30 days whose last day is in National Day runs to 10-08', () => {
    expect(maxSuspensionEnd(sh('2026-09-05T10:00'), params, cal).toISOString()).toBe(iso('2026-10-09T00:00'));
  });
});

describe(challengeMayChangeResult.name, () => {
  it.each<[ChallengeSubject, boolean, boolean]>([
    ['RESULT', false, true],
    ['RESULT', true, true],
    ['STEP', false, true],
    ['STEP', true, false],
    ['DOCUMENTS', false, true],
    ['DOCUMENTS', true, false],
  ])('R9.7 (Regs 54) %s, purchaser says no effect: %p → %p', (subject, noEffect, expected) => {
    expect(challengeMayChangeResult(subject, noEffect)).toBe(expected);
  });
});

describe(challengeEffect.name, () => {
  it('R9.7 (Regs 54) an open challenge of the result stops signing, or suspends a signed contract', () => {
    expect(challengeEffect({ subject: 'RESULT', open: true, contractSigned: false })).toBe('STOP_SIGNING');
    expect(challengeEffect({ subject: 'RESULT', open: true, contractSigned: true })).toBe('SUSPEND_PERFORMANCE');
  });
  it('R9.7 an answered challenge, or one the purchaser found without effect, does nothing', () => {
    expect(challengeEffect({ subject: 'RESULT', open: false, contractSigned: false })).toBe('NONE');
    expect(challengeEffect({ subject: 'STEP', open: true, purchaserSaysNoEffect: true, contractSigned: false })).toBe('NONE');
  });
});
