// The training-institution repository (培训机构): an institution is registered with its first filing.
import type { Db, Prisma } from '../prisma/client';

export type InstitutionRow = Prisma.InstitutionGetPayload<object>;

export class InstitutionRepository {
  constructor(private readonly db: Db) {}

  byCreditCode(creditCode: string) {
    return this.db.institution.findUnique({ where: { creditCode } });
  }

  byId(id: string) {
    return this.db.institution.findUnique({ where: { id } });
  }

  /** Registers an institution under the id its users' tokens carry (a concurrent registration loses on a unique key). */
  register(i: Prisma.InstitutionUncheckedCreateInput) {
    return this.db.institution.create({ data: i });
  }
}
