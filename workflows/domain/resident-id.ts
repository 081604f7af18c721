/**
 * Resident identity number (公民身份号码), GB 11643-1999, 18 characters:
 *   1–6 region code (GB/T 2260), 7–14 birth date YYYYMMDD, 15–17 sequence (odd = male), 18 check char.
 *
 * R5.4: training is recorded in the real-name system (实名制), every trainee identified by resident ID.
 * R10.2: published lists show IDs masked — see maskResidentId.
 *
 * Privacy: nothing here ever puts an ID number into an error message or result.
 */
import { isProvincePrefix } from './region';

const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2] as const;
/** Check characters indexed by Σ digit·weight mod 11 ('X' stands for 10). */
const CHECK_MAP = '10X98765432';
/** Earliest birth date we accept: older dates are data-entry errors for a training programme. */
const EARLIEST_BIRTH = '19000101';

export type ResidentIdProblem = 'FORMAT' | 'REGION' | 'BIRTH_DATE' | 'CHECK_DIGIT';
export type ResidentIdResult = { ok: true } | { ok: false; problem: ResidentIdProblem };

/** True iff y-m-d is a real Gregorian date. */
function isRealDate(y: number, m: number, d: number): boolean {
  if (m < 1 || m > 12 || d < 1) return false;
  const leap = (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
  const days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][m - 1];
  return d <= days;
}

/** Check digit for the first 17 digits. Throws (without echoing input) on malformed input. */
export function computeResidentIdCheckDigit(first17: string): string {
  if (typeof first17 !== 'string' || !/^[0-9]{17}$/.test(first17)) {
    throw new Error('computeResidentIdCheckDigit: expected exactly 17 digits');
  }
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(first17[i]) * WEIGHTS[i];
  return CHECK_MAP[sum % 11];
}

/**
 * Validates an 18-character resident ID. `today` (ISO 'YYYY-MM-DD', Asia/Shanghai) is passed in rather
 * than read from a clock so the check is deterministic inside workflows.
 * Only uppercase 'X' is accepted; callers normalise input.
 */
export function validateResidentId(id: string, today: string): ResidentIdResult {
  const t = /^([0-9]{4})-([0-9]{2})-([0-9]{2})$/.exec(typeof today === 'string' ? today : '');
  if (!t || !isRealDate(Number(t[1]), Number(t[2]), Number(t[3]))) {
    throw new Error('validateResidentId: today must be an ISO date YYYY-MM-DD');
  }
  if (typeof id !== 'string' || !/^[0-9]{17}[0-9X]$/.test(id)) {
    return { ok: false, problem: 'FORMAT' };
  }
  if (!isProvincePrefix(id.slice(0, 2))) {
    return { ok: false, problem: 'REGION' };
  }
  const birth = id.slice(6, 14);
  const y = Number(birth.slice(0, 4));
  const m = Number(birth.slice(4, 6));
  const d = Number(birth.slice(6, 8));
  // Fixed-width digit strings compare correctly as strings.
  if (!isRealDate(y, m, d) || birth < EARLIEST_BIRTH || birth > t[1] + t[2] + t[3]) {
    return { ok: false, problem: 'BIRTH_DATE' };
  }
  if (computeResidentIdCheckDigit(id.slice(0, 17)) !== id[17]) {
    return { ok: false, problem: 'CHECK_DIGIT' };
  }
  return { ok: true };
}

/**
 * Masks for display and public posting (R10.2): first 6 + 8 '*' + last 4, e.g. '140105********1234'.
 * Anything that is not 18 characters is fully masked, so malformed input never leaks.
 */
export function maskResidentId(id: string): string {
  if (typeof id !== 'string') return '';
  if (id.length !== 18) return '*'.repeat(id.length);
  return `${id.slice(0, 6)}${'*'.repeat(8)}${id.slice(14)}`;
}
