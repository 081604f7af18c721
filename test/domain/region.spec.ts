import { isRegionCode, regionAncestors, regionCovers, regionLevel, regionPrefix } from '../../workflows/domain/region';

// R2.1: providers file with the HR department at their own level; users see cases in their region.
// Codes are GB/T 2260 (see shared/data/regions.csv: Shanxi 14xxxx).

describe(isRegionCode.name, () => {
  it.each([
    ['140000', true],
    ['140105', true],
    ['820000', true],
    ['14010', false],
    ['1401050', false],
    ['990000', false],
    ['000000', false],
    ['14a105', false],
    [' 140105', false],
    [140105, false],
    [undefined, false],
  ])('%p → %p', (s, expected) => {
    expect(isRegionCode(s)).toBe(expected);
  });
});

describe(regionLevel.name, () => {
  it.each([
    ['140000', 'province'],
    ['140100', 'city'],
    ['140105', 'county'],
    ['429004', 'county'],
  ])('R2.1 %s is a %s', (code, level) => {
    expect(regionLevel(code)).toBe(level);
  });

  it('throws on a malformed code', () => {
    expect(() => regionLevel('14010')).toThrow(/region code/);
  });
});

describe(regionAncestors.name, () => {
  it.each([
    ['140105', ['140000', '140100', '140105']],
    ['140100', ['140000', '140100']],
    ['140000', ['140000']],
    ['140005', ['140000', '140005']], // county-level unit directly under the province (省直辖)
  ])('R2.1 %s → %j', (code, expected) => {
    expect(regionAncestors(code)).toEqual(expected);
  });
});

describe(regionPrefix.name, () => {
  it.each([
    ['140000', '14'],
    ['140100', '1401'],
    ['140105', '140105'],
  ])('%s → LIKE %s%%', (code, prefix) => {
    expect(regionPrefix(code)).toBe(prefix);
  });
});

describe(regionCovers.name, () => {
  it.each([
    ['140000', '140105', true, 'province covers its county'],
    ['140000', '140200', true, 'province covers its city'],
    ['140000', '140000', true, 'province covers itself'],
    ['140000', '130105', false, 'province does not cover another province'],
    ['140100', '140105', true, 'city covers its county'],
    ['140100', '140100', true, 'city covers itself'],
    ['140100', '140000', false, 'city does not cover its province'],
    ['140100', '140202', false, 'city does not cover a county of another city'],
    ['140105', '140105', true, 'county covers itself'],
    ['140105', '140106', false, 'county does not cover a sibling'],
    ['140105', '140100', false, 'county does not cover its city'],
    ['14', '140105', false, 'malformed user region fails closed'],
    ['140000', '14010X', false, 'malformed case region fails closed'],
  ])('R2.1 %s covers %s: %p (%s)', (user, target, expected) => {
    expect(regionCovers(user, target)).toBe(expected);
  });
});
