// The catalogues (R3.1) compiled from qualifications (R2.3), standards (R4.2, R3.2) and evaluation institutions
// (评价机构), and their diffs.
import {
  annualEffectiveFrom,
  compileCatalogue,
  diffCatalogues,
  diffIsEmpty,
  diffSummary,
  scheduledCatalogueYear,
  selectEvaluators,
  type Catalogue,
  type EvaluatorFact,
  type QualificationFact,
  type StandardFact,
} from '../../workflows/domain/catalogue';

const AT = new Date('2027-01-01T00:00:00+08:00');
const q = (id: string, over: Partial<QualificationFact> = {}): QualificationFact => ({
  qualificationId: `q-${id}`,
  institutionId: `i-${id}`,
  institutionName: `机构${id}`,
  institutionType: 'ENTERPRISE',
  regionCode: '140105',
  route: 'FILING',
  status: 'ACTIVE',
  scope: [{ occupationCode: '4-10-01-06', levels: [5, 4] }],
  validFrom: '2026-01-01T00:00:00Z',
  validTo: '2029-01-01T00:00:00Z',
  ...over,
});
const std = (occupationCode: string, level: number, standardFen: number, over: Partial<StandardFact> = {}): StandardFact => ({
  occupationCode,
  level,
  standardFen,
  hours: 40,
  regionCode: '140000',
  effectiveFrom: '2019-08-22T00:00:00+08:00',
  ...over,
});
const standards = [std('4-10-01-06', 5, 60_000), std('4-10-01-06', 4, 80_000)];
const compile = (qualifications: QualificationFact[], s = standards, cap = 100_000) =>
  compileCatalogue({ qualifications, standards: s, occupationNames: { '4-10-01-06': '家政服务员' }, at: AT, workerCapFen: cap });

describe(compileCatalogue.name, () => {
  it.each<[string, QualificationFact, boolean]>([
    ['R2.3 an ACTIVE qualification valid on the effective date is listed', q('a'), true],
    ['R2.3 a SUSPENDED one is not', q('a', { status: 'SUSPENDED' }), false],
    ['R2.3 a REVOKED one is not', q('a', { status: 'REVOKED' }), false],
    ['R2.3 one expiring before the effective date is not', q('a', { validTo: '2026-12-31T00:00:00Z' }), false],
    ['R2.3 one starting after the effective date is not', q('a', { validFrom: '2027-02-01T00:00:00Z' }), false],
  ])('%s', (_, qualification, listed) => {
    const c = compile([qualification]);
    expect(c.institutions.map((i) => i.qualificationId)).toEqual(listed ? ['q-a'] : []);
    expect(c.projects.length).toBe(listed ? 2 : 0);
  });

  it('R3.1 lists a project per (occupation, level, region) with every institution that delivers it', () => {
    const c = compile([q('a'), q('b', { scope: [{ occupationCode: '4-10-01-06', levels: [5] }] })]);
    expect(c.projects).toEqual([
      {
        occupationCode: '4-10-01-06',
        occupationNameZh: '家政服务员',
        level: 4,
        regionCode: '140000',
        standardFen: 80_000,
        hours: 40,
        institutionIds: ['i-a'],
      },
      {
        occupationCode: '4-10-01-06',
        occupationNameZh: '家政服务员',
        level: 5,
        regionCode: '140000',
        standardFen: 60_000,
        hours: 40,
        institutionIds: ['i-a', 'i-b'],
      },
    ]);
  });

  it('R3.2 has no project where no standard exists, and a local standard wins over the province', () => {
    const local = [...standards, std('4-10-01-06', 5, 50_000, { regionCode: '140100' })];
    const c = compile(
      [
        q('a'),
        q('b', {
          regionCode: '140200',
          scope: [
            { occupationCode: '4-10-01-05', levels: [5] },
            { occupationCode: '4-10-01-06', levels: [5] },
          ],
        }),
      ],
      local,
    );
    expect(c.projects.map((p) => [p.level, p.regionCode, p.standardFen, p.institutionIds])).toEqual([
      [4, '140000', 80_000, ['i-a']],
      [5, '140000', 60_000, ['i-b']],
      [5, '140100', 50_000, ['i-a']],
    ]);
  });

  it('R4.2 never lists a standard above the cap, and takes the standard in force on the effective date', () => {
    const later = [std('4-10-01-06', 5, 150_000), std('4-10-01-06', 5, 70_000, { effectiveFrom: '2028-01-01T00:00:00+08:00' })];
    expect(compile([q('a')], later, 100_000).projects.map((p) => p.standardFen)).toEqual([100_000]);
  });
});

describe(diffCatalogues.name, () => {
  it('reports added, removed and changed projects and institutions', () => {
    const before = compile([q('a'), q('b', { scope: [{ occupationCode: '4-10-01-06', levels: [5] }] })]);
    const after = compile([
      q('b', { scope: [{ occupationCode: '4-10-01-06', levels: [5] }] }),
      q('c', { scope: [{ occupationCode: '4-10-01-06', levels: [5] }] }),
    ]);
    const d = diffCatalogues(before, after);
    expect(d.institutions.added.map((i) => i.qualificationId)).toEqual(['q-c']);
    expect(d.institutions.removed.map((i) => i.qualificationId)).toEqual(['q-a']);
    expect(d.projects.removed.map((p) => p.level)).toEqual([4]);
    expect(d.projects.changed).toEqual([expect.objectContaining({ key: '4-10-01-06|5|140000', fields: ['institutionIds'] })]);
    expect(diffIsEmpty(diffCatalogues(after, after))).toBe(true);
  });
});

const ev = (id: string, over: Partial<EvaluatorFact> = {}): EvaluatorFact => ({
  evaluationInstitutionId: `e-${id}`,
  name: `评价机构${id}`,
  creditCode: `CODE-${id}`,
  regionCode: '140100',
  status: 'ACTIVE',
  scope: [{ occupationCode: '4-10-01-06', levels: [5, 4, 3] }],
  validFrom: '2026-06-01T00:00:00+08:00',
  validTo: '2028-01-01T00:00:00+08:00',
  ...over,
});

describe(selectEvaluators.name, () => {
  it.each<[string, EvaluatorFact, boolean]>([
    ['R3.1 an ACTIVE evaluation institution valid on the effective date is listed', ev('a'), true],
    ['R3.1 a WITHDRAWN one is not', ev('a', { status: 'WITHDRAWN' }), false],
    ['R3.1 one whose validity ends before the effective date is not', ev('a', { validTo: '2026-12-31T00:00:00+08:00' }), false],
    [
      'R3.1 one whose validity ends exactly at the effective date is not (validTo is exclusive)',
      ev('a', { validTo: '2027-01-01T00:00:00+08:00' }),
      false,
    ],
    ['R3.1 one valid from exactly the effective date is', ev('a', { validFrom: '2027-01-01T00:00:00+08:00' }), true],
    ['R3.1 one valid only from after the effective date is not', ev('a', { validFrom: '2027-02-01T00:00:00+08:00' }), false],
  ])('%s', (_, evaluator, listed) => {
    expect(selectEvaluators([evaluator], AT).map((e) => e.evaluationInstitutionId)).toEqual(listed ? ['e-a'] : []);
  });

  it('lists entries without their status, sorted by id, and compileCatalogue includes them', () => {
    const picked = selectEvaluators([ev('b'), ev('a'), ev('c', { status: 'WITHDRAWN' })], AT);
    expect(picked).toEqual([
      {
        evaluationInstitutionId: 'e-a',
        name: '评价机构a',
        creditCode: 'CODE-a',
        regionCode: '140100',
        scope: [{ occupationCode: '4-10-01-06', levels: [5, 4, 3] }],
        validFrom: '2026-06-01T00:00:00+08:00',
        validTo: '2028-01-01T00:00:00+08:00',
      },
      expect.objectContaining({ evaluationInstitutionId: 'e-b' }),
    ]);
    const c = compileCatalogue({
      qualifications: [q('a')],
      standards,
      evaluators: [ev('b'), ev('a')],
      occupationNames: {},
      at: AT,
      workerCapFen: 100_000,
    });
    expect(c.evaluators).toEqual(picked);
    expect(compile([q('a')]).evaluators).toEqual([]); // no evaluators given: none listed
  });
});

describe(`${diffCatalogues.name} of evaluators`, () => {
  const withEvaluators = (evaluators: EvaluatorFact[]): Catalogue => ({
    ...compile([q('a')]),
    evaluators: selectEvaluators(evaluators, AT),
  });

  it('reports added, removed and changed evaluation institutions by id', () => {
    const before = withEvaluators([ev('a'), ev('b')]);
    const after = withEvaluators([ev('b', { scope: [{ occupationCode: '4-10-01-06', levels: [5] }], name: '新名称' }), ev('c')]);
    const d = diffCatalogues(before, after);
    expect(d.evaluators.added.map((e) => e.evaluationInstitutionId)).toEqual(['e-c']);
    expect(d.evaluators.removed.map((e) => e.evaluationInstitutionId)).toEqual(['e-a']);
    expect(d.evaluators.changed).toEqual([expect.objectContaining({ key: 'e-b', fields: ['name', 'scope'] })]);
    expect(d.projects).toEqual({ added: [], removed: [], changed: [] });
    expect(diffSummary(d).evaluators).toEqual({ added: 1, removed: 1, changed: 1 });
    expect(diffIsEmpty(d)).toBe(false);
    expect(diffIsEmpty(diffCatalogues(after, after))).toBe(true);
  });

  it('treats a catalogue stored before evaluators existed as having none', () => {
    const { evaluators: _none, ...old } = withEvaluators([]);
    const d = diffCatalogues(old as Catalogue, withEvaluators([ev('a')]));
    expect(d.evaluators.added.map((e) => e.evaluationInstitutionId)).toEqual(['e-a']);
    expect(diffSummary({ projects: d.projects, institutions: d.institutions } as never).evaluators).toEqual({
      added: 0,
      removed: 0,
      changed: 0,
    });
  });
});

describe('annual dates (R3.1)', () => {
  it('is in force from 1 January in China, or from publication if later', () => {
    expect(annualEffectiveFrom(2027, new Date('2026-12-05T00:00:00Z')).toISOString()).toBe('2026-12-31T16:00:00.000Z');
    expect(annualEffectiveFrom(2026, new Date('2026-12-05T00:00:00Z')).toISOString()).toBe('2026-12-05T00:00:00.000Z');
  });

  it('a scheduled run prepares the next year, by the date in China', () => {
    expect(scheduledCatalogueYear(new Date('2026-11-30T16:00:00Z'))).toBe(2027); // 1 Dec 00:00 Shanghai
    expect(scheduledCatalogueYear(new Date('2026-12-31T16:30:00Z'))).toBe(2028);
  });
});
