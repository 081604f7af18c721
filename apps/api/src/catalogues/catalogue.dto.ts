// Catalogue requests and responses (R3.1): public filters, CSV columns in Chinese, the admin's compilation.
import { z } from 'zod';
import type { CatalogueVersion } from '../../../../generated/prisma/client';
import type {
  Catalogue,
  CatalogueEvaluatorEntry,
  CatalogueInstitutionEntry,
  CatalogueProjectEntry,
} from '../../../../workflows/domain/catalogue';
import { shanghaiDate } from '../../../../workflows/domain/calendar';
import { isRegionCode, regionCovers } from '../../../../workflows/domain/region';
import { bilingual } from '../common/zod';

export const compilationSchema = z.strictObject({
  year: z.number().int().min(2019, bilingual('from 2019 (晋政办发〔2019〕68号)', '须不早于 2019 年')).max(2100),
  kind: z.literal('ANNUAL', {
    error: bilingual(
      'only ANNUAL compilations are started by hand; amendments follow qualification changes',
      '只能手动发起年度目录编制，目录调整随资质变化自动发布',
    ),
  }),
});
export type CompilationDto = z.infer<typeof compilationSchema>;

const versionNumber = z.coerce.number().int().min(1, bilingual('a catalogue version number (1, 2, …)', '须为目录版本号（1、2……）'));
export const versionParam = versionNumber;

export const catalogueQuery = z.strictObject({
  region: z.string().refine(isRegionCode, bilingual('a region code (GB/T 2260)', '须为行政区划代码（GB/T 2260）')).optional(),
  occupation: z
    .string()
    .regex(/^\d-\d{2}-\d{2}-\d{2}$/, bilingual('an occupation code such as 4-10-01-06', '职业编码格式如 4-10-01-06'))
    .optional(),
  level: z.coerce.number().int().min(1).max(5, bilingual('a skill level from 1 to 5', '职业技能等级为 1 至 5')).optional(),
  institution: z.uuid(bilingual('an institution id', '须为机构编号')).optional(),
  format: z.enum(['json', 'csv']).default('json'),
  /** CSV holds one table: the projects (default), the training institutions or the evaluation institutions */
  table: z.enum(['projects', 'institutions', 'evaluators']).default('projects'),
});
export type CatalogueQuery = z.infer<typeof catalogueQuery>;

export const diffQuery = z.strictObject({ against: versionNumber });

export function toVersionDto(v: CatalogueVersion) {
  return {
    number: v.number,
    kind: v.kind,
    year: v.year,
    effectiveFrom: v.effectiveFrom,
    publishedAt: v.publishedAt,
    basedOnNumber: v.basedOnNumber,
    reason: v.reason,
  };
}

const inScope = (i: Pick<CatalogueInstitutionEntry, 'scope'>, q: CatalogueQuery) =>
  i.scope.some((s) => (!q.occupation || s.occupationCode === q.occupation) && (!q.level || (s.levels as number[]).includes(q.level)));

/**
 * Filters pick (project, institution) pairs: institutions by region (within it) and id, projects by occupation,
 * level and region (the project's region contains the filter's, or lies within it); a project lists only the
 * institutions picked and is left out when none is. Evaluation institutions are picked by id, by occupation and
 * level in their scope, and by region like projects: a county's workers also see the city's and the province's.
 */
export function filterCatalogue(c: Catalogue, q: CatalogueQuery): Catalogue {
  const picked = (i: CatalogueInstitutionEntry) =>
    (!q.region || regionCovers(q.region, i.regionCode)) && (!q.institution || i.institutionId === q.institution);
  const ids = new Set(c.institutions.filter(picked).map((i) => i.institutionId));
  const projects = c.projects
    .filter((p) => (!q.occupation || p.occupationCode === q.occupation) && (!q.level || p.level === q.level))
    .filter((p) => !q.region || regionCovers(p.regionCode, q.region) || regionCovers(q.region, p.regionCode))
    .map((p) => ({ ...p, institutionIds: p.institutionIds.filter((id) => ids.has(id)) }))
    .filter((p) => p.institutionIds.length > 0);
  const evaluators = (c.evaluators ?? []).filter(
    (e) =>
      (!q.institution || e.evaluationInstitutionId === q.institution) &&
      (!q.region || regionCovers(e.regionCode, q.region) || regionCovers(q.region, e.regionCode)) &&
      inScope(e, q),
  );
  return { projects, institutions: c.institutions.filter((i) => picked(i) && inScope(i, q)), evaluators };
}

const TYPE_ZH: Record<string, string> = {
  ENTERPRISE: '企业',
  VOCATIONAL_COLLEGE: '职业院校',
  GOVERNMENT_CENTRE: '就业训练中心',
  TRAINING_INSTITUTION: '培训机构',
};
const ROUTE_ZH: Record<string, string> = { FILING: '审核备案', TENDER: '招标采购' };
const yuan = (fen: number) => (fen / 100).toFixed(2);
const day = (iso: string) => shanghaiDate(new Date(iso));
/** validTo is exclusive (00:00 China time of the day after); the catalogue prints the last valid day (R2.3). */
const lastDay = (validTo: string) => shanghaiDate(new Date(Date.parse(validTo) - 1));

export const PROJECT_CSV_HEADERS = ['职业编码', '职业名称', '等级', '地区代码', '补贴标准(元/人)', '学时', '培训机构'];
export const INSTITUTION_CSV_HEADERS = ['机构编号', '机构名称', '机构类型', '地区代码', '取得方式', '培训范围', '有效期起', '有效期止'];

export const EVALUATOR_CSV_HEADERS = ['机构编号', '机构名称', '统一社会信用代码', '地区代码', '评价范围', '有效期起', '有效期止'];

export const CSV_TABLES = {
  projects: { headers: PROJECT_CSV_HEADERS, rows: (c: Catalogue) => projectCsvRows(c), titleZh: '培训项目目录' },
  institutions: { headers: INSTITUTION_CSV_HEADERS, rows: (c: Catalogue) => institutionCsvRows(c), titleZh: '培训机构目录' },
  evaluators: { headers: EVALUATOR_CSV_HEADERS, rows: (c: Catalogue) => evaluatorCsvRows(c), titleZh: '评价机构目录' },
} as const;

const scopeText = (scope: { occupationCode: string; levels: number[] }[]) =>
  scope.map((s) => `${s.occupationCode}:${s.levels.join('/')}`).join('；');

export function projectCsvRows(c: Catalogue): (string | number)[][] {
  const names = new Map(c.institutions.map((i) => [i.institutionId, i.name]));
  return c.projects.map((p: CatalogueProjectEntry) => [
    p.occupationCode,
    p.occupationNameZh,
    p.level,
    p.regionCode,
    yuan(p.standardFen),
    p.hours,
    p.institutionIds.map((id) => names.get(id) ?? id).join('；'),
  ]);
}

export function institutionCsvRows(c: Catalogue): (string | number)[][] {
  return c.institutions.map((i) => [
    i.institutionId,
    i.name,
    TYPE_ZH[i.type] ?? i.type,
    i.regionCode,
    ROUTE_ZH[i.route] ?? i.route,
    scopeText(i.scope),
    day(i.validFrom),
    lastDay(i.validTo),
  ]);
}

export function evaluatorCsvRows(c: Catalogue): (string | number)[][] {
  return (c.evaluators ?? []).map((e: CatalogueEvaluatorEntry) => [
    e.evaluationInstitutionId,
    e.name,
    e.creditCode,
    e.regionCode,
    scopeText(e.scope),
    day(e.validFrom),
    lastDay(e.validTo),
  ]);
}
