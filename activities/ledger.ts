// The special account (职业技能提升行动专账, R7.1/R7.2) over Prisma: plain functions shared by the API and the
// activities. Each write is one database transaction keyed by a unique businessKey, so a retry or a replayed
// request changes nothing; the FUND row is locked (SELECT … FOR UPDATE) so money leaves it one payment at a
// time, and the CHECK constraint on its balance is only the backstop.
import { isUniqueViolation, type Db, type Prisma } from '../prisma/client';
import {
  fenJson,
  fundAccountCode,
  fundRegionCode,
  isBalanced,
  isReconciled,
  isValidAmountFen,
  MAX_AMOUNT_FEN,
  payeeAccountCode,
  paymentBusinessKey,
  SOURCE_ACCOUNT_CODE,
  transactionEntries,
  type LedgerTransactionKind,
} from '../workflows/domain/ledger';
import { isRegionCode } from '../workflows/domain/region';
import { RecordNotFoundError } from './errors';

/** A business refusal with its code (the API maps it to 4xx; the activity wrapper makes it non-retryable). */
export class LedgerError extends Error {
  override name = 'LedgerError';
  constructor(
    readonly code: 'INVALID_INPUT' | 'CLAIM_NOT_FOUND' | 'CLAIM_MISMATCH' | 'REPAYMENT_EXCEEDS_PAID' | 'BUSINESS_KEY_REUSED',
    message: string,
    readonly messageZh: string,
    readonly field: string,
  ) {
    super(message);
  }
}

type Tx = Prisma.TransactionClient;
type Fen = number | string;

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
  fund: { code: string; regionCode: string; balanceFen: Fen };
  /** true when the businessKey had been posted before: nothing changed */
  replayed: boolean;
}

export type PayClaimResult =
  | { status: 'PAID'; transactionId: string; fundBalanceFen: Fen }
  | { status: 'INSUFFICIENT_FUNDS'; fundBalanceFen: Fen; shortFen: Fen };

export interface FundReconciliation {
  fundAccountCode: string;
  regionCode: string;
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

/** Puts money from the unemployment-insurance surplus into a city's special account (R7.1). */
export async function allocate(
  db: Db,
  input: { regionCode: string; amountFen: number; businessKey: string; memo: string; createdBy: string },
): Promise<PostingResult> {
  const fund = fundFor(input.regionCode);
  checkAmount(input.amountFen);
  const replay = () => replayed(db, input.businessKey, { kind: 'ALLOCATION', fundCode: fund.code, amountFen: input.amountFen, createdBy: input.createdBy });
  return once(replay, () =>
    db.$transaction(async (tx) => {
      await tx.ledgerAccount.createMany({
        data: [
          { code: fund.code, kind: 'FUND', regionCode: fund.regionCode },
          { code: SOURCE_ACCOUNT_CODE, kind: 'SOURCE' },
        ],
        skipDuplicates: true,
      });
      // Lock order is always FUND first, then the other account: no deadlocks between kinds of posting.
      const fundRow = (await lockAccount(tx, fund.code))!;
      const source = await tx.ledgerAccount.findUniqueOrThrow({ where: { code: SOURCE_ACCOUNT_CODE } });
      const { transaction, fundBalance } = await post(tx, {
        kind: 'ALLOCATION',
        businessKey: input.businessKey,
        memo: input.memo,
        createdBy: input.createdBy,
        fundId: fundRow.id,
        counterId: source.id,
        amountFen: BigInt(input.amountFen),
      });
      return { transaction: view(transaction, { [fundRow.id]: fund.code, [source.id]: SOURCE_ACCOUNT_CODE }), fund: { ...fund, balanceFen: fenJson(fundBalance) }, replayed: false };
    }, TX_OPTIONS),
  );
}

/**
 * Pays an approved claim from its city's fund (R7.2). Idempotent by `payment:<claimId>` (later instalments
 * `payment:<claimId>:<n>`, R10.2): a retried
 * payment returns the first. Refuses, writing nothing, when the fund holds less than the amount.
 */
export async function payClaim(
  db: Db,
  input: { claimId: string; institutionId: string; regionCode: string; amountFen: number; createdBy: string; instalment?: number },
): Promise<PayClaimResult> {
  const fund = fundFor(input.regionCode);
  checkAmount(input.amountFen);
  checkUuid('claimId', input.claimId);
  checkUuid('institutionId', input.institutionId);
  const businessKey = paymentBusinessKey(input.claimId, input.instalment);
  const paid = async () => {
    const t = await db.ledgerTransaction.findUnique({ where: { businessKey } });
    if (!t) return undefined;
    const f = await db.ledgerAccount.findUnique({ where: { code: fund.code } });
    return { status: 'PAID' as const, transactionId: t.id, fundBalanceFen: fenJson(f?.balanceFen ?? 0n) };
  };
  return once(paid, () =>
    db.$transaction(async (tx): Promise<PayClaimResult> => {
      const claim = await tx.claim.findUnique({ where: { id: input.claimId }, select: { institutionId: true, regionCode: true } });
      if (!claim) throw new RecordNotFoundError('Claim', input.claimId);
      if (claim.institutionId !== input.institutionId || fundAccountCode(claim.regionCode) !== fund.code) {
        throw new LedgerError('CLAIM_MISMATCH', 'The claim belongs to another institution or fund.', '该申领属于其他机构或其他专账。', 'claimId');
      }
      // A missing fund holds nothing; it is not created just to refuse a payment.
      const fundRow = await lockAccount(tx, fund.code);
      const balance = fundRow?.balanceFen ?? 0n;
      // Re-checked under the lock: a concurrent retry of this same payment has committed by now if it won.
      const done = await tx.ledgerTransaction.findUnique({ where: { businessKey } });
      if (done) return { status: 'PAID', transactionId: done.id, fundBalanceFen: fenJson(balance) };
      const amount = BigInt(input.amountFen);
      if (!fundRow || balance < amount) {
        return { status: 'INSUFFICIENT_FUNDS', fundBalanceFen: fenJson(balance), shortFen: fenJson(amount - balance) };
      }
      const payee = payeeAccountCode(input.institutionId);
      await tx.ledgerAccount.createMany({ data: [{ code: payee, kind: 'PAYEE', institutionId: input.institutionId }], skipDuplicates: true });
      const payeeRow = await tx.ledgerAccount.findUniqueOrThrow({ where: { code: payee } });
      const { transaction, fundBalance } = await post(tx, {
        kind: 'PAYMENT',
        businessKey,
        memo: `补贴拨付 subsidy payment, claim ${input.claimId}`,
        claimId: input.claimId,
        createdBy: input.createdBy,
        fundId: fundRow.id,
        counterId: payeeRow.id,
        amountFen: amount,
      });
      // Once per business key (checked above under the fund lock), so instalments add up (R10.2).
      await tx.claim.update({ where: { id: input.claimId }, data: { paidFen: { increment: input.amountFen } } });
      return { status: 'PAID', transactionId: transaction.id, fundBalanceFen: fenJson(fundBalance) };
    }, TX_OPTIONS),
  );
}

/**
 * Money recovered from an institution returns to the fund it was paid from (R7.4, R10.4). Refused when it
 * exceeds what that fund paid the institution (for the claim, when one is named) net of earlier recoveries.
 */
export async function recordRepayment(
  db: Db,
  input: { claimId?: string; institutionId: string; regionCode: string; amountFen: number; businessKey: string; memo: string; createdBy: string },
): Promise<PostingResult> {
  const fund = fundFor(input.regionCode);
  checkAmount(input.amountFen);
  checkUuid('institutionId', input.institutionId);
  if (input.claimId !== undefined) checkUuid('claimId', input.claimId);
  const payee = payeeAccountCode(input.institutionId);
  const replay = () => replayed(db, input.businessKey, { kind: 'RECOVERY', fundCode: fund.code, amountFen: input.amountFen, createdBy: input.createdBy });
  return once(replay, () =>
    db.$transaction(async (tx) => {
      if (input.claimId !== undefined) {
        const claim = await tx.claim.findUnique({ where: { id: input.claimId }, select: { institutionId: true, regionCode: true } });
        if (!claim) throw new LedgerError('CLAIM_NOT_FOUND', 'No such claim.', '申领不存在。', 'claimId');
        if (claim.institutionId !== input.institutionId || fundAccountCode(claim.regionCode) !== fund.code) {
          throw new LedgerError('CLAIM_MISMATCH', 'The claim belongs to another institution or fund.', '该申领属于其他机构或其他专账。', 'claimId');
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
      return { transaction: view(transaction, { [fundRow.id]: fund.code, [payeeRow.id]: payee }), fund: { ...fund, balanceFen: fenJson(fundBalance) }, replayed: false };
    }, TX_OPTIONS),
  );
}

/** The stored balance of the fund that pays for `regionCode` (0 before its first allocation). */
export async function balances(db: Db, regionCode: string): Promise<{ fundAccountCode: string; regionCode: string; balanceFen: Fen }> {
  const fund = fundFor(regionCode);
  const row = await db.ledgerAccount.findUnique({ where: { code: fund.code } });
  return { fundAccountCode: fund.code, regionCode: fund.regionCode, balanceFen: fenJson(row?.balanceFen ?? 0n) };
}

/**
 * R7.2 published fund use, checked against the books in one set-based query: allocations − payments +
 * recoveries = stored balance = sum of the fund's entries, and every transaction touching the fund balances.
 */
export async function reconcile(db: Db | Tx, regionCode: string): Promise<FundReconciliation> {
  const fund = fundFor(regionCode);
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
    fundBalanceFen: fenJson(figures.balanceFen),
    allocationsFen: fenJson(figures.allocationsFen),
    paymentsFen: fenJson(figures.paymentsFen),
    recoveriesFen: fenJson(figures.recoveriesFen),
    ledgerSumFen: fenJson(figures.ledgerSumFen),
    unbalancedTransactions: figures.unbalancedTransactions,
    reconciled: isReconciled(figures),
  };
}

// ---- helpers ----

function fundFor(regionCode: string): { code: string; regionCode: string } {
  if (!isRegionCode(regionCode)) {
    throw new LedgerError('INVALID_INPUT', 'Not a region code (GB/T 2260).', '不是有效的行政区划代码。', 'regionCode');
  }
  return { code: fundAccountCode(regionCode), regionCode: fundRegionCode(regionCode) };
}

function checkAmount(amountFen: number): void {
  if (!isValidAmountFen(amountFen)) {
    throw new LedgerError('INVALID_INPUT', `amountFen must be a whole number of fen from 1 to ${MAX_AMOUNT_FEN}.`, `金额须为 1 至 ${MAX_AMOUNT_FEN} 之间的整数（分）。`, 'amountFen');
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
  p: { kind: LedgerTransactionKind; businessKey: string; memo: string; claimId?: string; createdBy: string; fundId: string; counterId: string; amountFen: bigint },
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
  if (t.kind !== expect.kind || fundEntry?.account.code !== expect.fundCode || t.createdBy !== expect.createdBy || abs(fundEntry.amountFen) !== BigInt(expect.amountFen)) {
    throw new LedgerError('BUSINESS_KEY_REUSED', 'This key was already used for a different ledger posting.', '该业务键已用于另一笔记账。', 'businessKey');
  }
  const fund = fundEntry.account;
  const current = await db.ledgerAccount.findUniqueOrThrow({ where: { id: fund.id } });
  return {
    transaction: view(t, Object.fromEntries(t.entries.map((e) => [e.accountId, e.account.code]))),
    fund: { code: fund.code, regionCode: fund.regionCode ?? '', balanceFen: fenJson(current.balanceFen) },
    replayed: true,
  };
}

function view(
  t: { id: string; kind: LedgerTransactionKind; businessKey: string; memo: string; claimId: string | null; createdBy: string; createdAt: Date; entries: { accountId: string; amountFen: bigint }[] },
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
    entries: t.entries.map((e) => ({ accountCode: codeOf[e.accountId] ?? e.accountId, amountFen: fenJson(e.amountFen) })),
  };
}

const abs = (b: bigint) => (b < 0n ? -b : b);
