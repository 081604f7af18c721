/**
 * Roster upload (花名册): CSV parsing, the column names a bureau clerk uses, and per-row checks.
 * R5.4 real-name system (实名制): every trainee by resident ID (GB 11643); R10.1 attendance (出勤率);
 * R4.3 days attended (出勤天数); R4.4 certificates (证书编号/等级/发证日期).
 *
 * Pure: "today" is passed in. Privacy: no message ever repeats a resident ID number.
 */
import { phoneDigits } from './anomaly-rules';
import { validateResidentId, type ResidentIdProblem } from './resident-id';

/** Largest roster accepted in one upload. */
export const MAX_ROSTER_ROWS = 2000;

export type CertificateLevel = 'SPECIAL' | '5' | '4' | '3' | '2' | '1';
export type RosterField =
  | 'name'
  | 'residentId'
  | 'attendancePercent'
  | 'daysAttended'
  | 'certificateNumber'
  | 'certificateLevel'
  | 'certificateDate'
  | 'poorLabourer'
  | 'inServiceEmployee'
  | 'phone';

export interface RosterRow {
  /** as a clerk counts: 1 = first data row */
  row: number;
  residentId: string;
  name: string;
  birthDate: string;
  attendancePercent: number | null;
  daysAttended: number | null;
  certificateNumber: string | null;
  certificateLevel: CertificateLevel | null;
  certificateDate: string | null;
  /**
   * R4.3 the institution's declaration (建档立卡贫困劳动力 column), stored on the enrolment as declared and never
   * counted: only bureau staff write the registry's fact (POST /trainees/poor-labourers). null = not given.
   */
  poorLabourer: boolean | null;
  /** null = not given: the registry keeps what it has */
  inServiceEmployee: boolean | null;
  /**
   * The trainee's phone (digits), for the shared-phone anomaly rule only: stored on the enrolment, never
   * published (R7.9), logged or returned. null = not given.
   */
  phone: string | null;
}
export interface RowError {
  row: number;
  field: string;
  problem: string;
  problemZh: string;
}
export interface RawRosterRow {
  row: number;
  values: Partial<Record<RosterField, unknown>>;
}
/** Rows before validation; errors with row 0 concern the whole file (header). */
export type RosterInput = SheetInput<RosterField>;

const HEADERS: Record<RosterField, string[]> = {
  name: ['姓名', 'name'],
  residentId: ['公民身份号码', '身份证号', '身份证号码', 'residentid'],
  attendancePercent: ['出勤率(%)', '出勤率', '出勤率%', 'attendancepercent'],
  daysAttended: ['出勤天数', 'daysattended'],
  certificateNumber: ['证书编号', 'certificatenumber'],
  certificateLevel: ['证书等级', 'certificatelevel'],
  certificateDate: ['发证日期', 'certificatedate'],
  poorLabourer: ['建档立卡贫困劳动力', '贫困劳动力', 'poorlabourer'],
  inServiceEmployee: ['企业在职职工', 'inserviceemployee'],
  phone: ['手机号', '手机号码', '联系电话', '电话', 'phone', 'mobile'],
};
const BY_HEADER = new Map(Object.entries(HEADERS).flatMap(([f, names]) => names.map((n) => [n, f as RosterField])));

/** Which field a column or JSON key means: spaces, '_', '-' and full-width brackets do not matter. */
export function rosterField(header: string): RosterField | undefined {
  const key = header
    .replace(/^\uFEFF/, '')
    .replace(/[\s_-]+/g, '')
    .replace(/（/g, '(')
    .replace(/）/g, ')')
    .toLowerCase();
  return BY_HEADER.get(key);
}

/** RFC 4180 records: quoted fields (with "" for a quote, commas and line breaks inside), CRLF/LF/CR, BOM. */
export function parseCsv(text: string): { records: string[][]; unterminatedQuote: boolean } {
  const s = text.replace(/^\uFEFF/, '');
  const records: string[][] = [];
  let record: string[] = [];
  let field = '';
  let quoted = false;
  const endField = () => {
    record.push(field);
    field = '';
  };
  const endRecord = () => {
    endField();
    records.push(record);
    record = [];
  };
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (quoted && c === '"' && s[i + 1] === '"') {
      field += '"';
      i++;
    } else if (c === '"' && (quoted || field === '')) {
      quoted = !quoted;
    } else if (quoted || (c !== ',' && c !== '\r' && c !== '\n')) {
      field += c;
    } else if (c === ',') {
      endField();
    } else {
      if (c === '\r' && s[i + 1] === '\n') i++;
      endRecord();
    }
  }
  if (field !== '' || record.length > 0) endRecord();
  return { records, unterminatedQuote: quoted };
}

const fileError = (problem: string, problemZh: string, field = 'header'): RowError => ({ row: 0, field, problem, problemZh });

/** Raw rows of a clerk's sheet by field; errors with row 0 concern the whole file (its header or encoding). */
export interface SheetInput<F extends string> {
  records: { row: number; values: Partial<Record<F, unknown>> }[];
  errors: RowError[];
  ignoredColumns: string[];
}

/**
 * CSV text → raw rows by field, for any sheet a clerk uploads (rosters, registry imports). `fieldOf` names
 * the field of a column; `required` columns must be there, and no two columns may mean one field. Blank lines
 * are skipped but still counted, so row numbers match the sheet.
 */
export function sheetFromCsv<F extends string>(
  text: string,
  fieldOf: (header: string) => F | undefined,
  headers: Record<F, string[]>,
  required: readonly F[],
): SheetInput<F> {
  const { records, unterminatedQuote } = parseCsv(text);
  const [header = [], ...data] = records;
  const columns = header.map((h) => fieldOf(h));
  const errors: RowError[] = [];
  if (unterminatedQuote) errors.push(fileError('a quoted field is not closed', '有引号未闭合的字段', 'body'));
  // Excel on Chinese Windows saves "CSV" as GBK; decoded as UTF-8 it shows replacement characters.
  if (text.includes('\uFFFD'))
    errors.push(
      fileError('the file is not UTF-8: in Excel choose "CSV UTF-8"', '文件不是 UTF-8 编码：请在 Excel 中另存为“CSV UTF-8”', 'body'),
    );
  for (const f of required) {
    if (!columns.includes(f)) errors.push(fileError(`no column for ${f} (${headers[f][0]})`, `缺少“${headers[f][0]}”列`));
  }
  columns.forEach((f, i) => {
    if (f && columns.indexOf(f) !== i)
      errors.push(fileError(`two columns mean ${f}: ${header[i].trim()}`, `有两列均表示“${headers[f][0]}”`));
  });
  const ignoredColumns = header
    .filter((_, i) => !columns[i])
    .map((h) => h.trim())
    .filter(Boolean);
  const rows = data
    .map((cells, i) => ({
      row: i + 1,
      values: Object.fromEntries(cells.flatMap((v, c) => (columns[c] ? [[columns[c], v]] : []))) as Partial<Record<F, unknown>>,
    }))
    .filter((_, i) => data[i].some((v) => v.trim() !== ''));
  return { records: rows, errors, ignoredColumns };
}

/** JSON rows (English or clerk keys) → raw rows by field; row n is rows[n-1]. */
export function sheetFromJson<F extends string>(rows: Record<string, unknown>[], fieldOf: (key: string) => F | undefined): SheetInput<F> {
  const ignored = new Set<string>();
  const records = rows.map((r, i) => {
    const values: Partial<Record<F, unknown>> = {};
    for (const [k, v] of Object.entries(r)) {
      const f = fieldOf(k);
      if (f) values[f] = v;
      else ignored.add(k);
    }
    return { row: i + 1, values };
  });
  return { records, errors: [], ignoredColumns: [...ignored] };
}

/** A roster as CSV (花名册): name and resident ID columns are required. */
export function rosterFromCsv(text: string): RosterInput {
  return sheetFromCsv(text, rosterField, HEADERS, ['name', 'residentId']);
}

/** A roster as JSON rows. */
export function rosterFromJson(rows: Record<string, unknown>[]): RosterInput {
  return sheetFromJson(rows, rosterField);
}

/** Why a resident ID is refused, in English and Chinese (also used by POST /trainees). */
export const RESIDENT_ID_PROBLEMS: Record<ResidentIdProblem | 'SPREADSHEET', [string, string]> = {
  FORMAT: ['18 characters: 17 digits, then a digit or X (R5.4, GB 11643)', '须为 18 位：17 位数字加 1 位数字或 X（R5.4，GB 11643）'],
  REGION: ['the first two digits are not a province code (R5.4, GB 11643)', '前两位不是省级行政区划代码（R5.4，GB 11643）'],
  BIRTH_DATE: ['digits 7–14 are not a real birth date up to today (R5.4, GB 11643)', '第 7–14 位不是有效的出生日期（R5.4，GB 11643）'],
  CHECK_DIGIT: ['the check digit does not match (R5.4, GB 11643)', '校验码不正确（R5.4，GB 11643）'],
  SPREADSHEET: [
    'the spreadsheet turned the number into 1.4E+17: format the column as text (R5.4)',
    '电子表格把号码变成了科学计数法，请将该列设为文本格式（R5.4）',
  ],
};
const LEVELS = new Map<string, CertificateLevel>(
  Object.entries({
    special: 'SPECIAL',
    专项职业能力: 'SPECIAL',
    专项: 'SPECIAL',
    '5': '5',
    五级: '5',
    初级工: '5',
    初级: '5',
    '4': '4',
    四级: '4',
    中级工: '4',
    中级: '4',
    '3': '3',
    三级: '3',
    高级工: '3',
    高级: '3',
    '2': '2',
    二级: '2',
    技师: '2',
    '1': '1',
    一级: '1',
    高级技师: '1',
  }) as [string, CertificateLevel][],
);
export const YES_NO = new Map<string, boolean>(
  Object.entries({ 是: true, 否: false, true: true, false: false, '1': true, '0': false, y: true, n: false, yes: true, no: false }),
);

function isRealDate(y: number, m: number, d: number): boolean {
  const t = new Date(Date.UTC(y, m - 1, d));
  return t.getUTCFullYear() === y && t.getUTCMonth() === m - 1 && t.getUTCDate() === d;
}

/** 'YYYY-MM-DD' from digits 7–14 of a valid resident ID. */
export function birthDateFromResidentId(id: string): string {
  return `${id.slice(6, 10)}-${id.slice(10, 12)}-${id.slice(12, 14)}`;
}

/** A cell as trimmed text; '' when empty; undefined when it is not text, a number or a boolean. */
export function text(v: unknown): string | undefined {
  if (v === null || v === undefined) return '';
  if (typeof v === 'string') return v.trim();
  return typeof v === 'number' || typeof v === 'boolean' ? String(v) : undefined;
}

/** '2025-09-30', '2025/9/30', '2025.9.30' or '20250930' → ISO date, if real. */
function isoDate(s: string): string | undefined {
  const m = /^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})$/.exec(s) ?? /^(\d{4})(\d{2})(\d{2})$/.exec(s);
  if (!m || !isRealDate(+m[1], +m[2], +m[3])) return undefined;
  return `${m[1]}-${m[2].padStart(2, '0')}-${m[3].padStart(2, '0')}`;
}

function int(s: string, max: number): number | undefined {
  const n = /^\d{1,4}$/.test(s) ? Number(s) : NaN;
  return n <= max ? n : undefined;
}

/**
 * The cells every sheet of people has (R5.4 real-name system): a person's name, and a resident ID valid under
 * GB 11643 and not seen earlier in the same file (`firstRow` keeps where each was first). Problems go to `bad`.
 */
export function personCells<F extends string>(
  get: (f: 'name' | 'residentId') => string,
  bad: (f: 'name' | 'residentId' | F, problem: string, problemZh: string) => void,
  ctx: { row: number; today: string; firstRow: Map<string, number>; file: [string, string] },
): { name: string; residentId: string } {
  const name = get('name').replace(/\s+/g, ' ');
  if (!name) bad('name', 'required (R5.4 real-name system)', '必填（R5.4 实名制）');
  else if (name.length > 50 || /[\d\p{Cc}]/u.test(name))
    bad('name', 'a person’s name: at most 50 characters, no digits', '须为姓名：不超过 50 个字符，不含数字');

  const rawId = get('residentId').replace(/^'/, '').replace(/\s+/g, '').replace(/x$/, 'X');
  const idCheck = /^\d(\.\d+)?E\+\d+$/i.test(rawId) ? 'SPREADSHEET' : rawId ? validateResidentId(rawId, ctx.today) : null;
  const first = ctx.firstRow.get(rawId);
  if (!rawId) bad('residentId', 'required (R5.4 real-name system)', '必填（R5.4 实名制）');
  else if (idCheck !== null && (idCheck === 'SPREADSHEET' || !idCheck.ok))
    bad('residentId', ...RESIDENT_ID_PROBLEMS[idCheck === 'SPREADSHEET' ? idCheck : idCheck.problem]);
  else if (first !== undefined)
    bad(
      'residentId',
      `appears more than once in this ${ctx.file[0]} (first at row ${first})`,
      `在本次${ctx.file[1]}中重复（首次出现在第 ${first} 行）`,
    );
  else ctx.firstRow.set(rawId, ctx.row);
  return { name, residentId: rawId };
}

/**
 * Checks every row; a row with any problem is left out of `rows`. `maxDays` is the class's training days
 * (days attended cannot exceed them). A resident ID seen earlier in the upload is an error on the later row.
 */
export function validateRoster(
  records: RawRosterRow[],
  today: string,
  opts: { maxDays?: number } = {},
): { rows: RosterRow[]; errors: RowError[] } {
  const rows: RosterRow[] = [];
  const errors: RowError[] = [];
  const firstRow = new Map<string, number>();
  const maxDays = opts.maxDays ?? 366;
  for (const { row, values } of records) {
    const before = errors.length;
    const bad = (field: RosterField, problem: string, problemZh: string) => errors.push({ row, field, problem, problemZh });
    const get = (f: RosterField) => {
      const t = text(values[f]);
      if (t === undefined) bad(f, 'must be text, a number or true/false', '须为文本、数字或是/否');
      return t ?? '';
    };

    const { name, residentId: rawId } = personCells(get, bad, { row, today, firstRow, file: ['upload', '上传'] });

    const pct = get('attendancePercent').replace(/%$/, '').trim();
    const attendancePercent = pct ? int(pct, 100) : null;
    if (attendancePercent === undefined) bad('attendancePercent', 'a whole number from 0 to 100 (R10.1)', '须为 0–100 的整数（R10.1）');
    const days = get('daysAttended');
    const daysAttended = days ? int(days, maxDays) : null;
    if (daysAttended === undefined)
      bad(
        'daysAttended',
        `a whole number from 0 to ${maxDays}, the class's training days (R4.3)`,
        `须为 0–${maxDays} 的整数，不超过培训天数（R4.3）`,
      );

    const certificateNumber = get('certificateNumber') || null;
    if (certificateNumber && certificateNumber.length > 50) bad('certificateNumber', 'at most 50 characters', '不超过 50 个字符');
    const lv = get('certificateLevel');
    const levels = new Set(lv.split(/[/／]/).map((p) => LEVELS.get(p.trim().toLowerCase())));
    const certificateLevel = lv ? (levels.size === 1 ? [...levels][0] : undefined) : null;
    if (certificateLevel === undefined)
      bad(
        'certificateLevel',
        'SPECIAL (专项职业能力) or a level 5 (五级/初级工) to 1 (一级/高级技师)',
        '须为专项职业能力或五级（初级工）至一级（高级技师）',
      );
    const cd = get('certificateDate');
    const certificateDate = cd ? isoDate(cd) : null;
    if (certificateDate === undefined || (certificateDate && certificateDate > today))
      bad('certificateDate', 'a date such as 2025-09-30, not after today', '须为日期（如 2025-09-30），不晚于今天');
    const cert = { certificateNumber: certificateNumber, certificateLevel: lv, certificateDate: cd };
    if (Object.values(cert).some(Boolean)) {
      for (const [f, v] of Object.entries(cert))
        if (!v)
          bad(f as RosterField, 'a certificate needs its number, level and date (R4.4)', '证书须同时填写编号、等级和发证日期（R4.4）');
    }

    const flag = (f: 'poorLabourer' | 'inServiceEmployee') => {
      const t = get(f).toLowerCase();
      if (t && !YES_NO.has(t)) bad(f, '是/否, true/false or 1/0', '须为 是/否、true/false 或 1/0');
      return YES_NO.get(t) ?? null;
    };
    const poorLabourer = flag('poorLabourer');
    const inServiceEmployee = flag('inServiceEmployee');
    const rawPhone = get('phone');
    const phone = rawPhone ? phoneDigits(rawPhone) : null;
    if (phone === undefined)
      bad('phone', 'a mobile number (11 digits) or a landline with its area code', '须为 11 位手机号码或带区号的固定电话');

    if (errors.length > before) continue;
    rows.push({
      row,
      residentId: rawId,
      name,
      birthDate: birthDateFromResidentId(rawId),
      attendancePercent: attendancePercent ?? null,
      daysAttended: daysAttended ?? null,
      certificateNumber,
      certificateLevel: certificateLevel ?? null,
      certificateDate: certificateDate ?? null,
      poorLabourer,
      inServiceEmployee,
      phone: phone ?? null,
    });
  }
  return { rows, errors };
}
