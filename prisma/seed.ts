// Reference data (regions, occupations) and the province's first policy version. Idempotent: run on
// every start; existing rows are left as they are.
import fs from 'node:fs';
import path from 'node:path';
import type { Db, Prisma } from './client';
import { DEFAULT_POLICY } from '../workflows/domain/policy';
import { packageCalendarDays } from '../workflows/domain/calendar';

const REFERENCE_DIR = path.join(__dirname, '..', '..', 'prisma', 'reference');
const referenceDir = () => (fs.existsSync(REFERENCE_DIR) ? REFERENCE_DIR : path.join(__dirname, 'reference'));

function readCsv(file: string): Record<string, string>[] {
  const [header, ...lines] = fs
    .readFileSync(path.join(referenceDir(), file), 'utf8')
    .replace(/^\uFEFF/, '')
    .trim()
    .split(/\r?\n/);
  const cols = header.split(',');
  return lines.map((line) => Object.fromEntries(line.split(',').map((v, i) => [cols[i], v.trim()])));
}

export async function seed(db: Db): Promise<void> {
  const regions = readCsv('regions.csv');
  await db.region.createMany({
    data: regions.map((r) => ({
      code: r.code,
      nameZh: r.name_zh,
      nameEn: r.name_en,
      level: r.level,
      parentCode: r.level === 'province' ? null : r.level === 'city' ? `${r.code.slice(0, 2)}0000` : `${r.code.slice(0, 4)}00`,
    })),
    skipDuplicates: true,
  });
  const occupations = readCsv('occupations.csv');
  await db.occupation.createMany({
    data: occupations.map((o) => {
      const [lowest, highest] = o.levels.split('-').map(Number);
      return {
        code: o.code,
        nameZh: o.name_zh,
        nameEn: o.name_en,
        lowestLevel: lowest,
        highestLevel: highest ?? lowest,
        codeConfirmed: o.code_confirmed === 'yes',
      };
    }),
    skipDuplicates: true,
  });
  // R4.2 demo standards per person (培训补贴标准) for every level each occupation defines, province-wide, from the
  // notice's date: a bureau replaces them with its own. All at most the 1,000-yuan cap.
  const STANDARD_FEN: Record<number, number> = { 5: 60_000, 4: 80_000, 3: 100_000, 2: 100_000, 1: 100_000 };
  const HOURS: Record<number, number> = { 5: 40, 4: 60, 3: 80, 2: 100, 1: 120 };
  await db.projectStandard.createMany({
    data: occupations.flatMap((o) => {
      const [lowest, highest] = o.levels.split('-').map(Number);
      const levels = Array.from({ length: lowest - (highest ?? lowest) + 1 }, (_, i) => lowest - i);
      return levels.map((level) => ({
        occupationCode: o.code,
        level,
        standardFen: STANDARD_FEN[level],
        hours: HOURS[level],
        regionCode: '140000',
        effectiveFrom: new Date('2019-08-22T00:00:00+08:00'),
      }));
    }),
    skipDuplicates: true,
  });
  await db.policyVersion.createMany({
    data: [
      {
        regionCode: '140000',
        version: 1,
        effectiveFrom: new Date('2019-08-22T00:00:00+08:00'),
        parameters: DEFAULT_POLICY as unknown as Prisma.InputJsonValue,
        note: '晋政办发〔2019〕68号 (22 Aug 2019) and the bureau’s initial periods',
        createdBy: 'system',
      },
    ],
    skipDuplicates: true,
  });
  // R9.9: the official calendar of the chinese-days package (2004–2026), version 1 of each year. A later
  // version loaded through POST /calendar/versions wins; this one is never overwritten.
  const years = [...new Set(packageCalendarDays.map((d) => Number(d.date.slice(0, 4))))].sort();
  await db.calendarVersion.createMany({
    data: years.map((year) => ({
      year,
      version: 1,
      source: `chinese-days 1.5.7 (npm), compiled from the State Council's annual holiday notices (国务院办公厅关于${year}年部分节假日安排的通知)`,
      loadedBy: 'system',
      days: packageCalendarDays.filter((d) => d.date.startsWith(`${year}-`)) as unknown as Prisma.InputJsonValue,
    })),
    skipDuplicates: true,
  });
}
