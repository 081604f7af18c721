// R9.8, R9.10, R7.4 (issue 9 item 3): SME status from the credit code, and why a bid is refused.
import { officialCalendar } from '../../workflows/domain/calendar';
import { computeCreditCodeCheckChar } from '../../workflows/domain/credit-code';
import { DEFAULT_POLICY } from '../../workflows/domain/policy';
import { bidRefusals, missingRequirements, smeStatus, type BidFacts, type Requirement } from '../../workflows/domain/supplier';

const cal = officialCalendar;
const params = DEFAULT_POLICY.procurement;
const sh = (local: string) => new Date(`${local}+08:00`);
/** A valid unified social credit code with the given registration authority and type characters. */
const code = (authorityAndType: string) => {
  const first17 = `${authorityAndType}140105MA0K1234A`.slice(0, 17);
  return first17 + computeCreditCodeCheckChar(first17);
};

describe(smeStatus.name, () => {
  it.each([
    ['R9.10 a public institution (12, 事业单位) is never an SME', '12', true, false, true, 'PUBLIC_INSTITUTION'],
    ['R9.10 any establishment-authority registrant (11) is never an SME', '11', true, false, true, 'PUBLIC_INSTITUTION'],
    ['R9.10 a private non-enterprise unit (52, 民办非企业单位) is never an SME', '52', true, false, true, 'PRIVATE_NON_ENTERPRISE'],
    ['R9.10 an enterprise (91) that declares SME is one', '91', true, true, false, 'DECLARED'],
    ['R9.10 an enterprise (92) that does not declare is not', '92', false, false, false, 'DECLARED'],
    ['R9.10 a social group (51) takes its declaration', '51', false, false, false, 'DECLARED'],
  ])('%s', (_name, prefix, declared, sme, derived, basis) => {
    expect(smeStatus(code(prefix), declared)).toMatchObject({ sme, derived, basis });
  });

  it('says why in both languages', () => {
    expect(smeStatus(code('52'), true).messageZh).toMatch(/民办非企业单位/);
  });

  it('throws on an invalid code', () => {
    const valid = code('91');
    const wrongCheck = valid.slice(0, 17) + (valid[17] === '0' ? '1' : '0');
    expect(() => smeStatus(wrongCheck, true)).toThrow(/CHECK_CHARACTER/);
    expect(() => smeStatus('91-not-a-code', true)).toThrow(/FORMAT/);
  });
});

describe(bidRefusals.name, () => {
  const at = sh('2026-10-15T10:00');
  const clean: BidFacts = {
    at,
    financeBans: [],
    majorIllegalRecords: [],
    trainingBlacklisted: false,
    missingRequirements: [],
    pricePerPersonFen: 150_000,
    ceilingPricePerPersonFen: 150_000,
  };
  const codes = (facts: Partial<BidFacts>) => bidRefusals({ ...clean, ...facts }, params, cal).map((r) => r.code);

  it('a clean bid at the ceiling is taken', () => {
    expect(codes({})).toEqual([]);
  });

  it('R9.8 (Law 77) a finance-department ban in force refuses the bid; an expired or future one does not', () => {
    expect(codes({ financeBans: [{ from: '2025-01-01T00:00:00+08:00', until: '2027-01-01T00:00:00+08:00' }] })).toEqual(['BIDDER_BANNED']);
    expect(codes({ financeBans: [{ from: '2025-01-01T00:00:00+08:00', until: null }] })).toEqual(['BIDDER_BANNED']);
    expect(codes({ financeBans: [{ from: '2023-01-01T00:00:00+08:00', until: '2026-10-15T10:00:00+08:00' }] })).toEqual([]);
    expect(codes({ financeBans: [{ from: '2026-10-15T10:00:01+08:00', until: null }] })).toEqual([]);
  });

  it('R9.8 (Regs 19) a major illegal record exactly 3 years back still bars; a day older does not', () => {
    const record = (decidedAt: string) => ({ decidedAt, description: 'fine of 2 million yuan' });
    expect(codes({ majorIllegalRecords: [record('2023-10-15T09:00:00+08:00')] })).toEqual(['BIDDER_MAJOR_ILLEGAL_RECORD']);
    expect(codes({ majorIllegalRecords: [record('2023-10-14T09:00:00+08:00')] })).toEqual([]);
    expect(codes({ majorIllegalRecords: [record('2026-10-16T09:00:00+08:00')] })).toEqual([]);
  });

  it('R7.4 the training blacklist refuses, kept apart from the finance ban', () => {
    expect(codes({ trainingBlacklisted: true })).toEqual(['BIDDER_BLACKLISTED']);
  });

  it('names every requirement not met, in both languages', () => {
    const required: Requirement[] = [
      { key: 'licence', name: 'Private school licence', nameZh: '民办学校办学许可证' },
      { key: 'teachers', name: 'Five certified teachers', nameZh: '五名持证教师' },
      { key: 'site', name: 'Training site', nameZh: '培训场地' },
    ];
    const missing = missingRequirements(required, ['site']);
    const [refusal] = bidRefusals({ ...clean, missingRequirements: missing }, params, cal);
    expect(refusal.code).toBe('REQUIREMENTS_NOT_MET');
    expect(refusal.problems).toEqual([
      { field: 'requirements.licence', problem: 'not met: Private school licence', problemZh: '不满足：民办学校办学许可证' },
      { field: 'requirements.teachers', problem: 'not met: Five certified teachers', problemZh: '不满足：五名持证教师' },
    ]);
  });

  it('a price one fen above the ceiling is refused, in yuan in both languages', () => {
    const [refusal] = bidRefusals({ ...clean, pricePerPersonFen: 150_001 }, params, cal);
    expect(refusal.code).toBe('PRICE_ABOVE_CEILING');
    expect(refusal.message).toContain('1500.01 yuan');
    expect(refusal.messageZh).toContain('1500.00元');
  });

  it('gives every reason at once', () => {
    expect(
      codes({
        financeBans: [{ from: '2025-01-01T00:00:00+08:00', until: null }],
        trainingBlacklisted: true,
        pricePerPersonFen: 200_000,
      }),
    ).toEqual(['BIDDER_BANNED', 'BIDDER_BLACKLISTED', 'PRICE_ABOVE_CEILING']);
  });

  it('throws on a price that is not positive fen or a ban date that is not an instant', () => {
    expect(() => codes({ pricePerPersonFen: 0 })).toThrow(/positive fen/);
    expect(() => codes({ financeBans: [{ from: 'yesterday', until: null }] })).toThrow(/not an instant/);
  });
});
