// Data access has one home: each aggregate's Prisma queries live in its repository, built on the `Db` from
// prisma/client. The API registers each class as a provider (apps/api/src/infra/infra.module.ts); the worker
// hands the set to createActivities. Controllers and workflows never reach the database themselves.
import type { Db } from '../prisma/client';
import { CatalogueRepository } from './catalogue.repository';
import { ClaimRepository } from './claims.repository';
import { LedgerRepository } from './ledger.repository';
import { PolicyRepository } from './policy.repository';
import { QualificationRepository } from './qualifications.repository';
import { ReferenceRepository } from './reference.repository';

/** Every repository class, each constructed with the database handle alone. */
export const REPOSITORY_CLASSES = [
  CatalogueRepository,
  ClaimRepository,
  LedgerRepository,
  PolicyRepository,
  QualificationRepository,
  ReferenceRepository,
] as const;

export function createRepositories(db: Db) {
  return {
    catalogues: new CatalogueRepository(db),
    claims: new ClaimRepository(db),
    ledger: new LedgerRepository(db),
    policies: new PolicyRepository(db),
    qualifications: new QualificationRepository(db),
    reference: new ReferenceRepository(db),
  };
}

export type Repositories = ReturnType<typeof createRepositories>;
