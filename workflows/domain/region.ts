/**
 * GB/T 2260 administrative division codes (行政区划代码), 6 digits: PP CC DD
 *   PP0000 province (省级), PPCC00 city (地级), PPCCDD county (县级).
 *
 * Used for data-scope checks: a bureau user only sees cases in the region it administers, and filing
 * (R2.1) goes to the HR department "at their own level". Codes like PP00DD (county-level units directly
 * under a province, 省直辖县级) are handled: they have no city ancestor.
 */

/** Province-level prefixes in GB/T 2260 (incl. 71 Taiwan, 81 Hong Kong, 82 Macao). */
const PROVINCE_PREFIXES: ReadonlySet<string> = new Set([
  '11',
  '12',
  '13',
  '14',
  '15',
  '21',
  '22',
  '23',
  '31',
  '32',
  '33',
  '34',
  '35',
  '36',
  '37',
  '41',
  '42',
  '43',
  '44',
  '45',
  '46',
  '50',
  '51',
  '52',
  '53',
  '54',
  '61',
  '62',
  '63',
  '64',
  '65',
  '71',
  '81',
  '82',
]);

export type RegionLevel = 'province' | 'city' | 'county';

/** True iff the two digits are a province-level code (also used for resident-ID checks, GB 11643). */
export function isProvincePrefix(twoDigits: string): boolean {
  return PROVINCE_PREFIXES.has(twoDigits);
}

/** Six digits starting with a province-level prefix. Does not check the code exists in the current list. */
export function isRegionCode(s: unknown): s is string {
  return typeof s === 'string' && /^[0-9]{6}$/.test(s) && isProvincePrefix(s.slice(0, 2));
}

function assertRegionCode(code: string, fn: string): void {
  if (!isRegionCode(code)) {
    throw new Error(`${fn}: not a GB/T 2260 region code: ${JSON.stringify(code)}`);
  }
}

export function regionLevel(code: string): RegionLevel {
  assertRegionCode(code, 'regionLevel');
  if (code.endsWith('0000')) return 'province';
  if (code.endsWith('00')) return 'city';
  return 'county';
}

/** Ancestors from province down to the code itself, e.g. '140105' → ['140000', '140100', '140105']. */
export function regionAncestors(code: string): string[] {
  assertRegionCode(code, 'regionAncestors');
  const province = `${code.slice(0, 2)}0000`;
  const result = [province];
  const cityPart = code.slice(2, 4);
  if (cityPart !== '00') result.push(`${code.slice(0, 4)}00`);
  if (code.slice(4, 6) !== '00') result.push(code);
  return result;
}

/**
 * The significant prefix of a code: 2 digits for a province, 4 for a city, all 6 for a county.
 * Meant for SQL `LIKE prefix || '%'` (the result only contains digits, so no escaping is needed).
 */
export function regionPrefix(code: string): string {
  switch (regionLevel(code)) {
    case 'province':
      return code.slice(0, 2);
    case 'city':
      return code.slice(0, 4);
    default:
      return code;
  }
}

/**
 * Does a user administering `userRegion` cover a case in `caseRegion`?
 * Fails closed: malformed input on either side gives false rather than throwing, because this guards access.
 */
export function regionCovers(userRegion: string, caseRegion: string): boolean {
  if (!isRegionCode(userRegion) || !isRegionCode(caseRegion)) return false;
  return caseRegion.startsWith(regionPrefix(userRegion));
}
