/**
 * The registry of poor labourers (建档立卡贫困劳动力, R4.3): a fact of the poverty-alleviation registry that
 * bureau staff enter or import (POST /trainees/poor-labourers, JSON or CSV), never an institution's roster.
 * This module reads and checks the rows; the API applies them and audits every change.
 *
 * Pure: "today" is passed in. Privacy: no message ever repeats a resident ID number.
 */
import { isRegionCode } from './region';
import { birthDateFromResidentId, personCells, sheetFromCsv, sheetFromJson, text, YES_NO, type RowError, type SheetInput } from './roster';

/** Largest import accepted in one request: a county's registry extract. */
export const MAX_REGISTRY_ROWS = 5000;

export type RegistryField = 'name' | 'residentId' | 'regionCode' | 'poorLabourer';

export interface RegistryRow {
  /** as a clerk counts: 1 = first data row */
  row: number;
  residentId: string;
  name: string;
  birthDate: string;
  /** where the person is registered (GB/T 2260); needed only for a person not yet in the real-name registry */
  regionCode: string | null;
  /** true: registered as a poor labourer; false: taken off the registry (脱贫 or a correction) */
  poorLabourer: boolean;
}
export interface RawRegistryRow {
  row: number;
  values: Partial<Record<RegistryField, unknown>>;
}
export type RegistryInput = SheetInput<RegistryField>;

const HEADERS: Record<RegistryField, string[]> = {
  name: ['姓名', 'name'],
  residentId: ['公民身份号码', '身份证号', '身份证号码', 'residentid'],
  regionCode: ['行政区划代码', '所在地区代码', '地区代码', 'regioncode'],
  poorLabourer: ['建档立卡贫困劳动力', '贫困劳动力', 'poorlabourer'],
};
const BY_HEADER = new Map(Object.entries(HEADERS).flatMap(([f, names]) => names.map((n) => [n, f as RegistryField])));

/** Which field a column or JSON key means: spaces, '_' and '-' do not matter, nor letter case. */
export function registryField(header: string): RegistryField | undefined {
  return BY_HEADER.get(
    header
      .replace(/^\uFEFF/, '')
      .replace(/[\s_-]+/g, '')
      .toLowerCase(),
  );
}

/** The registry as CSV: name and resident ID columns are required. */
export function registryFromCsv(text: string): RegistryInput {
  return sheetFromCsv(text, registryField, HEADERS, ['name', 'residentId']);
}

/** The registry as JSON rows (English or clerk keys). */
export function registryFromJson(rows: Record<string, unknown>[]): RegistryInput {
  return sheetFromJson(rows, registryField);
}

/**
 * Checks every row; a row with any problem is left out of `rows`. A missing poor-labourer value means
 * "registered" (the usual import is a list of registered people). A resident ID seen earlier in the same
 * import is an error on the later row.
 */
export function validateRegistryRows(records: RawRegistryRow[], today: string): { rows: RegistryRow[]; errors: RowError[] } {
  const rows: RegistryRow[] = [];
  const errors: RowError[] = [];
  const firstRow = new Map<string, number>();
  for (const { row, values } of records) {
    const before = errors.length;
    const bad = (field: RegistryField, problem: string, problemZh: string) => errors.push({ row, field, problem, problemZh });
    const get = (f: RegistryField) => {
      const t = text(values[f]);
      if (t === undefined) bad(f, 'must be text, a number or true/false', '须为文本、数字或是/否');
      return t ?? '';
    };

    const { name, residentId: rawId } = personCells(get, bad, { row, today, firstRow, file: ['import', '导入'] });

    const region = get('regionCode');
    if (region && !isRegionCode(region)) bad('regionCode', 'a region code (GB/T 2260)', '须为行政区划代码（GB/T 2260）');

    const flag = get('poorLabourer').toLowerCase();
    if (flag && !YES_NO.has(flag)) bad('poorLabourer', '是/否, true/false or 1/0', '须为 是/否、true/false 或 1/0');

    if (errors.length > before) continue;
    rows.push({
      row,
      residentId: rawId,
      name,
      birthDate: birthDateFromResidentId(rawId),
      regionCode: region || null,
      poorLabourer: flag ? YES_NO.get(flag)! : true,
    });
  }
  return { rows, errors };
}
