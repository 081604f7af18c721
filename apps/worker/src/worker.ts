// Creates the Temporal worker for skillflow's workflows and activities (used by main.ts and the tests).
import { NativeConnection, Worker, type WorkerOptions } from '@temporalio/worker';
import path from 'node:path';
import { createActivities, type ActivityDeps } from '../../../activities';

/** Workflow source: bundled by the worker (webpack + swc) from the TypeScript or compiled entry. */
export const WORKFLOWS_PATH = require.resolve(path.join(__dirname, '../../../workflows'));

export async function createWorker(
  opts: { temporalAddress: string; namespace: string; taskQueue: string; deps: ActivityDeps },
  extra: Partial<WorkerOptions> = {},
): Promise<{ worker: Worker; connection: NativeConnection }> {
  const connection = await NativeConnection.connect({ address: opts.temporalAddress });
  const worker = await Worker.create({
    connection,
    namespace: opts.namespace,
    taskQueue: opts.taskQueue,
    workflowsPath: WORKFLOWS_PATH,
    activities: createActivities(opts.deps),
    ...extra,
  });
  return { worker, connection };
}
