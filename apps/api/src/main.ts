// The API process: HTTP in front of the Temporal client and PostgreSQL.
import { createApp } from './app';
import { createLogger } from '../../../platform/logger';
import { loadConfig } from '../../../platform/config';

async function main() {
  const config = loadConfig();
  const logger = createLogger('api', config.LOG_LEVEL);
  const app = await createApp(config, logger);
  await app.listen(config.PORT, '0.0.0.0');
  logger.info({ port: config.PORT, docs: `http://localhost:${config.PORT}/docs` }, 'API listening');
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
