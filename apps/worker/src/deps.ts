// The worker's dependencies, built once and handed to createActivities (no globals).
import { Client, Connection } from '@temporalio/client';
import type { ActivityDeps } from '../../../activities';
import { createPrisma } from '../../../prisma/client';

export async function createDeps(cfg: {
  databaseUrl: string;
  temporalAddress: string;
  namespace: string;
  taskQueue: string;
  bidSealSecret: string;
}): Promise<ActivityDeps & { close(): Promise<void> }> {
  const db = createPrisma(cfg.databaseUrl);
  const connection = await Connection.connect({ address: cfg.temporalAddress });
  const temporal = new Client({ connection, namespace: cfg.namespace });
  return {
    db,
    temporal,
    taskQueue: cfg.taskQueue,
    bidSealSecret: cfg.bidSealSecret,
    async close() {
      await db.$disconnect();
      await connection.close();
    },
  };
}
