// `npm test`: starts a throw-away PostgreSQL (embedded) and an in-memory Temporal dev server on free
// ports, applies migrations, runs Jest against them (arguments pass through), then stops both.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freePort } from './lib/free-port';
import { migrateAndSeed, ROOT } from './lib/migrate';
import { startEmbeddedPostgres } from './lib/postgres';
import { ensureTemporalCli, startTemporalDevServer } from './lib/temporal-cli';

const say = (line: string) => console.log(`[test] ${line}`);

async function main(): Promise<number> {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'skillflow-test-'));
  const stoppers: Array<() => Promise<void>> = [];
  try {
    say('Starting embedded PostgreSQL and the Temporal dev server for the tests…');
    const binary = await ensureTemporalCli(say);
    const [pg, temporal] = await Promise.all([
      freePort().then((port) => startEmbeddedPostgres({ dataDir: path.join(tmp, 'pg'), port, database: 'skillflow_test' })),
      freePort().then((port) => startTemporalDevServer({ binary, port, headless: true, logFile: path.join(tmp, 'temporal.log') })),
    ]);
    stoppers.push(pg.stop, temporal.stop);
    await migrateAndSeed(pg.url, say);
    say(`PostgreSQL ${pg.url.replace(/\/\/[^@]+@/, '//')}, Temporal ${temporal.address}`);

    const jest = path.join(ROOT, 'node_modules', 'jest', 'bin', 'jest.js');
    const args = [jest, ...(process.env.CI ? ['--ci'] : []), ...process.argv.slice(2)];
    return await new Promise<number>((resolve) => {
      const child = spawn(process.execPath, args, {
        cwd: ROOT,
        stdio: 'inherit',
        env: {
          ...process.env,
          DATABASE_URL: pg.url,
          TEMPORAL_ADDRESS: temporal.address,
          SKILLFLOW_TEST_SERVICES: '1',
          SKILLFLOW_TEST_TMP: tmp,
        },
      });
      child.on('exit', (code) => resolve(code ?? 1));
    });
  } finally {
    for (const stop of stoppers.reverse()) await stop().catch(() => undefined);
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

main().then(
  (code) => process.exit(code),
  (err) => {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  },
);
