// The evaluation-institution repository (评价机构, R3.1): registered by an admin; every ACTIVE one valid on a
// catalogue's effective date is listed in that catalogue (catalogue.repository.ts).
import type { Db, Prisma } from '../prisma/client';
import { regionPrefix } from '../workflows/domain/region';
import type { ScopeItem } from '../workflows/domain/scope';
import { afterCursor, type Cursor } from './pagination';

export class EvaluationInstitutionRepository {
  constructor(private readonly db: Db) {}

  byCreditCode(creditCode: string) {
    return this.db.evaluationInstitution.findUnique({ where: { creditCode } });
  }

  /** Registers one (a concurrent registration of the same credit code loses on the unique key). */
  register(e: {
    name: string;
    creditCode: string;
    regionCode: string;
    scope: ScopeItem[];
    validFrom: Date;
    validTo: Date;
    createdBy: string;
  }) {
    return this.db.evaluationInstitution.create({ data: { ...e, scope: e.scope as unknown as Prisma.InputJsonValue } });
  }

  /** A page in (createdAt, id) order, by status and region (and below). */
  list(f: { status?: 'ACTIVE' | 'WITHDRAWN'; regionCode?: string; after?: Cursor; take: number }) {
    return this.db.evaluationInstitution.findMany({
      where: {
        AND: [
          f.status ? { status: f.status } : {},
          f.regionCode ? { regionCode: { startsWith: regionPrefix(f.regionCode) } } : {},
          afterCursor(f.after),
        ],
      },
      orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
      take: f.take,
    });
  }
}
