import { computeResidentIdCheckDigit, maskResidentId, validateResidentId } from '../../workflows/domain/resident-id';

// R5.4 real-name system (实名制): trainees are identified by resident ID, GB 11643-1999.
const TODAY = '2025-09-30';

describe(validateResidentId.name, () => {
  it.each([
    ['11010519491231002X', 'GB 11643 standard sample (check X)'],
    ['140105199001011238', 'Taiyuan, 1990'],
    ['140105200002290019', 'born on a leap day'],
    ['140105190001010015', 'born 1900-01-01 (earliest accepted)'],
    ['140105202509300019', 'born today'],
    ['810000199001011230', 'Hong Kong (81)'],
  ])('R5.4 / GB 11643 accepts %s (%s)', (id) => {
    expect(validateResidentId(id, TODAY)).toEqual({ ok: true });
  });

  // Rows other than CHECK_DIGIT/FORMAT carry a correct check digit, so only the named problem is present.
  it.each([
    ['110105194912310021', 'CHECK_DIGIT', 'wrong check digit'],
    ['110105194912310020', 'CHECK_DIGIT', 'digit where X is due'],
    ['11010519491231002x', 'FORMAT', 'lower-case x'],
    ['11010519491231002', 'FORMAT', 'too short'],
    ['11010519491231002X1', 'FORMAT', 'too long'],
    ['110105491231002', 'FORMAT', 'old 15-digit number'],
    ['1101051949123100XX', 'FORMAT', 'X not in last position'],
    ['', 'FORMAT', 'empty'],
    ['110105194902300020', 'BIRTH_DATE', 'Feb 30'],
    ['140105202510010019', 'BIRTH_DATE', 'born after today'],
    ['140105189912310010', 'BIRTH_DATE', 'before 1900-01-01'],
    ['140105199013010013', 'BIRTH_DATE', 'month 13'],
    ['140105190002290012', 'BIRTH_DATE', '1900 is not a leap year'],
    ['990105194912310023', 'REGION', 'province 99'],
    ['200105194912310021', 'REGION', 'province 20 (unassigned)'],
    ['000105194912310024', 'REGION', 'province 00'],
  ])('R5.4 / GB 11643 rejects %s as %s (%s)', (id, problem) => {
    expect(validateResidentId(id, TODAY)).toEqual({ ok: false, problem });
  });

  it.each([['2025-9-30'], ['2025-02-30'], ['']])('throws on malformed today %p', (today) => {
    expect(() => validateResidentId('11010519491231002X', today)).toThrow(/ISO date/);
  });
});

describe(computeResidentIdCheckDigit.name, () => {
  it.each([
    ['11010519491231002', 'X'],
    ['14010519900101123', '8'],
    ['14010520000229001', '9'],
  ])('GB 11643 check digit of %s is %s', (first17, expected) => {
    expect(computeResidentIdCheckDigit(first17)).toBe(expected);
  });

  it('throws without echoing the input', () => {
    expect(() => computeResidentIdCheckDigit('1101051949123100')).toThrow(/17 digits/);
    expect(() => computeResidentIdCheckDigit('1101051949123100')).not.toThrow(/1101051949123100/);
  });
});

describe(maskResidentId.name, () => {
  it.each([
    ['140105199001011234', '140105********1234'],
    ['11010519491231002X', '110105********002X'],
    ['12345', '*****'],
    ['', ''],
  ])('R10.2 masks %s as %s', (id, masked) => {
    expect(maskResidentId(id)).toBe(masked);
  });
});
