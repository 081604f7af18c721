import {
  EMPLOYMENT_SOURCE_ACCOUNT_CODE,
  fenNumber,
  fenNumberOrNull,
  fundAccountCode,
  fundKindForCategory,
  fundRegionCode,
  isBalanced,
  isReconciled,
  isValidAmountFen,
  MAX_AMOUNT_FEN,
  payeeAccountCode,
  paymentBusinessKey,
  SOURCE_ACCOUNT_CODE,
  sourceAccountCode,
  transactionEntries,
  type FundFigures,
} from '../../workflows/domain/ledger-rules';

// R7.1: the special account (职业技能提升行动专账) is kept per city; R7.2: a ledger of payments.

describe(fundAccountCode.name, () => {
  it.each([
    ['140105', 'FUND:140100'], // a county draws on its city's fund
    ['140100', 'FUND:140100'],
    ['141100', 'FUND:141100'],
    ['140000', 'FUND:140000'], // the province keeps its own
    ['429004', 'FUND:429000'], // 省直辖县级 grouped under 4290 in GB/T 2260
    ['140001', 'FUND:140000'], // a county directly under the province (PP00DD) has no city
  ])('R7.1 %s is paid from %s', (region, code) => {
    expect(fundAccountCode(region)).toBe(code);
    expect(code).toBe(`FUND:${fundRegionCode(region)}`);
  });

  it.each(['14010', '990000', '', 'FUND:140100'])('throws on %p, not a region code', (bad) => {
    expect(() => fundAccountCode(bad)).toThrow(/region code/);
  });
});

describe('R4.3 the employment fund (就业补助资金), a second fund per city', () => {
  it.each([
    ['POOR_LABOURER', 'EMPLOYMENT'], // R4.3 living allowance: from the employment fund, not the special account
    ['WORKER', 'SPECIAL'], // R4.2
    ['ENTERPRISE_EMPLOYEE', 'SPECIAL'], // R4.1
    ['CERTIFICATE', 'SPECIAL'], // R4.4
  ] as const)('R4.3/R7.1 a %s payment comes from the %s fund', (category, fund) => {
    expect(fundKindForCategory(category)).toBe(fund);
  });

  it.each([
    ['140105', 'SPECIAL', 'FUND:140100'],
    ['140105', 'EMPLOYMENT', 'EMPLOYMENT_FUND:140100'], // a county draws on its city's employment fund too
    ['140000', 'EMPLOYMENT', 'EMPLOYMENT_FUND:140000'],
  ] as const)('R4.3 %s %s fund is %s', (region, fund, code) => {
    expect(fundAccountCode(region, fund)).toBe(code);
  });

  it('keeps the special account the default, and draws each fund from its own source', () => {
    expect(fundAccountCode('140100')).toBe(fundAccountCode('140100', 'SPECIAL'));
    expect(sourceAccountCode('SPECIAL')).toBe(SOURCE_ACCOUNT_CODE);
    expect(sourceAccountCode('EMPLOYMENT')).toBe(EMPLOYMENT_SOURCE_ACCOUNT_CODE);
    expect(EMPLOYMENT_SOURCE_ACCOUNT_CODE).not.toBe(SOURCE_ACCOUNT_CODE);
  });
});

describe(fenNumber.name, () => {
  it.each([
    [0n, 0],
    [1_500n, 1_500],
    [-2_000n, -2_000],
    [BigInt(Number.MAX_SAFE_INTEGER), Number.MAX_SAFE_INTEGER],
    [300, 300],
  ])('R7.2 %p fen is the plain number %p', (fen, n) => {
    expect(fenNumber(fen)).toBe(n);
  });

  it.each([2n ** 53n, -(2n ** 53n) - 1n, 2n ** 63n - 1n, 2 ** 53, 0.5])('refuses %p: it would not be exact', (fen) => {
    expect(() => fenNumber(fen)).toThrow(RangeError);
  });

  it('passes null through for nullable columns', () => {
    expect(fenNumberOrNull(null)).toBeNull();
    expect(fenNumberOrNull(undefined)).toBeNull();
    expect(fenNumberOrNull(100n)).toBe(100);
  });
});

describe('account codes and business keys', () => {
  it('names the surplus source, payees and payments', () => {
    expect(SOURCE_ACCOUNT_CODE).toBe('SOURCE:UI_SURPLUS');
    expect(payeeAccountCode('6f1c3f0e-7c4e-4a57-9a0b-3b1a2c4d5e6f')).toBe('PAYEE:6f1c3f0e-7c4e-4a57-9a0b-3b1a2c4d5e6f');
    expect(paymentBusinessKey('c1')).toBe('payment:c1');
  });
});

describe(transactionEntries.name, () => {
  it.each([
    ['ALLOCATION', 500n, 500n, -500n], // R7.1 surplus moved into the fund
    ['PAYMENT', 500n, -500n, 500n], // R7.2 a subsidy paid out
    ['RECOVERY', 500n, 500n, -500n], // R7.4 recovered money returns to the fund
  ] as const)('%s of %p: fund %p, counter-account %p', (kind, amount, fund, counter) => {
    const entries = transactionEntries(kind, amount);
    expect(entries).toEqual([
      { side: 'FUND', amountFen: fund },
      { side: 'COUNTER', amountFen: counter },
    ]);
    expect(isBalanced(entries)).toBe(true);
  });

  it.each([0n, -1n])('refuses a non-positive amount %p', (amount) => {
    expect(() => transactionEntries('PAYMENT', amount)).toThrow(/positive/);
  });
});

describe(isBalanced.name, () => {
  it.each([
    [[100n, -100n], true],
    [[100, -60, -40], true],
    [[2n ** 62n, -(2n ** 62n)], true],
    [[100n, -99n], false],
    [[100n], false], // one entry is not double entry
    [[], false],
    [[0n, 0n], false], // zero entries carry nothing
    [[0.5, -0.5], false], // fen are whole
  ])('%p → %p', (amounts, expected) => {
    expect(isBalanced(amounts.map((amountFen) => ({ amountFen })))).toBe(expected);
  });
});

describe(isValidAmountFen.name, () => {
  it.each([
    [1, true],
    [MAX_AMOUNT_FEN, true],
    [MAX_AMOUNT_FEN + 1, false],
    [0, false],
    [-100, false],
    [10.5, false],
    [Number.NaN, false],
    ['100', false],
  ])('%p → %p', (n, expected) => {
    expect(isValidAmountFen(n)).toBe(expected);
  });
});

describe(isReconciled.name, () => {
  const books: FundFigures = {
    balanceFen: 700n,
    allocationsFen: 1000n,
    paymentsFen: 400n,
    recoveriesFen: 100n,
    ledgerSumFen: 700n,
    unbalancedTransactions: 0,
  };

  it('R7.2 allocations − payments + recoveries = balance = sum of entries', () => {
    expect(isReconciled(books)).toBe(true);
  });

  it.each([
    ['a stored balance that drifted from the entries', { balanceFen: 800n }],
    ['entries that do not add up to the balance', { ledgerSumFen: 600n }],
    ['a payment missing from the totals', { paymentsFen: 300n }],
    ['an unbalanced transaction', { unbalancedTransactions: 1 }],
  ])('fails on %s', (_, change) => {
    expect(isReconciled({ ...books, ...change })).toBe(false);
  });

  it('holds for an empty fund', () => {
    expect(
      isReconciled({ balanceFen: 0n, allocationsFen: 0n, paymentsFen: 0n, recoveriesFen: 0n, ledgerSumFen: 0n, unbalancedTransactions: 0 }),
    ).toBe(true);
  });
});
