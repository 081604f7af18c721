// The special account (职业技能提升行动专账, R7.1/R7.2) through HTTP and, for payments, through the ledger
// functions the claim workflow's activity calls, on real PostgreSQL. Each scenario uses its own city fund
// (test files run in parallel over one database).
import { randomUUID } from 'node:crypto';
import { Client as PgClient } from 'pg';
import { allocate, payClaim, reconcile, type PayClaimResult } from '../../repositories/ledger.repository';
import { createPrisma, type Db } from '../../prisma/client';
import { claimWorkflowId } from '../../workflows/contracts/claim';
import { startHarness, type Harness } from '../support/harness';
import { institutionRows } from '../fixtures/institution-rows';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h?.stop();
});

const finance = (region = '141100') => h.token({ sub: `finance-${region}`, roles: ['finance'], region });
const allocation = (regionCode: string, amountFen: number, memo = '2026年第一批失业保险基金结余划拨') => ({ regionCode, amountFen, memo });

type Category = 'WORKER' | 'POOR_LABOURER';

/**
 * A training class and a claim for it, written directly: the ledger only needs the claim's row, with the
 * approved amount a payment takes (R7.2) and the category that chooses the fund (R4.3).
 */
async function newClaim(
  regionCode: string,
  opts: { status?: 'UNDER_REVIEW' | 'AWAITING_FUNDS'; approvedFen?: number; category?: Category } = {},
) {
  const { status = 'UNDER_REVIEW', approvedFen = 0, category = 'WORKER' } = opts;
  const { institutionId, qualificationId } = await institutionRows(h.db, regionCode);
  const cls = await h.db.trainingClass.create({
    data: {
      institutionId,
      qualificationId,
      occupationCode: '4-10-01-06',
      level: 5,
      category,
      startDate: new Date('2026-03-02'),
      endDate: new Date('2026-03-20'),
      hours: 120,
      trainingDays: 15,
      regionCode,
      createdBy: 'ledger-test',
    },
  });
  const id = randomUUID();
  await h.db.claim.create({
    data: {
      id,
      workflowId: claimWorkflowId(id),
      classId: cls.id,
      institutionId,
      regionCode,
      category,
      status,
      approvedFen,
      policyVersionIds: [],
      submittedBy: 'ledger-test',
    },
  });
  return { claimId: id, institutionId, regionCode };
}

const fundTransactions = (db: Db, fundCode: string) =>
  db.ledgerTransaction.count({ where: { entries: { some: { account: { code: fundCode } } } } });

describe('allocations to the special account (R7.1)', () => {
  it('puts surplus money into the city fund and shows it in the reconciled balance', async () => {
    const res = await h.http('POST', '/ledger/allocations', { token: finance(), body: allocation('141100', 50_000) });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      replayed: false,
      claimsSignalled: 0,
      fund: { code: 'FUND:141100', regionCode: '141100', fund: 'SPECIAL', balanceFen: 50_000 },
    });
    expect(res.body.transaction).toMatchObject({
      kind: 'ALLOCATION',
      memo: '2026年第一批失业保险基金结余划拨',
      createdBy: 'finance-141100',
    });
    expect(res.body.transaction.entries).toEqual(
      expect.arrayContaining([
        { accountCode: 'FUND:141100', amountFen: 50_000 },
        { accountCode: 'SOURCE:UI_SURPLUS', amountFen: -50_000 },
      ]),
    );

    const balance = await h.http('GET', '/ledger/balance?region=141100', { token: finance() });
    expect(balance.status).toBe(200);
    expect(balance.body).toMatchObject({
      fundAccountCode: 'FUND:141100',
      fundBalanceFen: 50_000,
      allocationsFen: 50_000,
      paymentsFen: 0,
      ledgerSumFen: 50_000,
      reconciled: true,
    });
  });

  it('answers a replay with the same Idempotency-Key with the first transaction and leaves the balance alone', async () => {
    const key = `alloc-${randomUUID()}`;
    const body = allocation('140900', 12_345);
    const first = await h.http('POST', '/ledger/allocations', { token: finance('140900'), body, headers: { 'idempotency-key': key } });
    const again = await h.http('POST', '/ledger/allocations', { token: finance('140900'), body, headers: { 'idempotency-key': key } });
    expect(first.status).toBe(201);
    expect(again.status).toBe(201);
    expect(again.body.transaction.id).toBe(first.body.transaction.id);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect((await reconcile(h.db, '140900')).fundBalanceFen).toBe(12_345);
    expect(await fundTransactions(h.db, 'FUND:140900')).toBe(1);

    // The posting itself is idempotent too, below the HTTP interceptor: its businessKey is unique.
    const direct = await allocate(h.db, {
      regionCode: '140900',
      amountFen: 12_345,
      businessKey: `allocation:${key}`,
      memo: 'retry',
      createdBy: 'finance-140900',
    });
    expect(direct).toMatchObject({ replayed: true, transaction: { id: first.body.transaction.id }, fund: { balanceFen: 12_345 } });
    // …and a key reused for a different amount is refused, not answered with someone else's result.
    await expect(
      allocate(h.db, { regionCode: '140900', amountFen: 1, businessKey: `allocation:${key}`, memo: 'x', createdBy: 'finance-140900' }),
    ).rejects.toMatchObject({
      code: 'BUSINESS_KEY_REUSED',
    });
    expect((await reconcile(h.db, '140900')).fundBalanceFen).toBe(12_345);
  });

  it('wakes the claims of that fund waiting for money (fundsAllocatedSignal), and only those', async () => {
    const waiting = await newClaim('140800', { status: 'AWAITING_FUNDS', approvedFen: 100 });
    const finished = await newClaim('140800', { status: 'AWAITING_FUNDS', approvedFen: 100 }); // no workflow any more: ignored
    const elsewhere = await newClaim('140700', { status: 'AWAITING_FUNDS', approvedFen: 100 });
    // Stand-ins for claim workflows, on a queue no worker polls: they stay open and record signals.
    const idle = `ledger-idle-${randomUUID()}`;
    const handles = await Promise.all(
      [waiting, elsewhere].map((c) =>
        h.temporal.workflow.start('claimWorkflow', { workflowId: claimWorkflowId(c.claimId), taskQueue: idle, args: [] }),
      ),
    );
    try {
      const res = await h.http('POST', '/ledger/allocations', { token: finance('140800'), body: allocation('140800', 1_000) });
      expect(res.status).toBe(201);
      expect(res.body.claimsSignalled).toBe(1);
      const signals = async (i: number) =>
        (await handles[i].fetchHistory()).events?.filter(
          (e) => e.workflowExecutionSignaledEventAttributes?.signalName === 'claim.fundsAllocated',
        ).length;
      expect(await signals(0)).toBe(1);
      expect(await signals(1)).toBe(0);
      expect(finished.claimId).toBeTruthy();
    } finally {
      await Promise.all(handles.map((x) => x.terminate('ledger test done')));
    }
  });
});

describe(payClaim.name, () => {
  it('refuses a payment the fund cannot cover and writes nothing', async () => {
    const claim = await newClaim('141000', { approvedFen: 500 });
    const empty = await payClaim(h.db, { ...claim, amountFen: 500, createdBy: 'system' });
    expect(empty).toEqual({ status: 'INSUFFICIENT_FUNDS', fundBalanceFen: 0, shortFen: 500 });

    await allocate(h.db, {
      regionCode: '141000',
      amountFen: 300,
      businessKey: `allocation:${randomUUID()}`,
      memo: '划拨',
      createdBy: 'finance-141000',
    });
    const short = await payClaim(h.db, { ...claim, amountFen: 500, createdBy: 'system' });
    expect(short).toEqual({ status: 'INSUFFICIENT_FUNDS', fundBalanceFen: 300, shortFen: 200 });

    expect(await h.db.ledgerTransaction.count({ where: { claimId: claim.claimId } })).toBe(0);
    expect(await h.db.ledgerAccount.count({ where: { institutionId: claim.institutionId } })).toBe(0);
    expect((await h.db.claim.findUniqueOrThrow({ where: { id: claim.claimId } })).paidFen).toBe(0n);
    expect((await reconcile(h.db, '141000')).fundBalanceFen).toBe(300);
  });

  it('pays a claim once, however often (and however concurrently) the payment is retried', async () => {
    // inspections.spec.ts pays claims from Jincheng's fund as well: this checks the payment's own entries and
    // the fund's change, never its absolute balance.
    const claim = await newClaim('140500', { approvedFen: 3_000 });
    await allocate(h.db, {
      regionCode: '140500',
      amountFen: 10_000,
      businessKey: `allocation:${randomUUID()}`,
      memo: '划拨',
      createdBy: 'finance-140500',
    });
    const first = await payClaim(h.db, { ...claim, amountFen: 3_000, createdBy: 'system' });
    expect(first).toMatchObject({ status: 'PAID' });
    const transactionId = (first as { transactionId: string }).transactionId;
    const retries = await Promise.all([1, 2, 3].map(() => payClaim(h.db, { ...claim, amountFen: 3_000, createdBy: 'system' })));
    for (const r of retries) expect(r).toEqual({ status: 'PAID', transactionId, fundBalanceFen: expect.any(Number) });
    const entries = await h.db.ledgerEntry.findMany({ where: { transactionId }, include: { account: true } });
    expect(entries.map((e) => [e.account.code, e.amountFen]).sort()).toEqual([
      ['FUND:140500', -3_000n],
      [`PAYEE:${claim.institutionId}`, 3_000n],
    ]);

    expect(await h.db.ledgerTransaction.count({ where: { claimId: claim.claimId } })).toBe(1);
    expect((await h.db.claim.findUniqueOrThrow({ where: { id: claim.claimId } })).paidFen).toBe(3_000n);
    const payee = await h.db.ledgerAccount.findUniqueOrThrow({ where: { code: `PAYEE:${claim.institutionId}` } });
    expect(payee.balanceFen).toBe(3_000n);
  });

  it('serialises 20 concurrent payments of 100 fen on a fund of 1,000: exactly 10 paid, never below zero', async () => {
    const region = '140400';
    await allocate(h.db, {
      regionCode: region,
      amountFen: 1_000,
      businessKey: `allocation:${randomUUID()}`,
      memo: '划拨',
      createdBy: 'finance-140400',
    });
    const claims = await Promise.all(Array.from({ length: 20 }, () => newClaim(region, { approvedFen: 100 })));
    // A client of its own with a connection per payment, so they really race for the fund's row lock.
    const db = createPrisma(process.env.DATABASE_URL!, 20);
    let results: PayClaimResult[];
    try {
      results = await Promise.all(claims.map((c) => payClaim(db, { ...c, amountFen: 100, createdBy: 'system' })));
    } finally {
      await db.$disconnect();
    }
    const paid = results.filter((r) => r.status === 'PAID');
    expect(paid).toHaveLength(10);
    expect(results.filter((r) => r.status === 'INSUFFICIENT_FUNDS')).toHaveLength(10);
    // each payment saw the balance its predecessor left: 900, 800, … 0, never a negative one
    expect(paid.map((r) => r.fundBalanceFen).sort((a, b) => Number(a) - Number(b))).toEqual([
      0, 100, 200, 300, 400, 500, 600, 700, 800, 900,
    ]);
    expect(await reconcile(h.db, region)).toMatchObject({ fundBalanceFen: 0, allocationsFen: 1_000, paymentsFen: 1_000, reconciled: true });
    expect(await h.db.ledgerTransaction.count({ where: { kind: 'PAYMENT', claimId: { in: claims.map((c) => c.claimId) } } })).toBe(10);
  });

  it('refuses to pay a claim to an institution or fund other than its own', async () => {
    const claim = await newClaim('140300', { approvedFen: 1 });
    await expect(payClaim(h.db, { ...claim, institutionId: randomUUID(), amountFen: 1, createdBy: 'system' })).rejects.toMatchObject({
      code: 'CLAIM_MISMATCH',
    });
    await expect(payClaim(h.db, { ...claim, regionCode: '140200', amountFen: 1, createdBy: 'system' })).rejects.toMatchObject({
      code: 'CLAIM_MISMATCH',
    });
  });
});

describe("R7.2 a payment is the claim's stored approval", () => {
  const region = '140000'; // the province's own fund: no other scenario pays from it

  it("pays the approved amount from the claim row; a caller's different amount is refused and writes nothing", async () => {
    await allocate(h.db, {
      regionCode: region,
      amountFen: 10_000,
      businessKey: `allocation:${randomUUID()}`,
      memo: '划拨',
      createdBy: 'finance-140000',
    });
    const claim = await newClaim(region, { approvedFen: 2_400 });
    await expect(payClaim(h.db, { ...claim, amountFen: 9_999, createdBy: 'system' })).rejects.toMatchObject({
      code: 'AMOUNT_MISMATCH',
      field: 'amountFen',
    });
    expect(await h.db.ledgerTransaction.count({ where: { claimId: claim.claimId } })).toBe(0);

    const paid = await payClaim(h.db, { ...claim, createdBy: 'system' }); // no amount: the approval is paid
    expect(paid).toMatchObject({ status: 'PAID', fundBalanceFen: 7_600 });
    expect((await h.db.claim.findUniqueOrThrow({ where: { id: claim.claimId } })).paidFen).toBe(2_400n);
    const entries = await h.db.ledgerEntry.findMany({ where: { transaction: { claimId: claim.claimId } }, include: { account: true } });
    expect(entries.map((e) => [e.account.code, e.amountFen]).sort()).toEqual([
      ['FUND:140000', -2_400n],
      [`PAYEE:${claim.institutionId}`, 2_400n],
    ]);
  });

  it('refuses a payment replayed for a different amount (BUSINESS_KEY_REUSED) and leaves the books as they were', async () => {
    const claim = await newClaim(region, { approvedFen: 1_000 });
    const first = await payClaim(h.db, { ...claim, amountFen: 1_000, createdBy: 'system' });
    expect(first.status).toBe('PAID');
    // the approval changes after payment: the replay of payment:<claimId> no longer matches what was paid
    await h.db.claim.update({ where: { id: claim.claimId }, data: { approvedFen: 1_500 } });
    await expect(payClaim(h.db, { ...claim, amountFen: 1_500, createdBy: 'system' })).rejects.toMatchObject({
      code: 'BUSINESS_KEY_REUSED',
    });
    await expect(payClaim(h.db, { ...claim, createdBy: 'system' })).rejects.toMatchObject({ code: 'BUSINESS_KEY_REUSED' });
    expect(await h.db.ledgerTransaction.count({ where: { claimId: claim.claimId } })).toBe(1);
    expect(await reconcile(h.db, region)).toMatchObject({ paymentsFen: 3_400, fundBalanceFen: 6_600, reconciled: true });
  });

  it('refuses to pay a claim with nothing approved', async () => {
    const claim = await newClaim(region);
    await expect(payClaim(h.db, { ...claim, createdBy: 'system' })).rejects.toMatchObject({ code: 'NOTHING_APPROVED' });
  });
});

describe('R4.3 the living allowance comes from the employment fund (就业补助资金), not the special account', () => {
  const region = '140300';
  const token = () => finance(region);

  it('pays a POOR_LABOURER claim from EMPLOYMENT_FUND, reconciles each fund on its own, and takes recoveries back there', async () => {
    // money in the special account does not pay the allowance
    expect((await h.http('POST', '/ledger/allocations', { token: token(), body: allocation(region, 100_000) })).status).toBe(201);
    const allowance = await newClaim(region, { category: 'POOR_LABOURER', approvedFen: 7_500 });
    expect(await payClaim(h.db, { ...allowance, createdBy: 'system' })).toEqual({
      status: 'INSUFFICIENT_FUNDS',
      fundBalanceFen: 0,
      shortFen: 7_500,
    });

    const res = await h.http('POST', '/ledger/allocations', {
      token: token(),
      body: { ...allocation(region, 10_000, '2026年就业补助资金下达'), fund: 'EMPLOYMENT' },
    });
    expect(res.status).toBe(201);
    expect(res.body.fund).toEqual({ code: 'EMPLOYMENT_FUND:140300', regionCode: region, fund: 'EMPLOYMENT', balanceFen: 10_000 });
    expect(res.body.transaction.entries).toEqual(
      expect.arrayContaining([
        { accountCode: 'EMPLOYMENT_FUND:140300', amountFen: 10_000 },
        { accountCode: 'SOURCE:EMPLOYMENT_SUBSIDY', amountFen: -10_000 },
      ]),
    );
    expect(await payClaim(h.db, { ...allowance, createdBy: 'system' })).toMatchObject({ status: 'PAID', fundBalanceFen: 2_500 });
    // a training subsidy of the same city still comes from the special account
    const training = await newClaim(region, { approvedFen: 30_000 });
    expect(await payClaim(h.db, { ...training, createdBy: 'system' })).toMatchObject({ status: 'PAID', fundBalanceFen: 70_000 });

    const employment = await h.http('GET', `/ledger/balance?region=${region}&fund=EMPLOYMENT`, { token: token() });
    expect(employment.body).toMatchObject({
      fundAccountCode: 'EMPLOYMENT_FUND:140300',
      fund: 'EMPLOYMENT',
      allocationsFen: 10_000,
      paymentsFen: 7_500,
      fundBalanceFen: 2_500,
      reconciled: true,
    });
    const special = await h.http('GET', `/ledger/balance?region=${region}`, { token: token() });
    expect(special.body).toMatchObject({
      fundAccountCode: 'FUND:140300',
      fund: 'SPECIAL',
      allocationsFen: 100_000,
      paymentsFen: 30_000,
      fundBalanceFen: 70_000,
      reconciled: true,
    });

    const entries = await h.http('GET', `/ledger/entries?region=${region}&fund=EMPLOYMENT`, { token: token() });
    expect(entries.body.fundAccountCode).toBe('EMPLOYMENT_FUND:140300');
    expect(entries.body.items.map((e: any) => [e.kind, e.amountFen, e.claimId])).toEqual([
      ['PAYMENT', -7_500, allowance.claimId],
      ['ALLOCATION', 10_000, null],
    ]);

    // recovered allowance money goes back to the employment fund, and cannot be booked to the special account
    const repayment = {
      institutionId: allowance.institutionId,
      regionCode: region,
      claimId: allowance.claimId,
      amountFen: 1_500,
      memo: '追回生活费补贴',
    };
    const wrongFund = await h.http('POST', '/ledger/repayments', { token: token(), body: { ...repayment, fund: 'SPECIAL' } });
    expect(wrongFund.status).toBe(422);
    expect(wrongFund.body.error).toMatchObject({ code: 'CLAIM_MISMATCH', messageZh: expect.any(String) });
    const back = await h.http('POST', '/ledger/repayments', { token: token(), body: repayment });
    expect(back.status).toBe(201);
    expect(back.body.fund).toMatchObject({ code: 'EMPLOYMENT_FUND:140300', balanceFen: 4_000 });
    expect((await reconcile(h.db, region, 'EMPLOYMENT')).reconciled).toBe(true);
    expect((await reconcile(h.db, region)).fundBalanceFen).toBe(70_000);
  });

  it('wakes only the waiting claims the allocated fund pays', async () => {
    const city = '140900';
    const poor = await newClaim(city, { status: 'AWAITING_FUNDS', category: 'POOR_LABOURER', approvedFen: 1_500 });
    const worker = await newClaim(city, { status: 'AWAITING_FUNDS', approvedFen: 1_500 });
    const idle = `ledger-idle-${randomUUID()}`;
    const handles = await Promise.all(
      [poor, worker].map((c) =>
        h.temporal.workflow.start('claimWorkflow', { workflowId: claimWorkflowId(c.claimId), taskQueue: idle, args: [] }),
      ),
    );
    try {
      const res = await h.http('POST', '/ledger/allocations', {
        token: finance(city),
        body: { ...allocation(city, 1_500), fund: 'EMPLOYMENT' },
      });
      expect(res.body.claimsSignalled).toBe(1);
      const signals = async (i: number) =>
        (await handles[i].fetchHistory()).events?.filter(
          (e) => e.workflowExecutionSignaledEventAttributes?.signalName === 'claim.fundsAllocated',
        ).length;
      expect(await signals(0)).toBe(1);
      expect(await signals(1)).toBe(0);
    } finally {
      await Promise.all(handles.map((x) => x.terminate('ledger test done')));
    }
  });

  it('refuses an unknown fund with 400, changing nothing', async () => {
    const res = await h.http('POST', '/ledger/allocations', {
      token: finance('140200'),
      body: { ...allocation('140200', 100), fund: 'PENSION' },
    });
    expect(res.status).toBe(400);
    expect(res.body.error.details.map((d: any) => d.field)).toContain('fund');
    expect((await h.http('GET', '/ledger/balance?region=140200&fund=PENSION', { token: finance('140200') })).status).toBe(400);
    expect(await fundTransactions(h.db, 'EMPLOYMENT_FUND:140200')).toBe(0);
  });
});

describe('R7.2 the database keeps the ledger whole', () => {
  /** Two fresh payee accounts: raw postings between them touch no fund that a scenario reconciles. */
  async function scratchAccounts() {
    const ids = await Promise.all([institutionRows(h.db, '140100'), institutionRows(h.db, '140100')]);
    return Promise.all(
      ids.map(({ institutionId }) => h.db.ledgerAccount.create({ data: { code: `PAYEE:${institutionId}`, kind: 'PAYEE', institutionId } })),
    );
  }

  /**
   * Raw SQL on a connection of its own (not Prisma's pool), statement by statement, so the test sees which
   * statement PostgreSQL refuses: the inserts, or the COMMIT.
   */
  async function rawTransaction(statements: [string, unknown[]][]): Promise<{ failedAt: string | null; error?: string }> {
    const client = new PgClient({ connectionString: process.env.DATABASE_URL });
    await client.connect();
    let step = 'BEGIN';
    try {
      await client.query('BEGIN');
      for (const [sql, params] of statements) {
        step = sql.split(' ').slice(0, 3).join(' ');
        await client.query(sql, params);
      }
      step = 'COMMIT';
      await client.query('COMMIT');
      return { failedAt: null };
    } catch (err) {
      await client.query('ROLLBACK').catch(() => undefined);
      return { failedAt: step, error: (err as Error).message };
    } finally {
      await client.end();
    }
  }
  const txRow = (id: string): [string, unknown[]] => [
    `INSERT INTO "LedgerTransaction" ("id", "kind", "businessKey", "memo", "createdBy") VALUES ($1, 'PAYMENT', $2, 'raw insert', 'ledger-test')`,
    [id, `raw:${id}`],
  ];
  const entryRow = (transactionId: string, accountId: string, amountFen: number): [string, unknown[]] => [
    `INSERT INTO "LedgerEntry" ("transactionId", "accountId", "amountFen") VALUES ($1, $2, $3)`,
    [transactionId, accountId, amountFen],
  ];

  it('refuses at commit a transaction whose entries do not sum to zero, or that has no entries', async () => {
    const [a, b] = await scratchAccounts();
    const unbalanced = randomUUID();
    const first = await rawTransaction([txRow(unbalanced), entryRow(unbalanced, a.id, 100), entryRow(unbalanced, b.id, -99)]);
    expect(first).toMatchObject({ failedAt: 'COMMIT', error: expect.stringMatching(/unbalanced: 2 entries summing to 1 fen/) });
    const empty = randomUUID();
    expect(await rawTransaction([txRow(empty)])).toMatchObject({
      failedAt: 'COMMIT',
      error: expect.stringMatching(/unbalanced: 0 entries/),
    });
    const single = randomUUID();
    expect(await rawTransaction([txRow(single), entryRow(single, a.id, 100)])).toMatchObject({ failedAt: 'COMMIT' });
    expect(await h.db.ledgerTransaction.count({ where: { id: { in: [unbalanced, empty, single] } } })).toBe(0);
    expect(await h.db.ledgerEntry.count({ where: { accountId: { in: [a.id, b.id] } } })).toBe(0);
  });

  it('checks the balance at commit, not per row: entries written one by one that end balanced are accepted', async () => {
    const [a, b] = await scratchAccounts();
    const id = randomUUID();
    // after the first entry the transaction is unbalanced; only the state at COMMIT counts
    expect(await rawTransaction([txRow(id), entryRow(id, a.id, 100), entryRow(id, b.id, -100)])).toEqual({ failedAt: null });
    expect(await h.db.ledgerEntry.count({ where: { transactionId: id } })).toBe(2);
  });

  it('refuses a zero entry at once (CHECK)', async () => {
    const [a, b] = await scratchAccounts();
    const id = randomUUID();
    const result = await rawTransaction([txRow(id), entryRow(id, a.id, 0), entryRow(id, b.id, 0)]);
    expect(result.failedAt).toMatch(/^INSERT INTO "LedgerEntry"/);
    expect(result.error).toMatch(/LedgerEntry_amount_not_zero/);
    expect(await h.db.ledgerTransaction.count({ where: { id } })).toBe(0);
  });

  it('keeps transactions append-only like their entries', async () => {
    const claim = await newClaim('140000', { approvedFen: 100 });
    const paid = await payClaim(h.db, { ...claim, createdBy: 'system' });
    expect(paid.status).toBe('PAID');
    const id = (paid as { transactionId: string }).transactionId;
    await expect(h.db.ledgerTransaction.update({ where: { id }, data: { memo: 'changed' } })).rejects.toThrow(
      /LedgerTransaction is append-only/,
    );
    await expect(h.db.$executeRaw`DELETE FROM "LedgerTransaction" WHERE "id" = ${id}::uuid`).rejects.toThrow(/append-only/);
    await expect(h.db.ledgerEntry.updateMany({ where: { transactionId: id }, data: { amountFen: 1n } })).rejects.toThrow(
      /LedgerEntry is append-only/,
    );
  });

  it('refuses TRUNCATE of the ledger and the audit trail', async () => {
    // Inside a transaction that is rolled back whatever happens, so a missing trigger empties nothing.
    const truncate = (table: string) =>
      rawTransaction([
        [`TRUNCATE "${table}"`, []],
        ['SELECT 1/0', []],
      ]);
    expect(await truncate('AuditEvent')).toMatchObject({
      failedAt: 'TRUNCATE "AuditEvent"',
      error: expect.stringMatching(/AuditEvent may not be truncated/),
    });
    expect(await truncate('LedgerEntry')).toMatchObject({
      failedAt: 'TRUNCATE "LedgerEntry"',
      error: expect.stringMatching(/LedgerEntry may not be truncated/),
    });
    // Every ledger table and the audit trail carries its own BEFORE TRUNCATE trigger (tgtype bit 5).
    const rows = await h.db.$queryRaw<{ table: string }[]>`
      SELECT c.relname::text AS "table" FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid
      WHERE (t.tgtype & 32) <> 0 AND NOT t.tgisinternal ORDER BY 1`;
    expect(rows.map((r) => r.table)).toEqual(expect.arrayContaining(['AuditEvent', 'LedgerAccount', 'LedgerEntry', 'LedgerTransaction']));
  });
});

describe('repayments, entries and reconciliation (R7.2, R7.4)', () => {
  it('returns recovered money to the fund, lists the entries newest first and still reconciles', async () => {
    const region = '140600';
    const token = finance(region);
    expect((await h.http('POST', '/ledger/allocations', { token, body: allocation(region, 5_000) })).status).toBe(201);
    const claim = await newClaim(region, { approvedFen: 2_000 });
    const paid = await payClaim(h.db, { ...claim, amountFen: 2_000, createdBy: 'system' });
    expect(paid.status).toBe('PAID');

    const repayment = {
      institutionId: claim.institutionId,
      regionCode: region,
      claimId: claim.claimId,
      amountFen: 800,
      memo: '追回虚假培训补贴',
    };
    const tooMuch = await h.http('POST', '/ledger/repayments', { token, body: { ...repayment, amountFen: 2_001 } });
    expect(tooMuch.status).toBe(422);
    expect(tooMuch.body.error).toMatchObject({ code: 'REPAYMENT_EXCEEDS_PAID', messageZh: expect.any(String) });

    const res = await h.http('POST', '/ledger/repayments', { token, body: repayment });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ transaction: { kind: 'RECOVERY', claimId: claim.claimId }, fund: { balanceFen: 3_800 } });
    // only what is still outstanding for the claim can come back
    const rest = await h.http('POST', '/ledger/repayments', { token, body: { ...repayment, amountFen: 1_201 } });
    expect(rest.status).toBe(422);

    const balance = await h.http('GET', `/ledger/balance?region=${region}`, { token });
    expect(balance.body).toEqual({
      fundAccountCode: 'FUND:140600',
      regionCode: region,
      fund: 'SPECIAL',
      fundBalanceFen: 3_800,
      allocationsFen: 5_000,
      paymentsFen: 2_000,
      recoveriesFen: 800,
      ledgerSumFen: 3_800,
      unbalancedTransactions: 0,
      reconciled: true,
    });

    const page1 = await h.http('GET', `/ledger/entries?region=${region}&limit=2`, { token });
    expect(page1.status).toBe(200);
    expect(page1.body.items.map((e: any) => [e.kind, e.amountFen])).toEqual([
      ['RECOVERY', 800],
      ['PAYMENT', -2_000],
    ]);
    expect(page1.body.items[0]).toMatchObject({
      memo: '追回虚假培训补贴',
      claimId: claim.claimId,
      counterAccountCode: `PAYEE:${claim.institutionId}`,
    });
    const page2 = await h.http('GET', `/ledger/entries?region=${region}&limit=2&cursor=${page1.body.nextCursor}`, { token });
    expect(page2.body.items.map((e: any) => [e.kind, e.amountFen, e.counterAccountCode])).toEqual([
      ['ALLOCATION', 5_000, 'SOURCE:UI_SURPLUS'],
    ]);
    expect(page2.body.nextCursor).toBeNull();
  });
});

describe('who may see and move the money', () => {
  it('refuses the wrong role (403) and another region (403), and changes nothing', async () => {
    const before = await fundTransactions(h.db, 'FUND:140200'); // other test files may pay claims from this fund
    const body = allocation('140200', 100);
    const asInstitution = h.token({ sub: 'inst', roles: ['institution'], region: '140200', institution: randomUUID() });
    const asReviewer = h.token({ sub: 'rev', roles: ['reviewer'], region: '140200' });
    expect((await h.http('POST', '/ledger/allocations', { token: asInstitution, body })).body.error.code).toBe('FORBIDDEN_ROLE');
    expect((await h.http('POST', '/ledger/allocations', { token: asReviewer, body })).status).toBe(403);
    expect((await h.http('GET', '/ledger/balance?region=140200', { token: asInstitution })).status).toBe(403);
    const otherCity = await h.http('POST', '/ledger/allocations', { token: finance('140100'), body });
    expect(otherCity.status).toBe(403);
    expect(otherCity.body.error.code).toBe('FORBIDDEN_REGION');
    // a county officer may read the city fund it is paid from, but not move its money
    const county = finance('140105');
    expect((await h.http('GET', '/ledger/balance', { token: county })).body.fundAccountCode).toBe('FUND:140100');
    expect((await h.http('POST', '/ledger/allocations', { token: county, body: allocation('140105', 100) })).status).toBe(403);
    expect((await h.http('GET', '/ledger/balance?region=140200', { token: asReviewer })).status).toBe(200);
    expect(await fundTransactions(h.db, 'FUND:140200')).toBe(before);
  });

  it.each([
    ['a negative amount', { amountFen: -100 }, 'amountFen'],
    ['a zero amount', { amountFen: 0 }, 'amountFen'],
    ['a fractional amount', { amountFen: 10.5 }, 'amountFen'],
    ['an amount as text', { amountFen: '100' }, 'amountFen'],
    ['an amount over 10^12 fen', { amountFen: 1_000_000_000_001 }, 'amountFen'],
    ['an unsafe integer', { amountFen: 2 ** 60 }, 'amountFen'],
    ['no memo', { memo: undefined }, 'memo'],
    ['a region outside Shanxi', { regionCode: '110000' }, 'regionCode'],
    ['an unknown field', { payee: 'x' }, 'body'],
  ])('refuses %s with 400 and the field', async (_, change, field) => {
    const before = await fundTransactions(h.db, 'FUND:140200');
    const res = await h.http('POST', '/ledger/allocations', {
      token: finance('140200'),
      body: { ...allocation('140200', 100), ...change },
    });
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({ code: 'VALIDATION_FAILED', messageZh: expect.any(String) });
    expect(res.body.error.details.map((d: any) => d.field)).toContain(field);
    expect(await fundTransactions(h.db, 'FUND:140200')).toBe(before);
  });

  it('refuses bad repayment input and a bad cursor with 4xx, never 5xx', async () => {
    const token = finance('140200');
    const bad = await h.http('POST', '/ledger/repayments', {
      token,
      body: { institutionId: 'nope', regionCode: '140200', amountFen: -5, memo: 'x' },
    });
    expect(bad.status).toBe(400);
    expect(bad.body.error.details.map((d: any) => d.field).sort()).toEqual(['amountFen', 'institutionId']);
    const unknownRegion = await h.http('POST', '/ledger/allocations', { token: finance('140000'), body: allocation('149900', 100) });
    expect(unknownRegion.status).toBe(422);
    expect((await h.http('GET', '/ledger/entries?cursor=garbage', { token })).status).toBe(400);
    expect((await h.http('GET', '/ledger/entries?limit=0', { token })).status).toBe(400);
  });
});
