// All activities, built from their dependencies (no globals): the worker calls createActivities(deps),
// workflows import only its type.
import type { Client } from '@temporalio/client';
import type { Db } from '../prisma/client';
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
  return {
    ...createPolicyActivities(deps.db),
    ...createCalendarActivities(deps.db),
    ...createFilingActivities(deps.db),
    ...createLedgerActivities(deps.db),
    ...createClaimActivities(deps.db),
    ...createCatalogueActivities(deps.db),
    ...createQualificationActivities(deps.db, deps.temporal, deps.taskQueue),
    ...createProcurementActivities(deps),
  };
}

export type Activities = ReturnType<typeof createActivities>;
