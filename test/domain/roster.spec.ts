// Roster upload (花名册): CSV parsing, clerk column names and row checks (R5.4 实名制, R10.1, R4.3, R4.4).
import {
  MAX_ROSTER_ROWS,
  parseCsv,
  rosterField,
  rosterFromCsv,
  rosterFromJson,
  validateRoster,
  type RawRosterRow,
} from '../../workflows/domain/roster';
import { computeResidentIdCheckDigit } from '../../workflows/domain/resident-id';
import { personName, residentId, withWrongCheckDigit } from '../fixtures/people';

const TODAY = '2025-09-30';
const ID1 = residentId(1);
const ID2 = residentId(2);
const row = (values: RawRosterRow['values'], n = 1): RawRosterRow => ({
  row: n,
  values: { name: personName(n), residentId: residentId(n), ...values },
});
const check = (values: RawRosterRow['values']) => validateRoster([row(values)], TODAY);

describe(parseCsv.name, () => {
  it.each([
    [
      'LF',
      'a,b\n1,2\n',
      [
        ['a', 'b'],
        ['1', '2'],
      ],
    ],
    [
      'CRLF',
      'a,b\r\n1,2\r\n',
      [
        ['a', 'b'],
        ['1', '2'],
      ],
    ],
    [
      'CR only',
      'a,b\r1,2',
      [
        ['a', 'b'],
        ['1', '2'],
      ],
    ],
    [
      'BOM',
      '\uFEFFa,b\r\n1,2',
      [
        ['a', 'b'],
        ['1', '2'],
      ],
    ],
    [
      'quoted comma',
      'a,b\n"王, 芳",2',
      [
        ['a', 'b'],
        ['王, 芳', '2'],
      ],
    ],
    ['quoted quote and line break', '"say ""hi""","x\r\ny"', [['say "hi"', 'x\r\ny']]],
    ['empty fields', ',,\n', [['', '', '']]],
  ])('splits %s', (_, text, records) => {
    expect(parseCsv(text)).toEqual({ records, unterminatedQuote: false });
  });

  it('reports an unterminated quote', () => {
    expect(parseCsv('a\n"open').unterminatedQuote).toBe(true);
  });
});

describe(rosterField.name, () => {
  it.each([
    ['姓名', 'name'],
    ['Name', 'name'],
    ['公民身份号码', 'residentId'],
    ['身份证号', 'residentId'],
    ['身份证号码', 'residentId'],
    ['resident_id', 'residentId'],
    ['出勤率(%)', 'attendancePercent'],
    ['出勤率（%）', 'attendancePercent'],
    ['出勤率', 'attendancePercent'],
    ['出勤天数', 'daysAttended'],
    ['证书编号', 'certificateNumber'],
    ['证书等级', 'certificateLevel'],
    ['发证日期', 'certificateDate'],
    ['建档立卡贫困劳动力', 'poorLabourer'],
    ['贫困劳动力', 'poorLabourer'],
    ['企业在职职工', 'inServiceEmployee'],
    [' 序号 ', undefined],
  ])('reads the column %s as %s', (header, field) => {
    expect(rosterField(header)).toBe(field);
  });
});

describe(rosterFromCsv.name, () => {
  const chinese = `序号,姓名,公民身份号码,出勤率(%),出勤天数,证书编号,证书等级,发证日期,建档立卡贫困劳动力\r\n1,${personName(1)},${ID1},95,10,"SX-2025,001",初级工,2025/9/1,是\r\n2,${personName(2)},${ID2},80,8,,,,否\r\n`;

  it.each([
    ['Chinese headers with BOM and CRLF', `\uFEFF${chinese}`],
    ['Chinese headers without BOM', chinese],
  ])('maps %s to fields, ignoring unknown columns', (_, text) => {
    const input = rosterFromCsv(text);
    expect(input.errors).toEqual([]);
    expect(input.ignoredColumns).toEqual(['序号']);
    const { rows, errors } = validateRoster(input.records, TODAY);
    expect(errors).toEqual([]);
    expect(rows).toEqual([
      {
        row: 1,
        residentId: ID1,
        name: personName(1),
        birthDate: expect.stringMatching(/^19\d\d-/),
        attendancePercent: 95,
        daysAttended: 10,
        certificateNumber: 'SX-2025,001',
        certificateLevel: '5',
        certificateDate: '2025-09-01',
        poorLabourer: true,
        inServiceEmployee: null,
        phone: null,
      },
      expect.objectContaining({
        row: 2,
        residentId: ID2,
        attendancePercent: 80,
        certificateNumber: null,
        certificateLevel: null,
        poorLabourer: false,
      }),
    ]);
  });

  it('maps English headers', () => {
    const input = rosterFromCsv(`name,residentId,attendancePercent,inServiceEmployee\n${personName(1)},${ID1},100,true\n`);
    expect(validateRoster(input.records, TODAY).rows).toEqual([
      expect.objectContaining({ name: personName(1), residentId: ID1, attendancePercent: 100, inServiceEmployee: true }),
    ]);
  });

  it('counts blank lines so row numbers match the sheet (1 = first data row)', () => {
    const input = rosterFromCsv(`姓名,身份证号\n${personName(1)},${ID1}\n,\n${personName(2)},${withWrongCheckDigit(ID2)}\n`);
    expect(input.records.map((r) => r.row)).toEqual([1, 3]);
    expect(validateRoster(input.records, TODAY).errors).toEqual([expect.objectContaining({ row: 3, field: 'residentId' })]);
  });

  it('explains a file saved as GBK rather than UTF-8 (row 0)', () => {
    expect(rosterFromCsv('\uFFFD\uFFFD,\uFFFD\uFFFD\n').errors.map((e) => e.problemZh)).toContain(
      '文件不是 UTF-8 编码：请在 Excel 中另存为“CSV UTF-8”',
    );
  });

  it('refuses a file without a name or resident-ID column (row 0)', () => {
    expect(rosterFromCsv('姓名,电话\n王芳,123\n').errors).toEqual([
      expect.objectContaining({ row: 0, field: 'header', problemZh: expect.stringContaining('公民身份号码') }),
    ]);
  });
});

describe(validateRoster.name, () => {
  it('R5.4 / GB 11643: a wrong check digit is a row error on residentId, without echoing the number', () => {
    const { rows, errors } = validateRoster([row({}, 1), row({ residentId: withWrongCheckDigit(ID2) }, 2), row({}, 3)], TODAY);
    expect(rows.map((r) => r.row)).toEqual([1, 3]);
    expect(errors).toEqual([
      { row: 2, field: 'residentId', problem: expect.stringMatching(/R5\.4.*GB 11643/), problemZh: expect.stringContaining('校验码') },
    ]);
    expect(JSON.stringify(errors)).not.toContain(ID2.slice(0, 17));
  });

  it.each([
    ['bad birth date (Feb 30)', '14010519900230', 'BIRTH_DATE'],
    ['born after today', '14010520301001', 'BIRTH_DATE'],
    ['unknown province', '99010519900101', 'REGION'],
  ])('R5.4 / GB 11643: %s', (_, first14, kind) => {
    const id = `${first14}123`;
    const { errors } = check({ residentId: id + computeResidentIdCheckDigit(id) });
    expect(errors).toEqual([
      expect.objectContaining({ field: 'residentId', problem: expect.stringContaining(kind === 'REGION' ? 'province' : 'birth date') }),
    ]);
  });

  it('normalises a lower-case x, spaces and an Excel text apostrophe; explains scientific notation', () => {
    expect(check({ residentId: ` '${ID1.slice(0, 6)} ${ID1.slice(6)}` }).errors).toEqual([]);
    expect(check({ residentId: '1.40105E+17' }).errors[0].problemZh).toContain('科学计数法');
  });

  it('flags a resident ID that appears twice in one upload (on the later row)', () => {
    const { rows, errors } = validateRoster([row({}, 1), row({}, 2), row({ residentId: ID1, name: personName(1) }, 3)], TODAY);
    expect(rows).toHaveLength(2);
    expect(errors).toEqual([expect.objectContaining({ row: 3, field: 'residentId', problem: expect.stringContaining('first at row 1') })]);
  });

  it.each([
    ['专项职业能力', 'SPECIAL'],
    ['SPECIAL', 'SPECIAL'],
    ['五级', '5'],
    ['初级工', '5'],
    ['5', '5'],
    ['五级/初级工', '5'],
    ['中级工', '4'],
    ['高级工', '3'],
    ['技师', '2'],
    ['一级', '1'],
    ['高级技师', '1'],
    [1, '1'],
  ])('reads the certificate level %s as %s (R4.4)', (level, expected) => {
    const { rows } = check({ certificateNumber: 'C-1', certificateLevel: level, certificateDate: '2025-09-01' });
    expect(rows[0].certificateLevel).toBe(expected);
  });

  it.each([
    ['certificateLevel', { certificateNumber: 'C-1', certificateLevel: '六级', certificateDate: '2025-09-01' }],
    ['certificateLevel', { certificateNumber: 'C-1', certificateLevel: '五级/一级', certificateDate: '2025-09-01' }],
    ['certificateLevel', { certificateNumber: 'C-1', certificateLevel: 'constructor', certificateDate: '2025-09-01' }],
    ['certificateDate', { certificateNumber: 'C-1', certificateLevel: '5' }],
    ['certificateDate', { certificateNumber: 'C-1', certificateLevel: '5', certificateDate: '2025-10-01' }],
    ['certificateNumber', { certificateLevel: '5', certificateDate: '2025-09-01' }],
    ['attendancePercent', { attendancePercent: 101 }],
    ['attendancePercent', { attendancePercent: '87.5' }],
    ['attendancePercent', { attendancePercent: -1 }],
    ['daysAttended', { daysAttended: 'ten' }],
    ['poorLabourer', { poorLabourer: '可能' }],
    ['name', { name: '  ' }],
    ['name', { name: ID1 }],
    ['residentId', { residentId: '' }],
    ['residentId', { residentId: { id: 1 } }],
  ])('refuses a bad %s (%j)', (field, values) => {
    const { rows, errors } = check(values);
    expect(rows).toEqual([]);
    expect(errors.map((e) => e.field)).toContain(field);
    for (const e of errors)
      expect(e).toEqual({ row: 1, field: expect.any(String), problem: expect.any(String), problemZh: expect.any(String) });
  });

  it('accepts "95%" and limits days attended to the class training days (R4.3)', () => {
    expect(check({ attendancePercent: '95%' }).rows[0].attendancePercent).toBe(95);
    expect(validateRoster([row({ daysAttended: 11 })], TODAY, { maxDays: 10 }).errors).toEqual([
      expect.objectContaining({ field: 'daysAttended' }),
    ]);
    expect(validateRoster([row({ daysAttended: 10 })], TODAY, { maxDays: 10 }).rows[0].daysAttended).toBe(10);
  });
});

describe(rosterFromJson.name, () => {
  it('takes English or clerk keys, numbering rows from 1, and names unknown keys', () => {
    const input = rosterFromJson([
      { name: personName(1), residentId: ID1 },
      { 姓名: personName(2), 身份证号: ID2, remark: 'x' },
    ]);
    expect(input.ignoredColumns).toEqual(['remark']);
    expect(validateRoster(input.records, TODAY).rows.map((r) => [r.row, r.residentId])).toEqual([
      [1, ID1],
      [2, ID2],
    ]);
  });

  it('caps an upload at 2,000 people', () => {
    expect(MAX_ROSTER_ROWS).toBe(2000);
  });
});
