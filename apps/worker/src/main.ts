// The worker process: runs workflows and activities; stops gracefully on SIGINT/SIGTERM
// (the SDK finishes running activities and stops polling).
import { Runtime } from '@temporalio/worker';
import { createLogger } from '../../../platform/logger';
import { loadConfig } from '../../../platform/config';
import { PolicyRepository } from '../../../repositories/policy.repository';
import { CATALOGUE_REGION } from '../../../workflows/contracts/catalogue';
import { createDeps } from './deps';
import { ensureCatalogueSchedule } from './schedule';
import { createWorker } from './worker';

async function main() {
  const config = loadConfig();
  const logger = createLogger('worker', config.LOG_LEVEL);
  Runtime.install({
    logger: {
      log: (level, message, meta) => logger[level === 'TRACE' ? 'trace' : (level.toLowerCase() as 'info')]({ ...meta }, message),
      trace: (m, meta) => logger.trace({ ...meta }, m),
      debug: (m, meta) => logger.debug({ ...meta }, m),
      info: (m, meta) => logger.info({ ...meta }, m),
      warn: (m, meta) => logger.warn({ ...meta }, m),
      error: (m, meta) => logger.error({ ...meta }, m),
    },
    shutdownSignals: ['SIGINT', 'SIGTERM'],
  });
  const deps = await createDeps({
    databaseUrl: config.DATABASE_URL,
    temporalAddress: config.TEMPORAL_ADDRESS,
    namespace: config.TEMPORAL_NAMESPACE,
    taskQueue: config.TEMPORAL_TASK_QUEUE,
    bidSealSecret: config.BID_SEAL_SECRET,
  });
  const { worker, connection } = await createWorker({
    temporalAddress: config.TEMPORAL_ADDRESS,
    namespace: config.TEMPORAL_NAMESPACE,
    taskQueue: config.TEMPORAL_TASK_QUEUE,
    deps,
  });
  const { parameters } = await new PolicyRepository(deps.db).inForce(CATALOGUE_REGION, new Date());
  const schedule = await ensureCatalogueSchedule(deps.temporal, config.TEMPORAL_TASK_QUEUE, parameters.catalogue.annualPublication);
  logger.info({ schedule, when: parameters.catalogue.annualPublication }, 'annual catalogue schedule ensured');
  logger.info({ taskQueue: config.TEMPORAL_TASK_QUEUE }, 'worker running');
  await worker.run();
  await connection.close();
  await deps.close();
  logger.info('worker stopped');
}

main().catch((err) => {
  console.error(err instanceof Error ? err.stack : err);
  process.exit(1);
});
