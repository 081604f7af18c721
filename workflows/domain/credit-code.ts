/**
 * Unified social credit code (统一社会信用代码), GB 32100-2015.
 *
 * Used when a training provider applies for filing (R2.1 审核备案) or bids (R2.2): the code identifies
 * the legal entity. Pure and deterministic so workflow code may call it.
 *
 * Layout (18 chars):
 *   1     registration authority code (登记管理部门代码)
 *   2     entity type code (机构类别代码)
 *   3–8   administrative region code (登记管理机关行政区划码), GB/T 2260, digits only
 *   9–17  organisation code body (主体标识码)
 *   18    check character (校验码)
 *
 * We deliberately do not whitelist positions 1–2: the authority/type tables are amended over time and a
 * stale list would reject real entities; the check character already catches typos.
 * Only uppercase is accepted — callers normalise input (trim, toUpperCase) before validating.
 */

/** The 31 characters of the code alphabet; I, O, Z, S, V are excluded to avoid confusion with digits. */
export const CREDIT_CODE_CHARSET = '0123456789ABCDEFGHJKLMNPQRTUWXY';

/** Weights for positions 1–17: 3^i mod 31. */
const WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28] as const;

const CHAR_CLASS = `[${CREDIT_CODE_CHARSET}]`;
/** Two code chars, six region digits, ten code chars (the last being the check character). */
const FORMAT = new RegExp(`^${CHAR_CLASS}{2}[0-9]{6}${CHAR_CLASS}{10}$`);
const FIRST17 = new RegExp(`^${CHAR_CLASS}{17}$`);

export type CreditCodeResult = { ok: true } | { ok: false; problem: 'FORMAT' | 'CHECK_CHARACTER' };

/**
 * Check character for the first 17 characters: charset[(31 - Σ value·weight mod 31) mod 31].
 * Throws on malformed input, since that is a programmer error (validate format first).
 */
export function computeCreditCodeCheckChar(first17: string): string {
  if (typeof first17 !== 'string' || !FIRST17.test(first17)) {
    throw new Error('computeCreditCodeCheckChar: expected 17 characters from the GB 32100 charset');
  }
  let sum = 0;
  for (let i = 0; i < 17; i++) {
    sum += CREDIT_CODE_CHARSET.indexOf(first17[i]) * WEIGHTS[i];
  }
  return CREDIT_CODE_CHARSET[(31 - (sum % 31)) % 31];
}

/** Validates an uppercase 18-character unified social credit code. */
export function validateCreditCode(code: string): CreditCodeResult {
  if (typeof code !== 'string' || !FORMAT.test(code)) {
    return { ok: false, problem: 'FORMAT' };
  }
  if (computeCreditCodeCheckChar(code.slice(0, 17)) !== code[17]) {
    return { ok: false, problem: 'CHECK_CHARACTER' };
  }
  return { ok: true };
}
