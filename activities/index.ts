// All activities, built from their dependencies (no globals): the worker calls createActivities(deps),
// workflows import only its type.
import type { Client } from '@temporalio/client';
import type { Db } from '../prisma/client';
import { createRepositories } from '../repositories';
import { createCalendarActivities } from './calendar.activities';
import { createCatalogueActivities } from './catalogue.activities';
import { createClaimActivities } from './claim.activities';
import { createFilingActivities } from './filing.activities';
import { createLedgerActivities } from './ledger.activities';
import { createPolicyActivities } from './policy.activities';
import { createQualificationActivities } from './qualification.activities';

export interface ActivityDeps {
  db: Db;
  temporal: Client;
  taskQueue: string;
}

export function createActivities(deps: ActivityDeps) {
  const repositories = createRepositories(deps.db);
  return {
    ...createPolicyActivities(repositories.policies),
    ...createCalendarActivities(deps.db),
    ...createFilingActivities(deps.db),
    ...createLedgerActivities(repositories.ledger),
    ...createClaimActivities(deps.db),
    ...createCatalogueActivities(deps.db),
    ...createQualificationActivities(deps.db, deps.temporal, deps.taskQueue),
  };
}

export type Activities = ReturnType<typeof createActivities>;
