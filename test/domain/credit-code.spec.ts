import { computeCreditCodeCheckChar, validateCreditCode } from '../../workflows/domain/credit-code';

// R2.1 filing (审核备案) and R2.2 bidding identify providers by unified social credit code, GB 32100-2015.
describe(validateCreditCode.name, () => {
  it.each([
    ['91350100M000100Y43', 'known valid code (company, Fuzhou)'],
    ['91140100MA0KXR7Q1W', 'company registered in Taiyuan'],
    ['12140000405001234E', 'public institution (事业单位), Shanxi'],
    ['52140100MJY123456L', 'private non-enterprise unit (民办非企业单位), check char is a letter'],
  ])('R2.1 accepts %s (%s)', (code) => {
    expect(validateCreditCode(code)).toEqual({ ok: true });
  });

  it.each([
    ['91350100M000100Y44', 'CHECK_CHARACTER', 'wrong check char'],
    ['91350100M000100Y4Y', 'CHECK_CHARACTER', 'wrong check char (letter)'],
    ['91350100M000100I43', 'FORMAT', 'forbidden letter I'],
    ['91350100M000100O43', 'FORMAT', 'forbidden letter O'],
    ['91350100M000100Z43', 'FORMAT', 'forbidden letter Z'],
    ['91350100M000100S43', 'FORMAT', 'forbidden letter S'],
    ['91350100M000100V43', 'FORMAT', 'forbidden letter V'],
    ['91350100m000100y43', 'FORMAT', 'lower case (callers normalise)'],
    ['91350100M000100Y4', 'FORMAT', 'too short (17)'],
    ['91350100M000100Y433', 'FORMAT', 'too long (19)'],
    ['', 'FORMAT', 'empty'],
    [' 91350100M000100Y43', 'FORMAT', 'leading space'],
    ['9135A100M000100Y43', 'FORMAT', 'letter in region part (positions 3–8)'],
  ])('R2.1 rejects %s as %s (%s)', (code, problem) => {
    expect(validateCreditCode(code)).toEqual({ ok: false, problem });
  });
});

describe(computeCreditCodeCheckChar.name, () => {
  it.each([
    ['91350100M000100Y4', '3'],
    ['91140100MA0KXR7Q1', 'W'],
    ['12140000405001234', 'E'],
  ])('GB 32100 check char of %s is %s', (first17, expected) => {
    expect(computeCreditCodeCheckChar(first17)).toBe(expected);
  });

  it.each([['91350100M000100Y'], ['91350100M000100Y43'], ['91350100M000100I4'], ['91350100m000100y4']])(
    'throws on malformed input %s',
    (bad) => {
      expect(() => computeCreditCodeCheckChar(bad)).toThrow(/17 characters/);
    },
  );
});
