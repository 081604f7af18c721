// Data access has one home: each aggregate's Prisma queries live in its repository, built on the `Db` from
// prisma/client. The API registers each class as a provider (apps/api/src/infra/infra.module.ts); the worker
// hands the set to createActivities. Controllers and workflows never reach the database themselves.
import type { Db } from '../prisma/client';
import { AnomalyRepository } from './anomaly.repository';
import { CalendarRepository } from './calendar.repository';
import { CatalogueRepository } from './catalogue.repository';
import { ClaimRepository } from './claim.repository';
import { EvaluationInstitutionRepository } from './evaluation-institution.repository';
import { FilingRepository } from './filing.repository';
import { IdempotencyRepository } from './idempotency.repository';
import { InstitutionRepository } from './institution.repository';
import { LedgerRepository } from './ledger.repository';
import { PolicyRepository } from './policy.repository';
import { ProcurementRepository } from './procurement.repository';
import { QualificationRepository } from './qualification.repository';
import { ReferenceRepository } from './reference.repository';
import { TaskRepository } from './task.repository';
import { TraineeRepository } from './trainee.repository';
import { TrainingClassRepository } from './training-class.repository';

/** Every repository class, each constructed with the database handle alone. */
export const REPOSITORY_CLASSES = [
  AnomalyRepository,
  CalendarRepository,
  CatalogueRepository,
  ClaimRepository,
  EvaluationInstitutionRepository,
  FilingRepository,
  IdempotencyRepository,
  InstitutionRepository,
  LedgerRepository,
  PolicyRepository,
  ProcurementRepository,
  QualificationRepository,
  ReferenceRepository,
  TaskRepository,
  TraineeRepository,
  TrainingClassRepository,
] as const;

export function createRepositories(db: Db) {
  return {
    anomalies: new AnomalyRepository(db),
    calendar: new CalendarRepository(db),
    catalogues: new CatalogueRepository(db),
    claims: new ClaimRepository(db),
    filings: new FilingRepository(db),
    ledger: new LedgerRepository(db),
    policies: new PolicyRepository(db),
    procurements: new ProcurementRepository(db),
    qualifications: new QualificationRepository(db),
    reference: new ReferenceRepository(db),
  };
}

export type Repositories = ReturnType<typeof createRepositories>;
