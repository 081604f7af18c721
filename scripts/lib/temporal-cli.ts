/**
 * The Temporal CLI (`temporal`), which contains the Temporal dev server
 * (`temporal server start-dev`: full Temporal server + Web UI, SQLite persistence).
 *
 * There is no Temporal server on npm, and `@temporalio/testing` downloads one at
 * run time (which fails without internet). The CLI is a Go module, so we build it
 * once from source with the Go toolchain (through the Go module proxy) into the
 * user's cache directory, keyed by version, and reuse it from then on — also
 * across fresh clones (CI).
 *
 * Facts this module relies on (checked with v1.5.1):
 * - v1.5.1 (Temporal server 1.29.1, UI 2.42.1) is the newest CLI tag whose go.mod
 *   has no `replace` directive, i.e. the newest that `go install pkg@version` can
 *   build. Its go.mod says `go 1.25.0`.
 * - A plain `go install` build reports `temporal version 0.0.0-DEV` because the
 *   release version is normally injected with -ldflags. We inject it the same way,
 *   and accept an older un-stamped build if Go's embedded build info says it was
 *   built from github.com/temporalio/cli v1.5.1.
 * - The first build downloads a few hundred modules and takes several minutes.
 */
import { ChildProcess, spawn, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as net from 'net';
import * as os from 'os';
import * as path from 'path';
import { Connection } from '@temporalio/client';
import { freePort } from './free-port';
import { sleep } from './wait';

export const TEMPORAL_CLI_VERSION = '1.5.1';

const MODULE = 'github.com/temporalio/cli';
const PACKAGE = `${MODULE}/cmd/temporal@v${TEMPORAL_CLI_VERSION}`;
/** The Go variable holding the version printed by `temporal --version`. */
const VERSION_VAR = `${MODULE}/temporalcli.Version`;
/** Go version required by the CLI's go.mod. */
const MIN_GO = [1, 25] as const;
/** A build lock older than this is considered abandoned. */
const STALE_LOCK_MS = 30 * 60_000;
const HEARTBEAT_MS = 15_000;

// ---------------------------------------------------------------------------
// Locating and checking the binary
// ---------------------------------------------------------------------------

/** `$XDG_CACHE_HOME` or `~/.cache`. */
function cacheDir(): string {
  const xdg = process.env.XDG_CACHE_HOME;
  return xdg && path.isAbsolute(xdg) ? xdg : path.join(os.homedir(), '.cache');
}

/** Folder holding the pinned CLI build. */
function cliDir(): string {
  return path.join(cacheDir(), 'skillflow', `temporal-cli-v${TEMPORAL_CLI_VERSION}`);
}

/** `<cacheDir>/skillflow/temporal-cli-v1.5.1/temporal` (may not exist yet). */
export function temporalCliPath(): string {
  return path.join(cliDir(), process.platform === 'win32' ? 'temporal.exe' : 'temporal');
}

/**
 * Is `binary` a working Temporal CLI of the pinned version?
 * `temporal --version` must run; it either names the version (our builds stamp
 * it), or says `0.0.0-DEV` and Go's build info embedded in the binary records
 * module github.com/temporalio/cli at the pinned version.
 */
function isPinnedCli(binary: string): boolean {
  if (!fs.existsSync(binary)) return false;
  const res = spawnSync(binary, ['--version'], { encoding: 'utf8', timeout: 30_000 });
  if (res.status !== 0) return false;
  const out = `${res.stdout}${res.stderr}`;
  if (out.includes(`version ${TEMPORAL_CLI_VERSION} `) || out.includes(`version ${TEMPORAL_CLI_VERSION}\n`)) {
    return true;
  }
  return out.includes('0.0.0-DEV') && binaryContains(binary, `mod\t${MODULE}\tv${TEMPORAL_CLI_VERSION}\t`);
}

/** Stream through a (large) file looking for an ASCII string; ~0.2 s for 250 MB. */
function binaryContains(file: string, text: string): boolean {
  const needle = Buffer.from(text);
  const chunk = Buffer.alloc(4 << 20);
  const fd = fs.openSync(file, 'r');
  try {
    let position = 0;
    let carry = Buffer.alloc(0);
    for (;;) {
      const n = fs.readSync(fd, chunk, 0, chunk.length, position);
      if (n === 0) return false;
      const haystack = Buffer.concat([carry, chunk.subarray(0, n)]);
      if (haystack.includes(needle)) return true;
      // Keep the end of this chunk in case the needle straddles the boundary.
      carry = Buffer.from(haystack.subarray(Math.max(0, haystack.length - needle.length)));
      position += n;
    }
  } finally {
    fs.closeSync(fd);
  }
}

// ---------------------------------------------------------------------------
// Building it with Go
// ---------------------------------------------------------------------------

/** Throw a helpful error unless a usable `go` is on PATH. */
function checkGo(log: (line: string) => void): void {
  const res = spawnSync('go', ['version'], { encoding: 'utf8' });
  if (res.error || res.status !== 0) {
    throw new Error(
      `The Temporal dev server is built from source on first use, which needs the Go toolchain, ` +
        `but \`go\` was not found on PATH. Install Go >= ${MIN_GO.join('.')} (https://go.dev/dl/), ` +
        `or set TEMPORAL_ADDRESS to use an existing Temporal server instead.`,
    );
  }
  const m = /go(\d+)\.(\d+)/.exec(res.stdout);
  if (m) {
    const [major, minor] = [Number(m[1]), Number(m[2])];
    if (major === 1 && minor < 21) {
      throw new Error(
        `${res.stdout.trim()} is too old to build the Temporal CLI: install Go >= ${MIN_GO.join('.')}, ` +
          `or set TEMPORAL_ADDRESS to use an existing Temporal server instead.`,
      );
    }
    if (major === 1 && minor < MIN_GO[1]) {
      log(`  (${res.stdout.trim()} is older than ${MIN_GO.join('.')}; Go will fetch a newer toolchain itself.)`);
    }
  }
}

/** Run `go install` into a staging folder, reporting progress, then move the binary into place. */
async function buildCli(log: (line: string) => void): Promise<void> {
  const target = temporalCliPath();
  const staging = path.join(cliDir(), `.staging-${process.pid}`);
  // We hold the lock, so leftovers of interrupted earlier builds can go.
  fs.mkdirSync(cliDir(), { recursive: true });
  for (const entry of fs.readdirSync(cliDir())) {
    if (entry.startsWith('.staging-')) fs.rmSync(path.join(cliDir(), entry), { recursive: true, force: true });
  }
  fs.mkdirSync(staging, { recursive: true });

  log(
    `Building the Temporal dev server (temporal CLI v${TEMPORAL_CLI_VERSION}) from source with Go. ` +
      `This happens only on the first start and takes several minutes ` +
      `(a few hundred Go modules are downloaded); later starts reuse ${target}.`,
  );
  const started = Date.now();
  let downloads = 0;
  let downloadsAtLastBeat = 0;
  const stderrTail: string[] = [];

  const child = spawn('go', ['install', '-ldflags', `-X ${VERSION_VAR}=${TEMPORAL_CLI_VERSION}`, PACKAGE], {
    env: { ...process.env, GOBIN: staging },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let partial = '';
  child.stderr!.setEncoding('utf8');
  child.stderr!.on('data', (data: string) => {
    const lines = (partial + data).split('\n');
    partial = lines.pop() ?? '';
    for (const line of lines) {
      if (line.startsWith('go: downloading ')) downloads++;
      else if (line.trim() !== '') stderrTail.push(line);
    }
    if (stderrTail.length > 30) stderrTail.splice(0, stderrTail.length - 30);
  });
  child.stdout!.resume(); // nothing useful there, but never let the pipe fill up

  // Heartbeat: while modules are still arriving, say how many; once they stop
  // (or if everything was cached), Go is compiling.
  const heartbeat = setInterval(() => {
    const seconds = Math.round((Date.now() - started) / 1000);
    const phase = downloads > downloadsAtLastBeat ? 'downloading modules' : 'compiling…';
    log(`  … ${seconds} s elapsed, ${downloads} modules downloaded, ${phase}`);
    downloadsAtLastBeat = downloads;
    touchLock(); // keep our build lock fresh so nobody thinks it is abandoned
  }, HEARTBEAT_MS);

  const code = await new Promise<number | null>((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (c) => resolve(c));
  }).finally(() => clearInterval(heartbeat));

  if (partial.trim() !== '') stderrTail.push(partial);
  if (code !== 0) {
    fs.rmSync(staging, { recursive: true, force: true });
    throw new Error(
      `Building the Temporal CLI failed (go install exited with ${code}).\n` + `--- go output (last lines) ---\n${stderrTail.join('\n')}`,
    );
  }
  // rename() is atomic: other processes see either no binary or a complete one.
  fs.renameSync(path.join(staging, path.basename(target)), target);
  fs.rmSync(staging, { recursive: true, force: true });
  log(`Temporal CLI built in ${Math.round((Date.now() - started) / 1000)} s: ${target}`);
}

// ---------------------------------------------------------------------------
// Build lock: one build at a time across processes (e.g. a dev start and a test run)
// ---------------------------------------------------------------------------

function lockPath(): string {
  return `${cliDir()}.lock`;
}

let holdingLock = false;

function touchLock(): void {
  if (!holdingLock) return;
  const now = new Date();
  try {
    fs.utimesSync(lockPath(), now, now);
  } catch {
    /* lock removed under us; nothing sensible to do */
  }
}

/** Is the process that owns the lock (pid in `<lock>/owner`) alive? undefined: not recorded. */
function lockOwnerAlive(): boolean | undefined {
  try {
    const pid = Number(fs.readFileSync(path.join(lockPath(), 'owner'), 'utf8').trim());
    if (!Number.isInteger(pid) || pid <= 0) return undefined;
    try {
      process.kill(pid, 0);
      return true;
    } catch (err) {
      return (err as NodeJS.ErrnoException).code === 'EPERM';
    }
  } catch {
    return undefined;
  }
}

/**
 * Take the exclusive build lock (mkdir is atomic), waiting while another live
 * process holds it. The caller must re-check the binary afterwards: the previous
 * holder may have built it meanwhile.
 */
async function acquireLock(log: (line: string) => void): Promise<void> {
  const lock = lockPath();
  fs.mkdirSync(path.dirname(lock), { recursive: true });
  let waited = false;
  let lastNotice = 0;
  for (;;) {
    try {
      fs.mkdirSync(lock);
      fs.writeFileSync(path.join(lock, 'owner'), String(process.pid));
      holdingLock = true;
      return;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
    // Someone else holds it. Abandoned? (owner process gone, or no heartbeat for 30 min)
    let ageMs = 0;
    try {
      ageMs = Date.now() - fs.statSync(lock).mtimeMs;
    } catch {
      continue; // released just now: try again
    }
    // The owner file is written right after mkdir; give it a moment before judging.
    if (lockOwnerAlive() === false || (ageMs > 5_000 && lockOwnerAlive() === undefined) || ageMs > STALE_LOCK_MS) {
      // Best effort: two waiters judging the same dead lock at the same instant could
      // still race here; that needs a crashed build *and* two simultaneous starts.
      log(`Removing an abandoned Temporal CLI build lock (${lock}).`);
      fs.rmSync(lock, { recursive: true, force: true });
      continue;
    }
    if (Date.now() - lastNotice >= HEARTBEAT_MS) {
      log(
        waited
          ? `  … still waiting for the other Temporal CLI build to finish`
          : `Another process is building the Temporal CLI right now; waiting for it (${lock})…`,
      );
      lastNotice = Date.now();
    }
    waited = true;
    await sleep(1000);
  }
}

function releaseLock(): void {
  if (!holdingLock) return;
  holdingLock = false;
  fs.rmSync(lockPath(), { recursive: true, force: true });
}

/**
 * Return the path of the pinned Temporal CLI, building it first if it is missing
 * or of another version. Safe to call from several processes at once.
 */
export async function ensureTemporalCli(log: (line: string) => void = console.log): Promise<string> {
  const binary = temporalCliPath();
  if (isPinnedCli(binary)) return binary;

  checkGo(log);
  await acquireLock(log);
  try {
    // Whoever held the lock before us may have just built it.
    if (isPinnedCli(binary)) return binary;
    await buildCli(log);
    if (!isPinnedCli(binary)) {
      throw new Error(`Built ${binary}, but it does not identify as temporal CLI v${TEMPORAL_CLI_VERSION}`);
    }
    return binary;
  } finally {
    releaseLock();
  }
}

// ---------------------------------------------------------------------------
// Running the dev server
// ---------------------------------------------------------------------------

export interface TemporalDevServerOptions {
  /** Front-end gRPC port on 127.0.0.1. */
  port: number;
  /** Web UI port; a free port is picked when omitted (unless headless). */
  uiPort?: number;
  /** No Web UI. */
  headless?: boolean;
  /** SQLite file for persistent state; in-memory (lost on stop) when omitted. */
  dbFile?: string;
  /** Namespace to create at launch ("default" always exists). Default "default". */
  namespace?: string;
  /** Append the server's stdout/stderr to this file; otherwise only kept in memory. */
  logFile?: string;
  /** Path to the `temporal` binary; default: ensureTemporalCli(). */
  binary?: string;
}

export interface RunningTemporalDevServer {
  /** `127.0.0.1:<port>`, for Connection.connect / NativeConnection.connect. */
  address: string;
  /** `http://127.0.0.1:<uiPort>` unless headless. */
  uiUrl?: string;
  /** SIGTERM, wait for exit; SIGKILL after 10 s. Idempotent. */
  stop(): Promise<void>;
}

const READY_TIMEOUT_MS = 60_000;
const STOP_GRACE_MS = 10_000;

/** Last `maxBytes` of a file (for error messages). */
function fileTail(file: string, maxBytes = 4000): string {
  try {
    const { size } = fs.statSync(file);
    const fd = fs.openSync(file, 'r');
    try {
      const length = Math.min(size, maxBytes);
      const buf = Buffer.alloc(length);
      fs.readSync(fd, buf, 0, length, size - length);
      return buf.toString('utf8');
    } finally {
      fs.closeSync(fd);
    }
  } catch {
    return '';
  }
}

/**
 * Throw if something already listens on 127.0.0.1:`port`. Without this check a
 * second server on a taken port would look "ready" because the readiness probe
 * reaches the *other* server (the new one exits with "address already in use").
 */
function assertPortFree(port: number, what: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.unref();
    probe.once('error', (err: NodeJS.ErrnoException) =>
      reject(
        err.code === 'EADDRINUSE'
          ? new Error(`Cannot start the Temporal dev server: ${what} port 127.0.0.1:${port} is already in use`)
          : err,
      ),
    );
    probe.listen({ host: '127.0.0.1', port, exclusive: true }, () => probe.close(() => resolve()));
  });
}

/** Resolve when the child has exited (immediately if it already has). */
function exited(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => child.once('exit', () => resolve()));
}

/**
 * Start `temporal server start-dev` on 127.0.0.1:`port` and wait until its
 * front end answers (and the namespace exists). Rejects with the tail of the
 * server's output if it exits early, or after 60 s.
 */
export async function startTemporalDevServer(opts: TemporalDevServerOptions): Promise<RunningTemporalDevServer> {
  const binary = opts.binary ?? (await ensureTemporalCli());
  const namespace = opts.namespace ?? 'default';
  const address = `127.0.0.1:${opts.port}`;

  await assertPortFree(opts.port, 'front-end');
  const args = ['server', 'start-dev', '--ip', '127.0.0.1', '--port', String(opts.port)];
  let uiUrl: string | undefined;
  if (opts.headless) {
    args.push('--headless');
  } else {
    // The CLI's default UI port is port + 1000, which can clash between parallel
    // instances; pick a free one unless the caller chose.
    const uiPort = opts.uiPort ?? (await freePort());
    await assertPortFree(uiPort, 'Web UI');
    args.push('--ui-port', String(uiPort));
    uiUrl = `http://127.0.0.1:${uiPort}`;
  }
  if (opts.dbFile) {
    const dbFile = path.resolve(opts.dbFile);
    fs.mkdirSync(path.dirname(dbFile), { recursive: true });
    args.push('--db-filename', dbFile);
  }
  args.push('--namespace', namespace, '--log-level', 'warn');

  // Output goes straight into the log file (no pipe through Node, so the server
  // never blocks on us); without a log file we keep the tail of stderr in memory.
  let logFd: number | undefined;
  if (opts.logFile) {
    fs.mkdirSync(path.dirname(path.resolve(opts.logFile)), { recursive: true });
    logFd = fs.openSync(opts.logFile, 'a');
  }
  const child = spawn(binary, args, {
    stdio: logFd !== undefined ? ['ignore', logFd, logFd] : ['ignore', 'ignore', 'pipe'],
    // Its own process group: a terminal's Ctrl-C reaches only our script, which stops the worker first
    // and the server after it (a server gone first leaves the worker retrying while it drains).
    detached: true,
  });
  if (logFd !== undefined) fs.closeSync(logFd); // the child has its own copy
  let memoryTail = '';
  child.stderr?.setEncoding('utf8');
  child.stderr?.on('data', (data: string) => {
    memoryTail = (memoryTail + data).slice(-4000);
  });
  const outputTail = (): string => (opts.logFile ? fileTail(opts.logFile) : memoryTail).trim();

  let spawnError: Error | undefined;
  child.once('error', (err) => (spawnError = err));

  // Safety net: never leave the server running after this Node process exits.
  const onExit = (): void => {
    child.kill('SIGTERM');
  };
  process.on('exit', onExit);

  let stopping: Promise<void> | undefined;
  const stop = (): Promise<void> => {
    stopping ??= (async () => {
      process.removeListener('exit', onExit);
      if (child.exitCode !== null || child.signalCode !== null) return;
      const gone = exited(child);
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), STOP_GRACE_MS);
      await gone;
      clearTimeout(timer);
    })();
    return stopping;
  };

  const describeExit = (): Error | undefined => {
    if (spawnError) return new Error(`Could not start ${binary}: ${spawnError.message}`);
    if (child.exitCode === null && child.signalCode === null) return undefined;
    const how = child.exitCode !== null ? `exit code ${child.exitCode}` : `signal ${child.signalCode}`;
    const tail = outputTail();
    return new Error(
      `Temporal dev server exited during start-up (${how}).` +
        (tail ? `\n--- server output (last lines) ---\n${tail}` : '') +
        (opts.logFile ? `\n(full log: ${opts.logFile})` : ''),
    );
  };

  // Poll the front end every 250 ms until it answers, the child dies, or 60 s pass.
  const deadline = Date.now() + READY_TIMEOUT_MS;
  let lastError: unknown;
  for (;;) {
    const exitError = describeExit();
    if (exitError) {
      await stop();
      throw exitError;
    }
    let connection: Connection | undefined;
    try {
      connection = await Connection.connect({ address, connectTimeout: 1000 });
      await connection.workflowService.getSystemInfo({});
      // The namespace is registered at launch; make sure it is visible before
      // workers/clients use it.
      await connection.workflowService.describeNamespace({ namespace });
      // Still our child answering? (Guards against a server that just died.)
      if (child.exitCode === null && child.signalCode === null) break;
      continue;
    } catch (err) {
      lastError = err;
    } finally {
      await connection?.close().catch(() => undefined);
    }
    if (Date.now() >= deadline) {
      await stop();
      const tail = outputTail();
      throw new Error(
        `Temporal dev server on ${address} did not answer within ${READY_TIMEOUT_MS / 1000} s` +
          (lastError instanceof Error ? ` (last error: ${lastError.message})` : '') +
          (tail ? `\n--- server output (last lines) ---\n${tail}` : ''),
      );
    }
    await sleep(250);
  }

  return { address, uiUrl, stop };
}
