// One running system per test file: the real API (HTTP on a free port) and a real worker on its own task
// queue, over the PostgreSQL and Temporal server that `npm test` started.
import type { INestApplication } from '@nestjs/common';
import { DefaultLogger, Runtime, type Worker } from '@temporalio/worker';
import { Client, Connection } from '@temporalio/client';
import { randomUUID } from 'node:crypto';
import pino from 'pino';
import { createApp } from '../../apps/api/src/app';
import { signToken, type TokenClaims } from '../../apps/api/src/auth/token';
import { loadConfig } from '../../platform/config';
import { createDeps } from '../../apps/worker/src/deps';
import { createWorker } from '../../apps/worker/src/worker';
import { createPrisma, type Db } from '../../prisma/client';

export const TEST_SECRET = 'skillflow-integration-test-secret';

try {
  Runtime.install({ logger: new DefaultLogger('WARN') });
} catch {
  // already installed in this Jest worker
}

export interface HttpResult<T = any> {
  status: number;
  body: T;
  headers: Headers;
}

export interface Harness {
  baseUrl: string;
  db: Db;
  temporal: Client;
  taskQueue: string;
  token(claims: Omit<TokenClaims, 'exp'>): string;
  http<T = any>(
    method: string,
    path: string,
    opts?: { token?: string; body?: unknown; raw?: string; headers?: Record<string, string> },
  ): Promise<HttpResult<T>>;
  stop(): Promise<void>;
}

export async function startHarness(): Promise<Harness> {
  const taskQueue = `test-${randomUUID()}`;
  const config = loadConfig({
    ...process.env,
    NODE_ENV: 'test',
    PORT: '0',
    AUTH_SECRET: TEST_SECRET,
    TEMPORAL_TASK_QUEUE: taskQueue,
  });
  const deps = await createDeps({
    databaseUrl: config.DATABASE_URL,
    temporalAddress: config.TEMPORAL_ADDRESS,
    namespace: config.TEMPORAL_NAMESPACE,
    taskQueue,
    bidSealSecret: config.BID_SEAL_SECRET,
  });
  const { worker, connection } = await createWorker({
    temporalAddress: config.TEMPORAL_ADDRESS,
    namespace: config.TEMPORAL_NAMESPACE,
    taskQueue,
    deps,
  });
  const running = worker.run();
  const app: INestApplication = await createApp(config, pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' }));
  await app.listen(0, '127.0.0.1');
  const baseUrl = (await app.getUrl()).replace('[::1]', '127.0.0.1');
  const db = createPrisma(config.DATABASE_URL, 3);
  const temporal = new Client({
    connection: await Connection.connect({ address: config.TEMPORAL_ADDRESS }),
    namespace: config.TEMPORAL_NAMESPACE,
  });

  return {
    baseUrl,
    db,
    temporal,
    taskQueue,
    token: (claims) => signToken(claims, TEST_SECRET),
    async http(method, path, opts = {}) {
      const headers: Record<string, string> = { ...(opts.headers ?? {}) };
      if (opts.token) headers.authorization = `Bearer ${opts.token}`;
      let body: string | undefined = opts.raw;
      if (opts.body !== undefined) {
        body = JSON.stringify(opts.body);
        headers['content-type'] = 'application/json';
      } else if (opts.raw !== undefined) headers['content-type'] ??= 'application/json';
      const res = await fetch(baseUrl + path, { method, headers, body });
      const text = await res.text();
      let parsed: unknown = text;
      try {
        parsed = text ? JSON.parse(text) : undefined;
      } catch {
        // not JSON (docs page)
      }
      return { status: res.status, body: parsed as any, headers: res.headers };
    },
    async stop() {
      await app.close();
      worker.shutdown();
      await running;
      await connection.close();
      await deps.close();
      await db.$disconnect();
      await temporal.connection.close();
    },
  };
}

/** Polls until fn returns something other than undefined, null or false. */
export async function eventually<T>(fn: () => Promise<T | undefined | null | false>, what: string, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v !== undefined && v !== null && v !== false) return v as T;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

export type { Worker };

/**
 * Replays a workflow's history on the current workflow code (determinism check), and with
 * RECORD_HISTORIES=1 saves it under test/histories/ for the replay suite.
 */
export async function replayAndMaybeRecord(h: Harness, workflowId: string, name: string): Promise<void> {
  const { Worker } = await import('@temporalio/worker');
  const { WORKFLOWS_PATH } = await import('../../apps/worker/src/worker');
  const history = await h.temporal.workflow.getHandle(workflowId).fetchHistory();
  await Worker.runReplayHistory({ workflowsPath: WORKFLOWS_PATH }, history, workflowId);
  if (process.env.RECORD_HISTORIES) {
    const fs = await import('node:fs');
    const path = await import('node:path');
    const { historyToJSON } = await import('@temporalio/common/lib/proto-utils');
    fs.writeFileSync(path.join(__dirname, '..', 'histories', `${name}.json`), historyToJSON(history));
  }
}

/**
 * Puts a policy version in force for a test region from a minute ago, through the admin API: how tests get
 * short deadlines (periods in SECONDS) without touching other regions.
 */
export async function addPolicyVersion(h: Harness, regionCode: string, parameters: object, note = `test ${regionCode}`): Promise<void> {
  const admin = h.token({ sub: 'admin', roles: ['admin'], region: '140000' });
  const res = await h.http('POST', '/policy/versions', {
    token: admin,
    body: { regionCode, effectiveFrom: new Date(Date.now() - 60_000).toISOString(), note, parameters },
  });
  if (res.status !== 201) throw new Error(`policy version for ${regionCode}: ${res.status} ${JSON.stringify(res.body)}`);
}
