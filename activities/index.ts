// All activities, built from their dependencies (no globals): the worker calls createActivities(deps),
// workflows import only its type. Each activity is a thin wrapper over a repository (repositories/), which owns
// the queries; the activity adds what only an activity knows (its workflow execution, Temporal signals).
import type { Client } from '@temporalio/client';
import type { Db } from '../prisma/client';
import { createRepositories } from '../repositories';
import { createCalendarActivities } from './calendar.activities';
import { createCatalogueActivities } from './catalogue.activities';
import { createClaimActivities } from './claim.activities';
import { createFilingActivities } from './filing.activities';
import { createLedgerActivities } from './ledger.activities';
import { createPolicyActivities } from './policy.activities';
import { createProcurementActivities } from './procurement.activities';
import { createQualificationActivities } from './qualification.activities';

export interface ActivityDeps {
  db: Db;
  temporal: Client;
  taskQueue: string;
  /** R9 the server secret sealed bids are opened with */
  bidSealSecret: string;
}

export function createActivities(deps: ActivityDeps) {
  const repositories = createRepositories(deps.db);
  return {
    ...createPolicyActivities(repositories.policies),
    ...createCalendarActivities(repositories.calendar),
    ...createFilingActivities(repositories.filings),
    ...createLedgerActivities(repositories.ledger),
    ...createClaimActivities(repositories.claims, repositories.anomalies),
    ...createCatalogueActivities(repositories.catalogues),
    ...createQualificationActivities(repositories.qualifications, deps.temporal, deps.taskQueue),
    ...createProcurementActivities({ ...deps, procurements: repositories.procurements }),
  };
}

export type Activities = ReturnType<typeof createActivities>;
