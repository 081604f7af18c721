// R4.2: a class's standard per person comes from the catalogue version in force on its start date — the
// highest-numbered PUBLISHED version effective by the end of that day (Asia/Shanghai) — from the project of the
// class's occupation and level in its region, its city or the province (the most local one wins).
import type { Db } from '../../../../prisma/client';
import { addDays, startOfShanghaiDay } from '../../../../workflows/domain/calendar';
import { fenNumber } from '../../../../workflows/domain/ledger';
import { regionAncestors } from '../../../../workflows/domain/region';

export async function catalogueStandardFen(
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
