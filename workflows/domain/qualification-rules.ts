// Validity of a qualification (R2.3) from the policy in force when it was granted.
import { periodEnd, type PolicyPeriod, type WorkCalendar } from './calendar';
import type { PolicyParameters } from './policy';

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
