// Validity of a qualification (R2.3) from the policy in force when it was granted.
import { periodEnd, shanghaiDate, type PolicyPeriod, type WorkCalendar } from './calendar';
import type { PolicyParameters } from './policy';
import { isRegionCode, regionCovers, regionLevel } from './region';

const DAY_MS = 24 * 60 * 60 * 1000;

export interface Validity {
  validFrom: string;
  validTo: string;
  reminderAt: string;
}

/** Valid from the grant until the end of the validity period (no holiday roll-over: it is not a deadline). */
export function qualificationValidity(grantedAt: Date, policy: PolicyParameters, cal: WorkCalendar): Validity {
  const validTo = periodEnd(grantedAt, policy.qualification.validity, cal, { rollOverNonWorkingDay: false });
  const reminderAt = new Date(Math.max(grantedAt.getTime(), validTo.getTime() - leadMillis(policy.qualification.expiryReminderLead)));
  return { validFrom: grantedAt.toISOString(), validTo: validTo.toISOString(), reminderAt: reminderAt.toISOString() };
}

function leadMillis(lead: PolicyPeriod): number {
  if (lead.unit === 'SECONDS') return lead.amount * 1000;
  if (lead.unit === 'DAYS') return lead.amount * DAY_MS;
  throw new Error(`expiryReminderLead must be in SECONDS or DAYS, got ${lead.unit}`);
}

/** What R2.3 needs of a qualification: its instants, status and scope. */
export interface QualificationCoverFacts {
  status: 'ACTIVE' | 'SUSPENDED' | 'REVOKED' | 'EXPIRED';
  validFrom: Date;
  /** exclusive: 00:00 Asia/Shanghai of the day after the last valid day */
  validTo: Date;
  /** when it was suspended, if it is */
  suspendedAt?: Date | null;
  scope: { occupationCode: string; levels: number[] }[];
}

/** The training a class delivers: calendar dates in China time (ISO). */
export interface TrainingDates {
  occupationCode: string;
  level: number;
  startDate: string;
  endDate: string;
}

/**
 * The first and last calendar days (Asia/Shanghai) on which a qualification is valid (R2.3). The grant day
 * counts whatever the hour of the grant; `validTo` is exclusive, so the last day is the one before it.
 */
export function validDays(q: Pick<QualificationCoverFacts, 'validFrom' | 'validTo'>): { firstDay: string; lastDay: string } {
  return { firstDay: shanghaiDate(q.validFrom), lastDay: shanghaiDate(new Date(q.validTo.getTime() - 1)) };
}

export type CoverProblem =
  | { kind: 'STATUS'; status: string }
  | { kind: 'BEFORE_VALIDITY'; firstDay: string }
  | { kind: 'AFTER_VALIDITY'; lastDay: string }
  | { kind: 'OUT_OF_SCOPE'; field: 'occupationCode' | 'level' };

/**
 * Why a qualification does not cover a class's training (R2.3), or null. The qualification must be valid
 * on every day of the training, as calendar dates in China time.
 *
 * - `opening` (a new class): the qualification must be ACTIVE now.
 * - claiming: what counts is validity over the training dates, not the claim date. Training done while the
 *   qualification was valid stays claimable after it expires, or after a suspension if the training ended
 *   by the day of the suspension; a revocation (R7.4, fraud) ends every claim.
 */
export function coverProblem(q: QualificationCoverFacts, t: TrainingDates, mode: 'opening' | 'claiming'): CoverProblem | null {
  if (mode === 'opening' ? q.status !== 'ACTIVE' : q.status === 'REVOKED') return { kind: 'STATUS', status: q.status };
  const { firstDay, lastDay: expiryDay } = validDays(q);
  const lastDay =
    mode === 'claiming' && q.status === 'SUSPENDED' && q.suspendedAt ? minDay(expiryDay, shanghaiDate(q.suspendedAt)) : expiryDay;
  if (t.startDate < firstDay) return { kind: 'BEFORE_VALIDITY', firstDay };
  if (t.endDate > lastDay) return { kind: 'AFTER_VALIDITY', lastDay };
  const item = q.scope.find((s) => s.occupationCode === t.occupationCode);
  if (!item) return { kind: 'OUT_OF_SCOPE', field: 'occupationCode' };
  if (!item.levels.includes(t.level)) return { kind: 'OUT_OF_SCOPE', field: 'level' };
  return null;
}

const minDay = (a: string, b: string) => (a < b ? a : b);

/**
 * A class runs within the city of the institution's qualification (R2.3, R7.1): the city's special account
 * pays it and the city's reviewers decide it, so the institution cannot choose another city's fund.
 */
export function classRegionAllowed(qualificationRegion: string, classRegion: string): boolean {
  return (
    isRegionCode(qualificationRegion) &&
    regionLevel(qualificationRegion) !== 'province' &&
    regionCovers(`${qualificationRegion.slice(0, 4)}00`, classRegion)
  );
}

/**
 * A claim is for training that is over (R6.1): the class's last day (China time) is before today's date in
 * China time at `now`.
 */
export function trainingFinished(endDate: string, now: Date): boolean {
  return endDate < shanghaiDate(now);
}
