// The reference lists loaded from prisma/reference (regions GB/T 2260, occupations), and the database's reachability.
import type { Db } from '../prisma/client';

export class ReferenceRepository {
  constructor(private readonly db: Db) {}

  async regionExists(code: string): Promise<boolean> {
    return (await this.db.region.findUnique({ where: { code } })) !== null;
  }

  region(code: string) {
    return this.db.region.findUnique({ where: { code } });
  }

  /** The occupations of the catalogue among these codes. */
  occupationsIn(codes: string[]) {
    return this.db.occupation.findMany({ where: { code: { in: codes } } });
  }

  /** true when PostgreSQL answers (GET /health). */
  ping(): Promise<boolean> {
    return this.db.$queryRaw`SELECT 1`.then(
      () => true,
      () => false,
    );
  }
}
