/**
 * Anomaly rules (稽查线索, issue 10 item 1): patterns in rosters and claims that suggest false training
 * (R7.3). Each rule turns facts read in one set-based query (repositories/anomaly.repository.ts) into findings; a finding
 * becomes a proposal an inspector reads. The rules only propose: they decide nothing about a person, a claim
 * or an institution (个人信息保护法 art. 24), and no claim or roster outcome depends on them.
 *
 * Pure: dates are ISO 'YYYY-MM-DD' calendar dates (China time), thresholds come from the policy.
 */
import type { AnomalyParameters } from './policy';

export const ANOMALY_RULES = [
  'OVERLAPPING_CLASSES',
  'REPEATED_TRAINING',
  'CERTIFICATE_DATE',
  'ALLOWANCE_DAYS',
  'OVER_CAPACITY',
  'SHARED_PHONE',
] as const;
export type AnomalyRule = (typeof ANOMALY_RULES)[number];

/** What a rule found: `subject` names the thing (a class, a pair of classes or claims), `matched` the rows. */
export interface AnomalyFinding {
  rule: AnomalyRule;
  subject: string;
  /** ids of the rows the rule matched (enrolments, claim lines): with rule and subject, what makes it one anomaly */
  matched: string[];
  /** what the rule saw: ids and the values compared, never a resident ID, phone numbers masked */
  seen: Record<string, unknown>;
}

export interface DateRange {
  startDate: string;
  endDate: string;
}

/** Two trainings overlap when they share at least one calendar day (both ends included). */
export function datesOverlap(a: DateRange, b: DateRange): boolean {
  return a.startDate <= b.endDate && b.startDate <= a.endDate;
}

// ---------------------------------------------------------------------------------------------------
// (a) one person in two classes whose dates overlap (R5.1: a person cannot attend two trainings at once)
// ---------------------------------------------------------------------------------------------------

export interface OtherEnrolment {
  enrolmentId: string;
  traineeId: string;
  otherEnrolmentId: string;
  otherClassId: string;
  otherInstitutionId: string;
  otherStartDate: string;
  otherEndDate: string;
}

/** One finding per other class sharing days with this one, naming the people enrolled in both. */
export function overlappingClasses(cls: DateRange & { classId: string }, others: OtherEnrolment[]): AnomalyFinding[] {
  const byClass = new Map<string, OtherEnrolment[]>();
  for (const o of others) {
    if (o.otherClassId === cls.classId) continue;
    if (!datesOverlap(cls, { startDate: o.otherStartDate, endDate: o.otherEndDate })) continue;
    byClass.set(o.otherClassId, [...(byClass.get(o.otherClassId) ?? []), o]);
  }
  return [...byClass].map(([otherClassId, rows]) => {
    const pair = [cls.classId, otherClassId].sort();
    return {
      rule: 'OVERLAPPING_CLASSES',
      subject: pair.join('+'),
      matched: rows.flatMap((r) => [r.enrolmentId, r.otherEnrolmentId]),
      seen: {
        classId: cls.classId,
        dates: { startDate: cls.startDate, endDate: cls.endDate },
        otherClassId,
        otherInstitutionId: rows[0].otherInstitutionId,
        otherDates: { startDate: rows[0].otherStartDate, endDate: rows[0].otherEndDate },
        people: rows.map((r) => ({ traineeId: r.traineeId, enrolmentId: r.enrolmentId, otherEnrolmentId: r.otherEnrolmentId })),
      },
    };
  });
}

// ---------------------------------------------------------------------------------------------------
// (b) the same person, occupation and level claimed again anywhere in the province (R5.2)
// ---------------------------------------------------------------------------------------------------

export interface EarlierTrainingLine {
  lineId: string;
  traineeId: string;
  otherLineId: string;
  otherClaimId: string;
  otherClassId: string;
  otherInstitutionId: string;
  otherRegionCode: string;
  otherOccupationCode: string;
  otherLevel: number;
  otherLineStatus: string;
}

/**
 * One finding per other claim with a training line for the same person at the same occupation and level in
 * another class (a line a reviewer rejected does not count: that claim was refused, not paid twice).
 */
export function repeatedTraining(
  claim: { claimId: string; classId: string; occupationCode: string; level: number },
  lines: EarlierTrainingLine[],
): AnomalyFinding[] {
  const byClaim = new Map<string, EarlierTrainingLine[]>();
  for (const l of lines) {
    if (l.otherClaimId === claim.claimId || l.otherClassId === claim.classId || l.otherLineStatus === 'REJECTED') continue;
    if (l.otherOccupationCode !== claim.occupationCode || l.otherLevel !== claim.level) continue;
    byClaim.set(l.otherClaimId, [...(byClaim.get(l.otherClaimId) ?? []), l]);
  }
  return [...byClaim].map(([otherClaimId, rows]) => ({
    rule: 'REPEATED_TRAINING',
    subject: [claim.claimId, otherClaimId].sort().join('+'),
    matched: rows.flatMap((r) => [r.lineId, r.otherLineId]),
    seen: {
      claimId: claim.claimId,
      classId: claim.classId,
      occupationCode: claim.occupationCode,
      level: claim.level,
      otherClaimId,
      otherClassId: rows[0].otherClassId,
      otherInstitutionId: rows[0].otherInstitutionId,
      otherRegionCode: rows[0].otherRegionCode,
      people: rows.map((r) => ({
        traineeId: r.traineeId,
        lineId: r.lineId,
        otherLineId: r.otherLineId,
        otherLineStatus: r.otherLineStatus,
      })),
    },
  }));
}

// ---------------------------------------------------------------------------------------------------
// (c) a certificate dated before its class began, or after a claim line was made for it (R4.4, R5.3)
// ---------------------------------------------------------------------------------------------------

export interface CertificateFacts {
  enrolmentId: string;
  traineeId: string;
  certificateDate: string | null;
  /** the China-time date of the earliest certificate claim with a line for this enrolment; null: none */
  firstClaimedOn: string | null;
}

export type CertificateDateProblem = 'BEFORE_CLASS' | 'AFTER_CLAIM';

export function certificateDateProblem(classStart: string, c: CertificateFacts): CertificateDateProblem | null {
  if (!c.certificateDate) return null;
  if (c.certificateDate < classStart) return 'BEFORE_CLASS';
  if (c.firstClaimedOn !== null && c.certificateDate > c.firstClaimedOn) return 'AFTER_CLAIM';
  return null;
}

export function certificateDates(cls: { classId: string; startDate: string }, rows: CertificateFacts[]): AnomalyFinding[] {
  const found = rows.flatMap((r) => {
    const problem = certificateDateProblem(cls.startDate, r);
    return problem ? [{ ...r, problem }] : [];
  });
  if (found.length === 0) return [];
  return [
    {
      rule: 'CERTIFICATE_DATE',
      subject: cls.classId,
      matched: found.map((r) => r.enrolmentId),
      seen: { classId: cls.classId, classStartDate: cls.startDate, people: found },
    },
  ];
}

// ---------------------------------------------------------------------------------------------------
// (d) allowance days above the class's training days (R4.3: allowance days ≤ days attended ≤ training days)
// ---------------------------------------------------------------------------------------------------

export interface AllowanceFacts {
  enrolmentId: string;
  traineeId: string;
  daysAttended: number | null;
  /** calendar days of this class an allowance was granted for (AllowanceDay rows) */
  allowanceDays: number;
}

export function allowanceDays(cls: { classId: string; trainingDays: number }, rows: AllowanceFacts[]): AnomalyFinding[] {
  const found = rows.filter((r) => (r.daysAttended ?? 0) > cls.trainingDays || r.allowanceDays > cls.trainingDays);
  if (found.length === 0) return [];
  return [
    {
      rule: 'ALLOWANCE_DAYS',
      subject: cls.classId,
      matched: found.map((r) => r.enrolmentId),
      seen: { classId: cls.classId, trainingDays: cls.trainingDays, people: found },
    },
  ];
}

// ---------------------------------------------------------------------------------------------------
// (e) more trainees than the class's size cap (R10.4) or the institution's capacity (R2.1 filing, R2.4 lot)
// ---------------------------------------------------------------------------------------------------

export interface CapacityFacts {
  classId: string;
  /** people on this class's roster */
  enrolled: number;
  /** R2.1 the capacity the approved filing declared (trainees at a time); null: not a filing, or none */
  filedCapacity: number | null;
  /** the most people on the institution's rosters on any one day of this class */
  peakConcurrent: number;
  /** R2.4 the procured lot's trainees; null: not a lot */
  lotCapacity: number | null;
  /** people on the rosters of every class under the lot */
  lotEnrolled: number;
}

export interface CapacityBreach {
  limit: 'CLASS_SIZE' | 'FILED_CAPACITY' | 'LOT_CAPACITY';
  allowed: number;
  counted: number;
}

export function capacityBreaches(f: CapacityFacts, p: Pick<AnomalyParameters, 'maxClassSize'>): CapacityBreach[] {
  const out: CapacityBreach[] = [];
  if (p.maxClassSize !== null && f.enrolled > p.maxClassSize)
    out.push({ limit: 'CLASS_SIZE', allowed: p.maxClassSize, counted: f.enrolled });
  if (f.filedCapacity !== null && f.peakConcurrent > f.filedCapacity)
    out.push({ limit: 'FILED_CAPACITY', allowed: f.filedCapacity, counted: f.peakConcurrent });
  if (f.lotCapacity !== null && f.lotEnrolled > f.lotCapacity)
    out.push({ limit: 'LOT_CAPACITY', allowed: f.lotCapacity, counted: f.lotEnrolled });
  return out;
}

/** One finding per limit broken; the same count over the same limit is one anomaly. */
export function overCapacity(f: CapacityFacts, p: Pick<AnomalyParameters, 'maxClassSize'>): AnomalyFinding[] {
  return capacityBreaches(f, p).map((b) => ({
    rule: 'OVER_CAPACITY',
    subject: `${f.classId}:${b.limit}`,
    matched: [`${b.allowed}<${b.counted}`],
    seen: { classId: f.classId, ...b },
  }));
}

// ---------------------------------------------------------------------------------------------------
// (f) K or more trainees of one class sharing a phone number (R7.3 real persons; K a policy parameter)
// ---------------------------------------------------------------------------------------------------

/**
 * A roster's phone cell as digits, or undefined when it is not a phone number: a mainland mobile (11 digits
 * from 1) or a landline with its area code (0 and 9–11 more digits); +86/0086, spaces, '-' and brackets dropped.
 */
export function phoneDigits(raw: string): string | undefined {
  const d = raw.replace(/[\s\-()（）]/g, '').replace(/^(\+86|0086)/, '');
  return /^1\d{10}$/.test(d) || /^0\d{9,11}$/.test(d) ? d : undefined;
}

/** A phone number as an inspector's record may show it: the last four digits only (R7.9 never publishes it). */
export function maskPhone(digits: string): string {
  return '*'.repeat(Math.max(digits.length - 4, 0)) + digits.slice(-4);
}

export interface PhoneFacts {
  enrolmentId: string;
  traineeId: string;
  phone: string;
}

export function sharedPhones(cls: { classId: string }, rows: PhoneFacts[], p: Pick<AnomalyParameters, 'sharedPhoneThreshold'>) {
  const byPhone = new Map<string, PhoneFacts[]>();
  for (const r of rows) byPhone.set(r.phone, [...(byPhone.get(r.phone) ?? []), r]);
  return [...byPhone]
    .filter(([, group]) => group.length >= p.sharedPhoneThreshold)
    .map(([phone, group]): AnomalyFinding => ({
      rule: 'SHARED_PHONE',
      subject: cls.classId,
      matched: group.map((r) => r.enrolmentId),
      seen: {
        classId: cls.classId,
        phone: maskPhone(phone),
        threshold: p.sharedPhoneThreshold,
        people: group.map((r) => ({ traineeId: r.traineeId, enrolmentId: r.enrolmentId })),
      },
    }));
}
