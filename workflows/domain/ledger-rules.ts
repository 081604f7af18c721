/**
 * The special account (职业技能提升行动专账, R7.1) and its ledger of payments (R7.2): pure rules of a
 * double-entry ledger in integer fen. Importable by workflows (no Node built-ins, relative imports only).
 *
 * Accounts: two FUNDs per city (the notice has cities implement and fund the action, §4.1; a county draws on
 * its city's funds) — the special account (R7.1) and the employment fund (就业补助资金) that pays the R4.3
 * living allowance — one SOURCE per fund kind (where its money comes from), one PAYEE per institution.
 * Entries are debit-positive; every transaction's entries sum to zero (PostgreSQL checks it at commit).
 */
import { isRegionCode } from './region';

export type LedgerTransactionKind = 'ALLOCATION' | 'PAYMENT' | 'RECOVERY';

/**
 * Which of a city's two funds (R7.1, R4.3):
 *   SPECIAL     职业技能提升行动专账, unemployment-insurance surplus, pays training and certificate subsidies;
 *   EMPLOYMENT  就业补助资金, pays the living allowance of poor labourers (R4.3), never from the special account.
 */
export type FundKind = 'SPECIAL' | 'EMPLOYMENT';

/** 失业保险基金结余: where allocations to the special account come from (R7.1). */
export const SOURCE_ACCOUNT_CODE = 'SOURCE:UI_SURPLUS';
/** 就业补助资金 transfers (central and local budgets): where allocations to the employment fund come from (R4.3). */
export const EMPLOYMENT_SOURCE_ACCOUNT_CODE = 'SOURCE:EMPLOYMENT_SUBSIDY';

/** The source account an allocation to `fund` is drawn from. */
export function sourceAccountCode(fund: FundKind): string {
  return fund === 'EMPLOYMENT' ? EMPLOYMENT_SOURCE_ACCOUNT_CODE : SOURCE_ACCOUNT_CODE;
}

/**
 * The fund a payment of `category` comes from: R4.3's living allowance (POOR_LABOURER) from the employment
 * fund, every other subsidy (R4.1, R4.2, R4.4) from the special account (R7.1).
 */
export function fundKindForCategory(category: 'ENTERPRISE_EMPLOYEE' | 'WORKER' | 'POOR_LABOURER' | 'CERTIFICATE'): FundKind {
  return category === 'POOR_LABOURER' ? 'EMPLOYMENT' : 'SPECIAL';
}

/** The largest single allocation, payment or repayment: 10^12 fen (10 billion yuan), a typo guard. */
export const MAX_AMOUNT_FEN = 1_000_000_000_000;

/**
 * The region whose fund pays for `regionCode`: a county's city, a city itself, the province itself.
 * A county directly under the province (PP00DD, 省直辖县级) has no city, so the province's fund pays.
 */
export function fundRegionCode(regionCode: string): string {
  if (!isRegionCode(regionCode)) throw new Error(`fundRegionCode: not a GB/T 2260 region code: ${JSON.stringify(regionCode)}`);
  const city = regionCode.slice(2, 4);
  return city === '00' ? `${regionCode.slice(0, 2)}0000` : `${regionCode.slice(0, 4)}00`;
}

/**
 * 'FUND:140100' (the special account) for 140105, 140100; 'FUND:140000' for the province;
 * 'EMPLOYMENT_FUND:140100' for the employment fund of the same city.
 */
export function fundAccountCode(regionCode: string, fund: FundKind = 'SPECIAL'): string {
  return `${fund === 'EMPLOYMENT' ? 'EMPLOYMENT_FUND' : 'FUND'}:${fundRegionCode(regionCode)}`;
}

export function payeeAccountCode(institutionId: string): string {
  return `PAYEE:${institutionId}`;
}

/** A claim is paid once: the business key of its payment (R7.2, and retried activities never pay twice). */
export function paymentBusinessKey(claimId: string, instalment = 1): string {
  // R10.2 lines held by an objection are paid in a later instalment, each with its own key.
  return instalment === 1 ? `payment:${claimId}` : `payment:${claimId}:${instalment}`;
}

/** A positive whole number of fen no larger than MAX_AMOUNT_FEN. */
export function isValidAmountFen(n: unknown): n is number {
  return typeof n === 'number' && Number.isSafeInteger(n) && n > 0 && n <= MAX_AMOUNT_FEN;
}

export interface EntryDraft {
  /** which side: the fund, or the other account (SOURCE for an allocation, PAYEE otherwise) */
  side: 'FUND' | 'COUNTER';
  amountFen: bigint;
}

/**
 * The two entries of a transaction. Debit positive: money into the fund is +, out of it −.
 *   ALLOCATION  FUND +a, SOURCE −a   (R7.1 surplus moved into the special account)
 *   PAYMENT     FUND −a, PAYEE  +a   (R7.2 a subsidy paid)
 *   RECOVERY    FUND +a, PAYEE  −a   (R7.4 recovered money returns to the fund)
 */
export function transactionEntries(kind: LedgerTransactionKind, amountFen: bigint): [EntryDraft, EntryDraft] {
  if (amountFen <= 0n) throw new Error(`transactionEntries: amount must be positive, got ${amountFen}`);
  const intoFund = kind === 'PAYMENT' ? -amountFen : amountFen;
  return [
    { side: 'FUND', amountFen: intoFund },
    { side: 'COUNTER', amountFen: -intoFund },
  ];
}

/** At least two non-zero whole entries that sum to zero. */
export function isBalanced(entries: ReadonlyArray<{ amountFen: bigint | number }>): boolean {
  if (entries.length < 2) return false;
  let sum = 0n;
  for (const e of entries) {
    if (typeof e.amountFen === 'number' && !Number.isSafeInteger(e.amountFen)) return false;
    const a = BigInt(e.amountFen);
    if (a === 0n) return false;
    sum += a;
  }
  return sum === 0n;
}

export interface FundFigures {
  balanceFen: bigint;
  allocationsFen: bigint;
  paymentsFen: bigint;
  recoveriesFen: bigint;
  /** sum of the fund account's entries */
  ledgerSumFen: bigint;
  /** transactions touching the fund whose entries do not sum to zero */
  unbalancedTransactions: number;
}

/** The books agree: allocations − payments + recoveries = stored balance = sum of entries, all balanced. */
export function isReconciled(f: FundFigures): boolean {
  const derived = f.allocationsFen - f.paymentsFen + f.recoveriesFen;
  return derived === f.balanceFen && f.balanceFen === f.ledgerSumFen && f.unbalancedTransactions === 0 && f.balanceFen >= 0n;
}

/**
 * A stored (bigint) amount as a plain number of fen, for workflow payloads and HTTP JSON. Refuses (throws) an
 * amount that a JS number cannot hold exactly (beyond 2^53 fen), rather than rounding money.
 */
export function fenNumber(fen: bigint | number): number {
  const n = Number(fen);
  if (!Number.isSafeInteger(n) || (typeof fen === 'bigint' && BigInt(n) !== fen)) {
    throw new RangeError(`fenNumber: ${String(fen)} fen is not a safe integer`);
  }
  return n;
}

/** fenNumber for nullable columns. */
export function fenNumberOrNull(fen: bigint | number | null | undefined): number | null {
  return fen === null || fen === undefined ? null : fenNumber(fen);
}
