// Applies the committed migrations (prisma migrate deploy) and seeds reference data.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { createPrisma } from '../../prisma/client';
import { seed } from '../../prisma/seed';

/** The project folder (the nearest one up with a package.json), from sources or compiled output alike. */
export const ROOT = (() => {
  let dir = __dirname;
  while (!fs.existsSync(path.join(dir, 'package.json')) && path.dirname(dir) !== dir) dir = path.dirname(dir);
  return dir;
})();

export async function migrateAndSeed(databaseUrl: string, log: (l: string) => void = console.log): Promise<void> {
  log('Applying database migrations (prisma migrate deploy)…');
  const result = spawnSync(process.execPath, [path.join(ROOT, 'scripts', 'prisma.js'), 'migrate', 'deploy'], {
    cwd: ROOT,
    env: { ...process.env, DATABASE_URL: databaseUrl },
    encoding: 'utf8',
  });
  if (result.status !== 0) {
    throw new Error(`prisma migrate deploy failed:\n${result.stdout}\n${result.stderr}`);
  }
  const db = createPrisma(databaseUrl, 2);
  try {
    await seed(db);
  } finally {
    await db.$disconnect();
  }
  log('Database ready (migrations applied, reference data and default policy seeded).');
}
