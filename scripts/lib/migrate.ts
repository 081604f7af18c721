// Applies the committed migrations (prisma migrate deploy) and seeds reference data.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { createPrisma } from '../../prisma/client';
import { seed } from '../../prisma/seed';

export const ROOT = path.resolve(__dirname, '..', '..', ...(path.basename(path.resolve(__dirname, '..', '..')) === 'dist' ? ['..'] : []));

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
