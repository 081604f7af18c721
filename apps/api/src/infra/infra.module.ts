// Connections the API holds: PostgreSQL (Prisma) and the repositories over it, the Temporal client, configuration
// and the logger.
import { Global, Inject, Injectable, Module, OnApplicationShutdown } from '@nestjs/common';
import { Client, Connection } from '@temporalio/client';
import type { Logger } from 'pino';
import { createPrisma, type Db } from '../../../../prisma/client';
import { REPOSITORY_CLASSES } from '../../../../repositories';
import { APP_CONFIG, type AppConfig } from '../../../../platform/config';

const DB = Symbol('DB');
export const TEMPORAL = Symbol('TEMPORAL');
export const LOGGER = Symbol('LOGGER');

@Injectable()
class Shutdown implements OnApplicationShutdown {
  constructor(
    @Inject(DB) private readonly db: Db,
    @Inject(TEMPORAL) private readonly temporal: Client,
  ) {}
  async onApplicationShutdown() {
    await this.db.$disconnect();
    await this.temporal.connection.close();
  }
}

@Global()
@Module({})
export class InfraModule {
  static register(config: AppConfig, logger: Logger) {
    return {
      module: InfraModule,
      providers: [
        { provide: APP_CONFIG, useValue: config },
        { provide: LOGGER, useValue: logger },
        { provide: DB, useFactory: () => createPrisma(config.DATABASE_URL) },
        {
          provide: TEMPORAL,
          useFactory: async () => {
            const connection = await Connection.connect({ address: config.TEMPORAL_ADDRESS });
            return new Client({ connection, namespace: config.TEMPORAL_NAMESPACE });
          },
        },
        // Each repository is injected by its class: services ask for `LedgerRepository`, not for the database.
        ...REPOSITORY_CLASSES.map((Repository) => ({ provide: Repository, useFactory: (db: Db) => new Repository(db), inject: [DB] })),
        Shutdown,
      ],
      exports: [APP_CONFIG, LOGGER, DB, TEMPORAL, ...REPOSITORY_CLASSES],
    };
  }
}
