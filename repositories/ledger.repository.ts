// A city's two funds over Prisma — the special account (职业技能提升行动专账, R7.1/R7.2) and the employment fund
// (就业补助资金) that pays the R4.3 living allowance. The ledger repository: every query of the ledger's tables,
// used by the API's LedgerService and the payClaim activity alike (LedgerRepository below, or its functions).
// Each write is one database transaction keyed by a unique businessKey, so a retry or a replayed request
// changes nothing; the FUND row is locked (SELECT … FOR UPDATE) so money leaves it one payment at a time.
// PostgreSQL is the backstop: a fund's balance cannot go negative, every transaction's entries sum to zero
// (checked at commit), no entry is zero, and transactions and entries are append-only (migration
// 20261128010000_ledger_integrity).
import { isUniqueViolation, type Db, type Prisma } from '../prisma/client';
import {
  fenNumber,
  fundAccountCode,
  fundKindForCategory,
  fundRegionCode,
  isBalanced,
  isReconciled,
  isValidAmountFen,
  MAX_AMOUNT_FEN,
  payeeAccountCode,
  paymentBusinessKey,
  sourceAccountCode,
  transactionEntries,
  type FundKind,
  type LedgerTransactionKind,
} from '../workflows/domain/ledger-rules';
import { isRegionCode, regionPrefix } from '../workflows/domain/region';
import { RecordNotFoundError } from './errors';

/** A business refusal with its code (the API maps it to 4xx; the activity wrapper makes it non-retryable). */
export class LedgerError extends Error {
  override name = 'LedgerError';
  constructor(
    readonly code:
      | 'INVALID_INPUT'
      | 'CLAIM_NOT_FOUND'
      | 'CLAIM_MISMATCH'
      | 'AMOUNT_MISMATCH'
      | 'NOTHING_APPROVED'
      | 'REPAYMENT_EXCEEDS_PAID'
      | 'BUSINESS_KEY_REUSED',
    message: string,
    readonly messageZh: string,
    readonly field: string,
  ) {
    super(message);
  }
}

type Tx = Prisma.TransactionClient;
/** Integer fen as JSON carries it: one type for every amount (fenNumber refuses what a number cannot hold). */
type Fen = number;

// 20 payments racing for one fund queue on its row lock; give them room beyond Prisma's 2 s / 5 s defaults.
const TX_OPTIONS = { maxWait: 15_000, timeout: 30_000 };
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export interface LedgerTransactionView {
  id: string;
  kind: LedgerTransactionKind;
  businessKey: string;
  memo: string;
  claimId: string | null;
  createdBy: string;
  createdAt: Date;
  entries: { accountCode: string; amountFen: Fen }[];
}

export interface PostingResult {
  transaction: LedgerTransactionView;
  fund: { code: string; regionCode: string; fund: FundKind; balanceFen: Fen };
  /** true when the businessKey had been posted before: nothing changed */
  replayed: boolean;
}

export type PayClaimResult =
  { status: 'PAID'; transactionId: string; fundBalanceFen: Fen } | { status: 'INSUFFICIENT_FUNDS'; fundBalanceFen: Fen; shortFen: Fen };

export interface FundReconciliation {
  fundAccountCode: string;
  regionCode: string;
  fund: FundKind;
  fundBalanceFen: Fen;
  allocationsFen: Fen;
  paymentsFen: Fen;
  recoveriesFen: Fen;
  ledgerSumFen: Fen;
  unbalancedTransactions: number;
  reconciled: boolean;
}

/**
 * A posting happens once per business key: an earlier result is returned as it was, and a request that
 * loses the race on the unique key (the backstop) returns the winner's result.
 */
async function once<T>(replay: () => Promise<T | null | undefined>, write: () => Promise<T>): Promise<T> {
  const first = await replay();
  if (first) return first;
  try {
    return await write();
  } catch (err) {
    if (isUniqueViolation(err)) {
      const again = await replay();
      if (again) return again;
    }
    throw err;
  }
}

/**
 * Puts money into one of a city's funds: unemployment-insurance surplus into the special account (R7.1), the
 * default, or 就业补助资金 into the employment fund (R4.3).
 */
export async function allocate(
  db: Db,
  input: { regionCode: string; fund?: FundKind; amountFen: number; businessKey: string; memo: string; createdBy: string },
): Promise<PostingResult> {
  const fund = fundFor(input.regionCode, input.fund ?? 'SPECIAL');
  const sourceCode = sourceAccountCode(fund.fund);
  checkAmount(input.amountFen);
  const replay = () =>
    replayed(db, input.businessKey, { kind: 'ALLOCATION', fundCode: fund.code, amountFen: input.amountFen, createdBy: input.createdBy });
  return once(replay, () =>
    db.$transaction(async (tx) => {
      await tx.ledgerAccount.createMany({
        data: [
          { code: fund.code, kind: 'FUND', fund: fund.fund, regionCode: fund.regionCode },
          { code: sourceCode, kind: 'SOURCE', fund: fund.fund },
        ],
        skipDuplicates: true,
      });
      // Lock order is always FUND first, then the other account: no deadlocks between kinds of posting.
      const fundRow = (await lockAccount(tx, fund.code))!;
      const source = await tx.ledgerAccount.findUniqueOrThrow({ where: { code: sourceCode } });
      const { transaction, fundBalance } = await post(tx, {
        kind: 'ALLOCATION',
        businessKey: input.businessKey,
        memo: input.memo,
        createdBy: input.createdBy,
        fundId: fundRow.id,
        counterId: source.id,
        amountFen: BigInt(input.amountFen),
      });
      return {
        transaction: view(transaction, { [fundRow.id]: fund.code, [source.id]: sourceCode }),
        fund: { ...fund, balanceFen: fenNumber(fundBalance) },
        replayed: false,
      };
    }, TX_OPTIONS),
  );
}

/**
 * Pays an approved claim from its city's fund (R7.2): the employment fund for the R4.3 living allowance, the
 * special account for everything else (fundKindForCategory). The amount is the claim's stored approval
 * (Claim.approvedFen), never the caller's: an `amountFen` given by the caller must equal it. With objections
 * answered one by one (R10.2) a claim is paid in instalments (`instalment` n ≥ 1): each names its amount,
 * which must fit within what is approved and not yet paid. Idempotent by `payment:<claimId>` (later
 * instalments `payment:<claimId>:<n>`): a retried payment returns the first; a replay for a different
 * amount or fund is refused with BUSINESS_KEY_REUSED. Refuses, writing nothing, when the fund holds less
 * than the amount.
 */
export async function payClaim(
  db: Db,
  input: { claimId: string; institutionId: string; regionCode: string; amountFen?: number; createdBy: string; instalment?: number },
): Promise<PayClaimResult> {
  if (input.amountFen !== undefined) checkAmount(input.amountFen);
  checkUuid('claimId', input.claimId);
  checkUuid('institutionId', input.institutionId);
  const requested = fundFor(input.regionCode);
  const claim = await db.claim.findUnique({
    where: { id: input.claimId },
    select: { institutionId: true, regionCode: true, category: true, approvedFen: true, paidFen: true },
  });
  if (!claim) throw new RecordNotFoundError('Claim', input.claimId);
  if (claim.institutionId !== input.institutionId || fundRegionCode(claim.regionCode) !== requested.regionCode) {
    throw new LedgerError(
      'CLAIM_MISMATCH',
      'The claim belongs to another institution or fund.',
      '该申领属于其他机构或其他专账。',
      'claimId',
    );
  }
  const fund = fundFor(input.regionCode, fundKindForCategory(claim.category));
  const businessKey = paymentBusinessKey(input.claimId, input.instalment);
  // What this payment must be: the whole approval, or (an instalment) the amount named by the workflow.
  const approved = input.instalment === undefined ? approvedAmount(claim.approvedFen, input.amountFen) : instalmentAmount(input.amountFen);

  const paid = async () => {
    const t = await db.ledgerTransaction.findUnique({ where: { businessKey }, include: { entries: { include: { account: true } } } });
    if (!t) return undefined;
    checkSamePayment(t.entries, fund.code, approved);
    const f = await db.ledgerAccount.findUnique({ where: { code: fund.code } });
    return { status: 'PAID' as const, transactionId: t.id, fundBalanceFen: fenNumber(f?.balanceFen ?? 0n) };
  };
  return once(paid, () =>
    db.$transaction(async (tx): Promise<PayClaimResult> => {
      // A missing fund holds nothing; it is not created just to refuse a payment.
      const fundRow = await lockAccount(tx, fund.code);
      const balance = fundRow?.balanceFen ?? 0n;
      // The approval as it stands under the claim's row lock: what is paid is what was approved.
      const [locked] = await tx.$queryRaw<
        { approvedFen: bigint; paidFen: bigint }[]
      >`SELECT "approvedFen", "paidFen" FROM "Claim" WHERE "id" = ${input.claimId}::uuid FOR UPDATE`;
      // Re-checked under the lock: a concurrent retry of this same payment has committed by now if it won.
      const done = await tx.ledgerTransaction.findUnique({ where: { businessKey }, include: { entries: { include: { account: true } } } });
      if (done) {
        checkSamePayment(done.entries, fund.code, approved);
        return { status: 'PAID', transactionId: done.id, fundBalanceFen: fenNumber(balance) };
      }
      const amount = input.instalment === undefined ? approvedAmount(BigInt(locked.approvedFen), input.amountFen) : approved;
      if (amount > BigInt(locked.approvedFen) - BigInt(locked.paidFen)) {
        throw new LedgerError(
          'AMOUNT_MISMATCH',
          `The instalment (${amount} fen) exceeds what is approved and not yet paid.`,
          `本期拨付金额（${amount} 分）超过核准未付金额。`,
          'amountFen',
        );
      }
      if (!fundRow || balance < amount) {
        return { status: 'INSUFFICIENT_FUNDS', fundBalanceFen: fenNumber(balance), shortFen: fenNumber(amount - balance) };
      }
      const payee = payeeAccountCode(input.institutionId);
      await tx.ledgerAccount.createMany({
        data: [{ code: payee, kind: 'PAYEE', institutionId: input.institutionId }],
        skipDuplicates: true,
      });
      const payeeRow = await tx.ledgerAccount.findUniqueOrThrow({ where: { code: payee } });
      const { transaction, fundBalance } = await post(tx, {
        kind: 'PAYMENT',
        businessKey,
        memo: `${fund.fund === 'EMPLOYMENT' ? '生活费补贴拨付 living allowance' : '补贴拨付 subsidy'} payment, claim ${input.claimId}`,
        claimId: input.claimId,
        createdBy: input.createdBy,
        fundId: fundRow.id,
        counterId: payeeRow.id,
        amountFen: amount,
      });
      // Once per business key (checked above under the fund lock), so instalments add up (R10.2).
      await tx.claim.update({ where: { id: input.claimId }, data: { paidFen: { increment: amount } } });
      return { status: 'PAID', transactionId: transaction.id, fundBalanceFen: fenNumber(fundBalance) };
    }, TX_OPTIONS),
  );
}

/** An instalment's amount (R10.2): named by the caller, positive. */
function instalmentAmount(requestedFen: number | undefined): bigint {
  if (requestedFen === undefined || requestedFen <= 0) {
    throw new LedgerError('INVALID_INPUT', 'An instalment names its amount in fen.', '分期拨付须写明金额（分）。', 'amountFen');
  }
  return BigInt(requestedFen);
}

/** The claim's approved amount, positive, and equal to the caller's amount when one is given. */
function approvedAmount(approvedFen: bigint, requestedFen: number | undefined): bigint {
  if (approvedFen <= 0n) {
    throw new LedgerError('NOTHING_APPROVED', 'The claim has no approved amount to pay.', '该申领没有核准的补贴金额。', 'claimId');
  }
  if (requestedFen !== undefined && BigInt(requestedFen) !== approvedFen) {
    throw new LedgerError(
      'AMOUNT_MISMATCH',
      `The amount (${requestedFen} fen) differs from the claim's approved amount (${approvedFen} fen).`,
      `拨付金额（${requestedFen} 分）与该申领核准金额（${approvedFen} 分）不一致。`,
      'amountFen',
    );
  }
  return approvedFen;
}

/** A payment already posted under the claim's key must be this payment: same fund, same amount. */
function checkSamePayment(
  entries: { amountFen: bigint; account: { kind: string; code: string } }[],
  fundCode: string,
  amount: bigint,
): void {
  const fundEntry = entries.find((e) => e.account.kind === 'FUND');
  if (fundEntry?.account.code !== fundCode || -fundEntry.amountFen !== amount) {
    throw new LedgerError(
      'BUSINESS_KEY_REUSED',
      `This claim was already paid ${fundEntry ? -fundEntry.amountFen : '?'} fen from ${fundEntry?.account.code ?? 'another account'}: a payment of ${amount} fen from ${fundCode} is refused.`,
      `该申领已从${fundEntry?.account.code ?? '其他账户'}拨付 ${fundEntry ? -fundEntry.amountFen : '?'} 分，不能再按 ${amount} 分从${fundCode}拨付。`,
      'amountFen',
    );
  }
}

/**
 * Money recovered from an institution returns to the fund it was paid from (R7.4, R10.4): for a named claim,
 * the fund its category is paid from (a `fund` given as well must agree); otherwise the `fund` named, the
 * special account by default. Refused when it exceeds what that fund paid the institution (for the claim,
 * when one is named) net of earlier recoveries.
 */
export async function recordRepayment(
  db: Db,
  input: {
    claimId?: string;
    fund?: FundKind;
    institutionId: string;
    regionCode: string;
    amountFen: number;
    businessKey: string;
    memo: string;
    createdBy: string;
  },
): Promise<PostingResult> {
  fundFor(input.regionCode);
  checkAmount(input.amountFen);
  checkUuid('institutionId', input.institutionId);
  if (input.claimId !== undefined) checkUuid('claimId', input.claimId);
  let kind: FundKind = input.fund ?? 'SPECIAL';
  if (input.claimId !== undefined) {
    const claim = await db.claim.findUnique({ where: { id: input.claimId }, select: { category: true } });
    if (!claim) throw new LedgerError('CLAIM_NOT_FOUND', 'No such claim.', '申领不存在。', 'claimId');
    kind = fundKindForCategory(claim.category);
    if (input.fund !== undefined && input.fund !== kind) {
      throw new LedgerError(
        'CLAIM_MISMATCH',
        `The claim was paid from the ${kind} fund, not the ${input.fund} fund.`,
        '该申领不是由所指定的资金账户拨付的。',
        'fund',
      );
    }
  }
  const fund = fundFor(input.regionCode, kind);
  const payee = payeeAccountCode(input.institutionId);
  const replay = () =>
    replayed(db, input.businessKey, { kind: 'RECOVERY', fundCode: fund.code, amountFen: input.amountFen, createdBy: input.createdBy });
  return once(replay, () =>
    db.$transaction(async (tx) => {
      if (input.claimId !== undefined) {
        const claim = await tx.claim.findUnique({ where: { id: input.claimId }, select: { institutionId: true, regionCode: true } });
        if (!claim) throw new LedgerError('CLAIM_NOT_FOUND', 'No such claim.', '申领不存在。', 'claimId');
        if (claim.institutionId !== input.institutionId || fundRegionCode(claim.regionCode) !== fund.regionCode) {
          throw new LedgerError(
            'CLAIM_MISMATCH',
            'The claim belongs to another institution or fund.',
            '该申领属于其他机构或其他专账。',
            'claimId',
          );
        }
      }
      const fundRow = await lockAccount(tx, fund.code);
      const payeeRow = await lockAccount(tx, payee);
      const outstanding = fundRow && payeeRow ? await paidNet(tx, fundRow.id, payeeRow.id, input.claimId) : 0n;
      if (!fundRow || !payeeRow || outstanding < BigInt(input.amountFen)) {
        throw new LedgerError(
          'REPAYMENT_EXCEEDS_PAID',
          `The repayment exceeds what this fund paid the institution${input.claimId ? ' for the claim' : ''} (${outstanding} fen outstanding).`,
          `退回金额超过本专账已向该机构${input.claimId ? '就该申领' : ''}拨付的未退回金额（${outstanding} 分）。`,
          'amountFen',
        );
      }
      const { transaction, fundBalance } = await post(tx, {
        kind: 'RECOVERY',
        businessKey: input.businessKey,
        memo: input.memo,
        claimId: input.claimId,
        createdBy: input.createdBy,
        fundId: fundRow.id,
        counterId: payeeRow.id,
        amountFen: BigInt(input.amountFen),
      });
      return {
        transaction: view(transaction, { [fundRow.id]: fund.code, [payeeRow.id]: payee }),
        fund: { ...fund, balanceFen: fenNumber(fundBalance) },
        replayed: false,
      };
    }, TX_OPTIONS),
  );
}

/**
 * R7.2 published fund use, checked against the books in one set-based query: allocations − payments +
 * recoveries = stored balance = sum of the fund's entries, and every transaction touching the fund balances.
 */
export async function reconcile(db: Db | Tx, regionCode: string, kind: FundKind = 'SPECIAL'): Promise<FundReconciliation> {
  const fund = fundFor(regionCode, kind);
  const [row] = await db.$queryRaw<
    { balance: bigint | null; allocations: bigint; payments: bigint; recoveries: bigint; ledger_sum: bigint; unbalanced: bigint }[]
  >`
    WITH fund AS (SELECT "id", "balanceFen" FROM "LedgerAccount" WHERE "code" = ${fund.code}),
    fund_entries AS (
      SELECT t."kind", e."amountFen", e."transactionId"
      FROM "LedgerEntry" e JOIN "LedgerTransaction" t ON t."id" = e."transactionId"
      WHERE e."accountId" = (SELECT "id" FROM fund)
    ),
    unbalanced AS (
      SELECT e."transactionId" FROM "LedgerEntry" e
      WHERE e."transactionId" IN (SELECT "transactionId" FROM fund_entries)
      GROUP BY e."transactionId" HAVING sum(e."amountFen") <> 0 OR count(*) < 2
    )
    SELECT
      (SELECT "balanceFen" FROM fund) AS balance,
      COALESCE(sum("amountFen") FILTER (WHERE "kind" = 'ALLOCATION'), 0)::bigint AS allocations,
      COALESCE(-sum("amountFen") FILTER (WHERE "kind" = 'PAYMENT'), 0)::bigint AS payments,
      COALESCE(sum("amountFen") FILTER (WHERE "kind" = 'RECOVERY'), 0)::bigint AS recoveries,
      COALESCE(sum("amountFen"), 0)::bigint AS ledger_sum,
      (SELECT count(*) FROM unbalanced)::bigint AS unbalanced
    FROM fund_entries`;
  const figures = {
    balanceFen: BigInt(row?.balance ?? 0n),
    allocationsFen: BigInt(row?.allocations ?? 0n),
    paymentsFen: BigInt(row?.payments ?? 0n),
    recoveriesFen: BigInt(row?.recoveries ?? 0n),
    ledgerSumFen: BigInt(row?.ledger_sum ?? 0n),
    unbalancedTransactions: Number(row?.unbalanced ?? 0n),
  };
  return {
    fundAccountCode: fund.code,
    regionCode: fund.regionCode,
    fund: fund.fund,
    fundBalanceFen: fenNumber(figures.balanceFen),
    allocationsFen: fenNumber(figures.allocationsFen),
    paymentsFen: fenNumber(figures.paymentsFen),
    recoveriesFen: fenNumber(figures.recoveriesFen),
    ledgerSumFen: fenNumber(figures.ledgerSumFen),
    unbalancedTransactions: figures.unbalancedTransactions,
    reconciled: isReconciled(figures),
  };
}

// ---- helpers ----

function fundFor(regionCode: string, fund: FundKind = 'SPECIAL'): { code: string; regionCode: string; fund: FundKind } {
  if (!isRegionCode(regionCode)) {
    throw new LedgerError('INVALID_INPUT', 'Not a region code (GB/T 2260).', '不是有效的行政区划代码。', 'regionCode');
  }
  if (fund !== 'SPECIAL' && fund !== 'EMPLOYMENT') {
    throw new LedgerError(
      'INVALID_INPUT',
      'fund must be SPECIAL or EMPLOYMENT.',
      '资金账户须为 SPECIAL（专账）或 EMPLOYMENT（就业补助资金）。',
      'fund',
    );
  }
  return { code: fundAccountCode(regionCode, fund), regionCode: fundRegionCode(regionCode), fund };
}

function checkAmount(amountFen: number): void {
  if (!isValidAmountFen(amountFen)) {
    throw new LedgerError(
      'INVALID_INPUT',
      `amountFen must be a whole number of fen from 1 to ${MAX_AMOUNT_FEN}.`,
      `金额须为 1 至 ${MAX_AMOUNT_FEN} 之间的整数（分）。`,
      'amountFen',
    );
  }
}

function checkUuid(field: string, value: string): void {
  if (!UUID.test(value)) throw new LedgerError('INVALID_INPUT', `${field} must be a UUID.`, `${field} 须为 UUID。`, field);
}

async function lockAccount(tx: Tx, code: string): Promise<{ id: string; balanceFen: bigint } | undefined> {
  const [row] = await tx.$queryRaw<{ id: string; balanceFen: bigint }[]>`
    SELECT "id"::text AS "id", "balanceFen" FROM "LedgerAccount" WHERE "code" = ${code} FOR UPDATE`;
  return row;
}

/** Inserts a balanced transaction and moves both balances; returns the fund's new balance. */
async function post(
  tx: Tx,
  p: {
    kind: LedgerTransactionKind;
    businessKey: string;
    memo: string;
    claimId?: string;
    createdBy: string;
    fundId: string;
    counterId: string;
    amountFen: bigint;
  },
) {
  const drafts = transactionEntries(p.kind, p.amountFen);
  if (!isBalanced(drafts)) throw new Error('unbalanced ledger transaction'); // cannot happen: a guard for edits
  const accountOf = (side: 'FUND' | 'COUNTER') => (side === 'FUND' ? p.fundId : p.counterId);
  const transaction = await tx.ledgerTransaction.create({
    data: {
      kind: p.kind,
      businessKey: p.businessKey,
      memo: p.memo,
      claimId: p.claimId,
      createdBy: p.createdBy,
      entries: { create: drafts.map((d) => ({ accountId: accountOf(d.side), amountFen: d.amountFen })) },
    },
    include: { entries: { orderBy: { id: 'asc' } } },
  });
  let fundBalance = 0n;
  for (const d of drafts) {
    const acc = await tx.ledgerAccount.update({ where: { id: accountOf(d.side) }, data: { balanceFen: { increment: d.amountFen } } });
    if (d.side === 'FUND') fundBalance = acc.balanceFen;
  }
  return { transaction, fundBalance };
}

/** What `fund` paid `payee` (for one claim, if given) net of recoveries: the most that can come back. */
async function paidNet(tx: Tx, fundId: string, payeeId: string, claimId: string | undefined): Promise<bigint> {
  const [row] = await tx.$queryRaw<{ net: bigint }[]>`
    SELECT COALESCE(sum(p."amountFen"), 0)::bigint AS net
    FROM "LedgerEntry" p
    JOIN "LedgerEntry" f ON f."transactionId" = p."transactionId" AND f."accountId" = ${fundId}::uuid
    JOIN "LedgerTransaction" t ON t."id" = p."transactionId"
    WHERE p."accountId" = ${payeeId}::uuid AND (${claimId ?? null}::uuid IS NULL OR t."claimId" = ${claimId ?? null}::uuid)`;
  return BigInt(row?.net ?? 0n);
}

/**
 * The first posting of a businessKey, if any. A replay must be the same request: a key reused for a
 * different kind, fund, amount or user is refused rather than silently answered with someone else's result.
 */
async function replayed(
  db: Db,
  businessKey: string,
  expect: { kind: LedgerTransactionKind; fundCode: string; amountFen: number; createdBy: string },
): Promise<PostingResult | undefined> {
  const t = await db.ledgerTransaction.findUnique({
    where: { businessKey },
    include: { entries: { orderBy: { id: 'asc' }, include: { account: true } } },
  });
  if (!t) return undefined;
  const fundEntry = t.entries.find((e) => e.account.kind === 'FUND');
  if (
    t.kind !== expect.kind ||
    fundEntry?.account.code !== expect.fundCode ||
    t.createdBy !== expect.createdBy ||
    abs(fundEntry.amountFen) !== BigInt(expect.amountFen)
  ) {
    throw new LedgerError(
      'BUSINESS_KEY_REUSED',
      'This key was already used for a different ledger posting.',
      '该业务键已用于另一笔记账。',
      'businessKey',
    );
  }
  const fund = fundEntry.account;
  const current = await db.ledgerAccount.findUniqueOrThrow({ where: { id: fund.id } });
  return {
    transaction: view(t, Object.fromEntries(t.entries.map((e) => [e.accountId, e.account.code]))),
    fund: { code: fund.code, regionCode: fund.regionCode ?? '', fund: fund.fund ?? 'SPECIAL', balanceFen: fenNumber(current.balanceFen) },
    replayed: true,
  };
}

function view(
  t: {
    id: string;
    kind: LedgerTransactionKind;
    businessKey: string;
    memo: string;
    claimId: string | null;
    createdBy: string;
    createdAt: Date;
    entries: { accountId: string; amountFen: bigint }[];
  },
  codeOf: Record<string, string>,
): LedgerTransactionView {
  return {
    id: t.id,
    kind: t.kind,
    businessKey: t.businessKey,
    memo: t.memo,
    claimId: t.claimId,
    createdBy: t.createdBy,
    createdAt: t.createdAt,
    entries: t.entries.map((e) => ({ accountCode: codeOf[e.accountId] ?? e.accountId, amountFen: fenNumber(e.amountFen) })),
  };
}

const abs = (b: bigint) => (b < 0n ? -b : b);

/** The ledger's queries on one database handle: the API's services and the activities receive one of these. */
export class LedgerRepository {
  constructor(private readonly db: Db) {}

  allocate(input: Parameters<typeof allocate>[1]): Promise<PostingResult> {
    return allocate(this.db, input);
  }

  payClaim(input: Parameters<typeof payClaim>[1]): Promise<PayClaimResult> {
    return payClaim(this.db, input);
  }

  recordRepayment(input: Parameters<typeof recordRepayment>[1]): Promise<PostingResult> {
    return recordRepayment(this.db, input);
  }

  reconcile(regionCode: string, kind: FundKind = 'SPECIAL'): Promise<FundReconciliation> {
    return reconcile(this.db, regionCode, kind);
  }

  /** A fund's entries, newest first (ids below `beforeId`), each with its transaction and the other accounts' codes. */
  fundEntries(fundCode: string, beforeId: bigint | undefined, take: number) {
    return this.db.ledgerEntry.findMany({
      where: { account: { code: fundCode }, ...(beforeId !== undefined ? { id: { lt: beforeId } } : {}) },
      orderBy: { id: 'desc' },
      take,
      include: { transaction: { include: { entries: { include: { account: { select: { code: true } } } } } } },
    });
  }

  /** Claims waiting for money (AWAITING_FUNDS) in a region and below. */
  claimsAwaitingFunds(regionCode: string) {
    return this.db.claim.findMany({
      where: { status: 'AWAITING_FUNDS', regionCode: { startsWith: regionPrefix(regionCode) } },
      select: { id: true, regionCode: true, category: true },
    });
  }
}
