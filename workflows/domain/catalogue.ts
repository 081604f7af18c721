// The catalogues (目录清单管理, R3.1): the training-project catalogue (培训项目目录) and the catalogue of
// training and evaluation institutions (培训机构目录, 评价机构目录), compiled from qualifications (R2.3), subsidy
// standards (R4.2) and the registered evaluation institutions (评价机构 / 职业技能等级认定机构).
// Pure: the compile activity reads the facts from PostgreSQL and hands them here; the API diffs versions here.
import { shanghaiDate, startOfShanghaiDay } from './calendar';
import { regionAncestors } from './region';
import type { ScopeItem } from './scope';

/** A qualification with its institution, as read for compilation. Instants are ISO strings. */
export interface QualificationFact {
  qualificationId: string;
  institutionId: string;
  institutionName: string;
  institutionType: string;
  regionCode: string;
  route: 'FILING' | 'TENDER';
  status: 'ACTIVE' | 'SUSPENDED' | 'REVOKED' | 'EXPIRED';
  scope: ScopeItem[];
  validFrom: string;
  validTo: string;
}

/** R4.2 standard per person of an occupation at a level in a region, from a date (培训补贴标准). */
export interface StandardFact {
  occupationCode: string;
  level: number;
  regionCode: string;
  standardFen: number;
  hours: number;
  effectiveFrom: string;
}

/** An evaluation institution as registered (评价机构). Instants are ISO strings. */
export interface EvaluatorFact {
  evaluationInstitutionId: string;
  name: string;
  creditCode: string;
  regionCode: string;
  status: 'ACTIVE' | 'WITHDRAWN';
  scope: ScopeItem[];
  validFrom: string;
  validTo: string;
}

export interface CatalogueProjectEntry {
  occupationCode: string;
  occupationNameZh: string;
  level: number;
  regionCode: string;
  standardFen: number;
  hours: number;
  institutionIds: string[];
}

export interface CatalogueInstitutionEntry {
  qualificationId: string;
  institutionId: string;
  name: string;
  type: string;
  regionCode: string;
  route: 'FILING' | 'TENDER';
  scope: ScopeItem[];
  validFrom: string;
  validTo: string;
}

/** An evaluation institution listed in a catalogue: who assesses which occupations and levels, where. */
export interface CatalogueEvaluatorEntry {
  evaluationInstitutionId: string;
  name: string;
  creditCode: string;
  regionCode: string;
  scope: ScopeItem[];
  validFrom: string;
  validTo: string;
}

export interface Catalogue {
  projects: CatalogueProjectEntry[];
  institutions: CatalogueInstitutionEntry[];
  evaluators: CatalogueEvaluatorEntry[];
}

export interface CompileInput {
  qualifications: QualificationFact[];
  standards: StandardFact[];
  /** evaluation institutions (评价机构); absent means none */
  evaluators?: EvaluatorFact[];
  /** occupation code → Chinese name (职业名称) */
  occupationNames: Record<string, string>;
  /** the instant the catalogue takes effect: qualifications must be valid then, standards in force then */
  at: Date;
  /** R4.2 cap per person (policy workerCapFen): no standard in a catalogue exceeds it */
  workerCapFen: number;
}

export const projectKey = (p: { occupationCode: string; level: number; regionCode: string }) =>
  `${p.occupationCode}|${p.level}|${p.regionCode}`;

/** R2.3: only ACTIVE qualifications valid at the effective instant deliver subsidised training. */
export function listedAt(q: QualificationFact, at: Date): boolean {
  return q.status === 'ACTIVE' && Date.parse(q.validFrom) <= at.getTime() && at.getTime() < Date.parse(q.validTo);
}

/** R3.1: an evaluation institution is listed when ACTIVE and valid at the effective instant. */
export function evaluatorListedAt(e: Pick<EvaluatorFact, 'status' | 'validFrom' | 'validTo'>, at: Date): boolean {
  return e.status === 'ACTIVE' && Date.parse(e.validFrom) <= at.getTime() && at.getTime() < Date.parse(e.validTo);
}

/** The evaluation institutions of a catalogue taking effect at `at`, sorted by id (equal inputs, equal catalogues). */
export function selectEvaluators(evaluators: EvaluatorFact[], at: Date): CatalogueEvaluatorEntry[] {
  return evaluators
    .filter((e) => evaluatorListedAt(e, at))
    .map((e) => ({
      evaluationInstitutionId: e.evaluationInstitutionId,
      name: e.name,
      creditCode: e.creditCode,
      regionCode: e.regionCode,
      scope: e.scope,
      validFrom: e.validFrom,
      validTo: e.validTo,
    }))
    .sort((a, b) => a.evaluationInstitutionId.localeCompare(b.evaluationInstitutionId));
}

/**
 * The standard that applies to an institution of `regionCode`: the most local region (county → city →
 * province) that has a standard in force at `at` for the occupation and level (R3.2 local standards win).
 */
export function standardFor(
  standards: StandardFact[],
  occupationCode: string,
  level: number,
  regionCode: string,
  at: Date,
): StandardFact | undefined {
  for (const region of [...regionAncestors(regionCode)].reverse()) {
    const inForce = standards
      .filter(
        (s) =>
          s.occupationCode === occupationCode &&
          s.level === level &&
          s.regionCode === region &&
          Date.parse(s.effectiveFrom) <= at.getTime(),
      )
      .sort((a, b) => Date.parse(b.effectiveFrom) - Date.parse(a.effectiveFrom))[0];
    if (inForce) return inForce;
  }
  return undefined;
}

/**
 * Both catalogues: every listed qualification is an institution entry; a project exists for each
 * (occupation, level, standard region) that some listed qualification covers and a standard exists for,
 * listing the institutions that deliver it. Sorted, so equal inputs give equal catalogues.
 */
export function compileCatalogue(input: CompileInput): Catalogue {
  const listed = input.qualifications.filter((q) => listedAt(q, input.at));
  const projects = new Map<string, CatalogueProjectEntry>();
  for (const q of listed) {
    for (const item of q.scope) {
      for (const level of item.levels) {
        const std = standardFor(input.standards, item.occupationCode, level, q.regionCode, input.at);
        if (!std) continue; // no standard, no subsidised project (R3.2)
        const key = projectKey(std);
        const entry = projects.get(key) ?? {
          occupationCode: std.occupationCode,
          occupationNameZh: input.occupationNames[std.occupationCode] ?? std.occupationCode,
          level: std.level,
          regionCode: std.regionCode,
          standardFen: Math.min(std.standardFen, input.workerCapFen), // R4.2 at most the cap
          hours: std.hours,
          institutionIds: [],
        };
        if (!entry.institutionIds.includes(q.institutionId)) entry.institutionIds.push(q.institutionId);
        projects.set(key, entry);
      }
    }
  }
  return {
    projects: [...projects.values()]
      .map((p) => ({ ...p, institutionIds: [...p.institutionIds].sort() }))
      .sort((a, b) => projectKey(a).localeCompare(projectKey(b))),
    institutions: listed
      .map((q) => ({
        qualificationId: q.qualificationId,
        institutionId: q.institutionId,
        name: q.institutionName,
        type: q.institutionType,
        regionCode: q.regionCode,
        route: q.route,
        scope: q.scope,
        validFrom: q.validFrom,
        validTo: q.validTo,
      }))
      .sort((a, b) => a.qualificationId.localeCompare(b.qualificationId)),
    evaluators: selectEvaluators(input.evaluators ?? [], input.at),
  };
}

export interface Change<T> {
  key: string;
  before: T;
  after: T;
  /** the fields that differ */
  fields: string[];
}

export interface EntryDiff<T> {
  added: T[];
  removed: T[];
  changed: Change<T>[];
}

export interface CatalogueDiff {
  projects: EntryDiff<CatalogueProjectEntry>;
  institutions: EntryDiff<CatalogueInstitutionEntry>;
  evaluators: EntryDiff<CatalogueEvaluatorEntry>;
}

function diffBy<T extends object>(a: T[], b: T[], key: (x: T) => string): EntryDiff<T> {
  const before = new Map(a.map((x) => [key(x), x]));
  const after = new Map(b.map((x) => [key(x), x]));
  const changed: Change<T>[] = [];
  for (const [k, x] of after) {
    const old = before.get(k);
    if (!old) continue;
    const fields = Object.keys(x).filter(
      (f) => JSON.stringify((x as Record<string, unknown>)[f]) !== JSON.stringify((old as Record<string, unknown>)[f]),
    );
    if (fields.length) changed.push({ key: k, before: old, after: x, fields });
  }
  return {
    added: [...after].filter(([k]) => !before.has(k)).map(([, x]) => x),
    removed: [...before].filter(([k]) => !after.has(k)).map(([, x]) => x),
    changed,
  };
}

/**
 * What changed from catalogue `a` to catalogue `b`: projects by (occupation, level, region), institutions by
 * qualification, evaluators by evaluation institution. A catalogue stored before evaluators existed has none.
 */
export function diffCatalogues(a: Catalogue, b: Catalogue): CatalogueDiff {
  return {
    projects: diffBy(a.projects, b.projects, projectKey),
    institutions: diffBy(a.institutions, b.institutions, (i) => i.qualificationId),
    evaluators: diffBy(a.evaluators ?? [], b.evaluators ?? [], (e) => e.evaluationInstitutionId),
  };
}

const NO_CHANGE: EntryDiff<never> = { added: [], removed: [], changed: [] };

export function diffIsEmpty(d: CatalogueDiff): boolean {
  return [d.projects, d.institutions, d.evaluators ?? NO_CHANGE].every((x) => x.added.length + x.removed.length + x.changed.length === 0);
}

/** Counts for a reviewer's task title and the version list. */
export function diffSummary(d: CatalogueDiff) {
  const count = (x: EntryDiff<unknown>) => ({ added: x.added.length, removed: x.removed.length, changed: x.changed.length });
  return { projects: count(d.projects), institutions: count(d.institutions), evaluators: count(d.evaluators ?? NO_CHANGE) };
}

/** An annual catalogue governs its calendar year: in force from 1 January (Asia/Shanghai), or from publication if later. */
export function annualEffectiveFrom(year: number, publishedAt: Date): Date {
  const jan1 = startOfShanghaiDay(`${String(year).padStart(4, '0')}-01-01`);
  return publishedAt.getTime() > jan1.getTime() ? publishedAt : jan1;
}

/** A scheduled compilation (no year given) prepares the catalogue of the year after the day it runs (R3.1). */
export function scheduledCatalogueYear(runAt: Date): number {
  return Number(shanghaiDate(runAt).slice(0, 4)) + 1;
}
