// The poor-labourer registry import (建档立卡贫困劳动力, R4.3): clerk columns, row checks, no ID in messages.
import {
  registryField,
  registryFromCsv,
  registryFromJson,
  validateRegistryRows,
  type RawRegistryRow,
} from '../../workflows/domain/poor-labourer-registry';
import { personName, residentId, withWrongCheckDigit } from '../fixtures/people';

const TODAY = '2025-09-30';
const row = (values: RawRegistryRow['values'], n = 1): RawRegistryRow => ({
  row: n,
  values: { name: personName(n), residentId: residentId(n), ...values },
});
const check = (values: RawRegistryRow['values']) => validateRegistryRows([row(values)], TODAY);

describe(registryField.name, () => {
  it.each([
    ['姓名', 'name'],
    ['公民身份号码', 'residentId'],
    ['身份证号码', 'residentId'],
    ['行政区划代码', 'regionCode'],
    ['region_code', 'regionCode'],
    ['建档立卡贫困劳动力', 'poorLabourer'],
    ['Poor Labourer', 'poorLabourer'],
    ['出勤天数', undefined],
    ['序号', undefined],
  ])('%s → %s', (header, field) => {
    expect(registryField(header)).toBe(field);
  });
});

describe(registryFromCsv.name, () => {
  it('reads a clerk CSV with BOM and Chinese columns, keeping sheet row numbers past blank lines', () => {
    const csv = `\uFEFF序号,姓名,公民身份号码,行政区划代码,建档立卡贫困劳动力\r\n1,${personName(1)},${residentId(1)},140902,是\r\n,,,,\r\n3,${personName(2)},${residentId(2)},,否\r\n`;
    const input = registryFromCsv(csv);
    expect(input.errors).toEqual([]);
    expect(input.ignoredColumns).toEqual(['序号']);
    const { rows, errors } = validateRegistryRows(input.records, TODAY);
    expect(errors).toEqual([]);
    expect(rows).toEqual([
      {
        row: 1,
        residentId: residentId(1),
        name: personName(1),
        birthDate: expect.stringMatching(/^\d{4}-\d\d-\d\d$/),
        regionCode: '140902',
        poorLabourer: true,
      },
      { row: 3, residentId: residentId(2), name: personName(2), birthDate: expect.any(String), regionCode: null, poorLabourer: false },
    ]);
  });

  it('refuses a file without the name or resident ID column, or with two columns for one field', () => {
    expect(registryFromCsv('姓名,行政区划代码\nA,140902\n').errors.map((e) => e.problem)).toEqual([expect.stringContaining('residentId')]);
    expect(registryFromCsv('姓名,公民身份号码,身份证号\n').errors.map((e) => e.problem)).toEqual([expect.stringContaining('two columns')]);
  });
});

describe(validateRegistryRows.name, () => {
  it('takes a missing poor-labourer value as "registered"', () => {
    expect(check({}).rows[0].poorLabourer).toBe(true);
  });

  it.each([
    ['residentId', { residentId: withWrongCheckDigit(residentId(1)) }],
    ['residentId', { residentId: '1.40105E+17' }],
    ['residentId', { residentId: '' }],
    ['name', { name: '' }],
    ['name', { name: '王2' }],
    ['regionCode', { regionCode: '990000' }],
    ['poorLabourer', { poorLabourer: '可能' }],
  ] as const)('refuses a bad %s, without repeating the ID', (field, values) => {
    const { rows, errors } = check(values);
    expect(rows).toEqual([]);
    expect(errors).toEqual([expect.objectContaining({ row: 1, field, problemZh: expect.any(String) })]);
    expect(JSON.stringify(errors)).not.toContain(residentId(1).slice(6, 17));
  });

  it('refuses the second row of a resident ID seen earlier in the import', () => {
    const { rows, errors } = validateRegistryRows(
      [row({}, 1), { row: 2, values: { name: personName(1), residentId: residentId(1) } }],
      TODAY,
    );
    expect(rows.map((r) => r.row)).toEqual([1]);
    expect(errors).toEqual([expect.objectContaining({ row: 2, field: 'residentId', problem: expect.stringContaining('row 1') })]);
  });

  it('reads JSON rows by English or clerk keys and lists unknown keys', () => {
    const input = registryFromJson([{ 姓名: personName(1), residentId: residentId(1), poorLabourer: false, note: 'x' }]);
    expect(input.ignoredColumns).toEqual(['note']);
    expect(validateRegistryRows(input.records, TODAY).rows[0]).toMatchObject({ name: personName(1), poorLabourer: false });
  });
});
