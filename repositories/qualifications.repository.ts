// The qualification repository (培训资质, R2.3): who may deliver which subsidised training.
import type { Db, Prisma } from '../prisma/client';
import { regionPrefix } from '../workflows/domain/region';
import { afterCursor, type Cursor } from './pagination';

export type QualificationWithInstitution = Prisma.QualificationGetPayload<{ include: { institution: true } }>;

export class QualificationRepository {
  constructor(private readonly db: Db) {}

  /** A page of qualifications in (createdAt, id) order; every filter given narrows it (`regionCode`: that region and below). */
  list(f: {
    /** an institution user's own institution */
    ownInstitutionId?: string;
    institutionId?: string;
    regionCode?: string;
    status?: 'ACTIVE' | 'SUSPENDED' | 'REVOKED' | 'EXPIRED';
    after?: Cursor;
    take: number;
  }): Promise<QualificationWithInstitution[]> {
    return this.db.qualification.findMany({
      where: {
        AND: [
          { institutionId: f.ownInstitutionId },
          f.regionCode ? { regionCode: { startsWith: regionPrefix(f.regionCode) } } : {},
          f.status ? { status: f.status } : {},
          f.institutionId ? { institutionId: f.institutionId } : {},
          afterCursor(f.after),
        ],
      },
      include: { institution: true },
      orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
      take: f.take,
    });
  }

  withInstitution(id: string): Promise<QualificationWithInstitution | null> {
    return this.db.qualification.findUnique({ where: { id }, include: { institution: true } });
  }
}
