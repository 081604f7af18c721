/**
 * Inquiries, challenges and complaints (询问, 质疑, 投诉; R9.7) on R9.9 terms. All ends are exclusive instants
 * (00:00 Asia/Shanghai after the last day, or an exact offset for SECONDS periods): a challenge is in time while
 * `at < endsAt`. Pure: the calendar and the instants come in as arguments.
 */
import { periodEnd, type PolicyPeriod, type WorkCalendar } from './calendar';
import type { ProcurementParameters } from './policy';

export type ChallengeSubject = 'DOCUMENTS' | 'STEP' | 'RESULT';

/** What fixes the start of a challenge window, per subject (Regs 53). */
export type ChallengeFacts =
  | {
      subject: 'DOCUMENTS';
      /** when the supplier obtained the documents */
      receivedAt: Date;
      /** the end of the documents' announcement (exclusive), when they were announced */
      announcementEndsAt?: Date;
    }
  | { subject: 'STEP'; /** the end of the procedural step challenged */ stepEndedAt: Date }
  | { subject: 'RESULT'; /** the end of the result announcement (exclusive) */ resultAnnouncementEndsAt: Date };

/**
 * A period counted from an instant that may itself be an exclusive period end: 00:00 Shanghai stands for the end
 * of the day before (the day an announcement expired), so counting starts with the day it opens. Other instants
 * count from the next day (R9.9: the event's own day is not counted). SECONDS periods are exact offsets.
 */
function periodAfter(from: Date, period: PolicyPeriod, cal: WorkCalendar): Date {
  return period.unit === 'SECONDS' ? periodEnd(from, period, cal) : periodEnd(new Date(from.getTime() - 1), period, cal);
}

const later = (a: Date, b: Date) => (a.getTime() >= b.getTime() ? a : b);

/**
 * R9.7 (Law 52, Regs 53) the challenge window: it starts, for the documents, at the later of their receipt and the
 * end of their announcement; for a procedural step, at its end; for the result, at the end of the result
 * announcement; it ends challengeWindow (7 working days) later.
 */
export function challengeWindow(facts: ChallengeFacts, params: ProcurementParameters, cal: WorkCalendar): { startsAt: Date; endsAt: Date } {
  let startsAt: Date;
  switch (facts.subject) {
    case 'DOCUMENTS':
      startsAt = facts.announcementEndsAt ? later(facts.receivedAt, facts.announcementEndsAt) : facts.receivedAt;
      break;
    case 'STEP':
      startsAt = facts.stepEndedAt;
      break;
    case 'RESULT':
      startsAt = facts.resultAnnouncementEndsAt;
      break;
    default:
      throw new Error(`challengeWindow: unknown subject ${JSON.stringify((facts as { subject: unknown }).subject)}`);
  }
  return { startsAt, endsAt: periodAfter(startsAt, params.periods.challengeWindow, cal) };
}

/** R9.7 (Regs 52) an inquiry received at `receivedAt` is answered before this instant. */
export function inquiryAnswerDue(receivedAt: Date, params: ProcurementParameters, cal: WorkCalendar): Date {
  return periodEnd(receivedAt, params.periods.inquiryAnswer, cal);
}

/** R9.7 (Law 53) a challenge received at `receivedAt` is answered before this instant. */
export function challengeAnswerDue(receivedAt: Date, params: ProcurementParameters, cal: WorkCalendar): Date {
  return periodEnd(receivedAt, params.periods.challengeAnswer, cal);
}

/** R9.7 (Law 55) a complaint comes within complaintWindow (15 working days) of the challenge answer's deadline. */
export function complaintWindowEnd(answerDue: Date, params: ProcurementParameters, cal: WorkCalendar): Date {
  return periodAfter(answerDue, params.periods.complaintWindow, cal);
}

/** R9.7 (Law 56) the finance department decides a complaint received at `receivedAt` before this instant. */
export function complaintDecisionDue(receivedAt: Date, params: ProcurementParameters, cal: WorkCalendar): Date {
  return periodEnd(receivedAt, params.periods.complaintDecision, cal);
}

/** R9.7 (Law 57) a suspension ordered at `suspendedAt` ends at the latest at this instant. */
export function maxSuspensionEnd(suspendedAt: Date, params: ProcurementParameters, cal: WorkCalendar): Date {
  return periodEnd(suspendedAt, params.periods.maxSuspension, cal);
}

/** R9.6 the end of the result announcement published at `announcedAt` (when a challenge of the result starts). */
export function resultAnnouncementEnd(announcedAt: Date, params: ProcurementParameters, cal: WorkCalendar): Date {
  return periodEnd(announcedAt, params.periods.resultAnnouncement, cal);
}

/**
 * R9.7 (Regs 54) whether a challenge may change the result: one against the result always may; one against the
 * documents or a step may unless the purchaser has assessed that it cannot (`purchaserSaysNoEffect`).
 */
export function challengeMayChangeResult(subject: ChallengeSubject, purchaserSaysNoEffect = false): boolean {
  return subject === 'RESULT' || !purchaserSaysNoEffect;
}

export type ChallengeEffect = 'NONE' | 'STOP_SIGNING' | 'SUSPEND_PERFORMANCE';

/**
 * R9.7 (Regs 54) what an open challenge that may change the result does: it stops the contract being signed,
 * or suspends its performance when it is already signed. Answered challenges, and ones that cannot change the
 * result, do nothing.
 */
export function challengeEffect(challenge: {
  subject: ChallengeSubject;
  open: boolean;
  purchaserSaysNoEffect?: boolean;
  contractSigned: boolean;
}): ChallengeEffect {
  if (!challenge.open || !challengeMayChangeResult(challenge.subject, challenge.purchaserSaysNoEffect)) return 'NONE';
  return challenge.contractSigned ? 'SUSPEND_PERFORMANCE' : 'STOP_SIGNING';
}
