// The catalogue repository (目录清单, R3.1): stored catalogue versions and their rows, read by the API's
// CataloguesService and ClassesService and by the catalogue activities.
import type { Db, Prisma } from '../prisma/client';
import { addDays, startOfShanghaiDay } from '../workflows/domain/calendar';
import type { Catalogue } from '../workflows/domain/catalogue';
import { fenNumber } from '../workflows/domain/ledger-rules';
import { regionAncestors } from '../workflows/domain/region';
import type { ScopeItem } from '../workflows/domain/scope';

type Tx = Prisma.TransactionClient;

/** The rows of a stored version, in the shape the pure diff works on. */
export async function loadCatalogue(
  tx: Pick<Tx, 'catalogueProject' | 'catalogueInstitution' | 'catalogueEvaluator'>,
  versionId: string,
): Promise<Catalogue> {
  const [projects, institutions, evaluators] = await Promise.all([
    tx.catalogueProject.findMany({ where: { versionId }, orderBy: [{ occupationCode: 'asc' }, { level: 'asc' }, { regionCode: 'asc' }] }),
    tx.catalogueInstitution.findMany({ where: { versionId }, orderBy: { qualificationId: 'asc' } }),
    tx.catalogueEvaluator.findMany({ where: { versionId }, orderBy: { evaluationInstitutionId: 'asc' } }),
  ]);
  return {
    projects: projects.map(({ id: _id, versionId: _v, ...p }) => ({ ...p, standardFen: fenNumber(p.standardFen) })),
    institutions: institutions.map((i) => ({
      qualificationId: i.qualificationId,
      institutionId: i.institutionId,
      name: i.name,
      type: i.type,
      regionCode: i.regionCode,
      route: i.route,
      scope: i.scope as unknown as ScopeItem[],
      validFrom: i.validFrom.toISOString(),
      validTo: i.validTo.toISOString(),
    })),
    evaluators: evaluators.map((e) => ({
      evaluationInstitutionId: e.evaluationInstitutionId,
      name: e.name,
      creditCode: e.creditCode,
      regionCode: e.regionCode,
      scope: e.scope as unknown as ScopeItem[],
      validFrom: e.validFrom.toISOString(),
      validTo: e.validTo.toISOString(),
    })),
  };
}

// R4.2: a class's standard per person comes from the catalogue version in force on its start date — the
// highest-numbered PUBLISHED version effective by the end of that day (Asia/Shanghai) — from the project of the
// class's occupation and level in its region, its city or the province (the most local one wins).
async function catalogueStandardFen(
  db: Db,
  cls: { occupationCode: string; level: number; regionCode: string; startDate: string },
): Promise<{ standardFen: number; versionNumber: number } | null> {
  const version = await db.catalogueVersion.findFirst({
    where: { status: 'PUBLISHED', effectiveFrom: { lt: startOfShanghaiDay(addDays(cls.startDate, 1)) } },
    orderBy: { number: 'desc' },
  });
  if (!version) return null;
  const regions = regionAncestors(cls.regionCode);
  const projects = await db.catalogueProject.findMany({
    where: { versionId: version.id, occupationCode: cls.occupationCode, level: cls.level, regionCode: { in: regions } },
  });
  const mostLocal = projects.sort((a, b) => regions.indexOf(b.regionCode) - regions.indexOf(a.regionCode))[0];
  return mostLocal ? { standardFen: fenNumber(mostLocal.standardFen), versionNumber: version.number! } : null;
}

export class CatalogueRepository {
  constructor(private readonly db: Db) {}

  /** This year's annual compilation still awaiting review, if any. */
  openAnnualDraft(year: number) {
    return this.db.catalogueVersion.findFirst({ where: { year, kind: 'ANNUAL', status: 'DRAFT' } });
  }

  version(id: string) {
    return this.db.catalogueVersion.findUnique({ where: { id } });
  }

  /** Published versions, newest number first. */
  publishedVersions() {
    return this.db.catalogueVersion.findMany({ where: { status: 'PUBLISHED' }, orderBy: { number: 'desc' } });
  }

  publishedVersion(number: number) {
    return this.db.catalogueVersion.findFirst({ where: { number, status: 'PUBLISHED' } });
  }

  /** The rows of a stored version. */
  catalogue(versionId: string): Promise<Catalogue> {
    return loadCatalogue(this.db, versionId);
  }

  /** R4.2 a class's standard per person from the catalogue in force on its start date. */
  standardFen(cls: { occupationCode: string; level: number; regionCode: string; startDate: string }) {
    return catalogueStandardFen(this.db, cls);
  }
}
