// The policy repository: effective-dated policy versions (POLICY.md preamble), read by the API, the worker's
// schedule and the activities; written by the admin's POST /policy/versions.
import type { Db, Prisma } from '../prisma/client';
import { resolvePolicy, type ResolvedPolicy } from '../workflows/domain/policy';
import { regionAncestors } from '../workflows/domain/region';

/** Policy parameters in force for a region at an instant. */
export async function loadPolicy(db: Db, regionCode: string, at: Date): Promise<ResolvedPolicy> {
  const versions = await db.policyVersion.findMany({
    where: { regionCode: { in: regionAncestors(regionCode) }, effectiveFrom: { lte: at } },
  });
  return resolvePolicy(
    versions.map((v) => ({ ...v, effectiveFrom: v.effectiveFrom.toISOString() })),
    regionCode,
    at,
  );
}

export class PolicyRepository {
  constructor(private readonly db: Db) {}

  inForce(regionCode: string, at: Date): Promise<ResolvedPolicy> {
    return loadPolicy(this.db, regionCode, at);
  }

  /** Adds the region's next version (its number is the region's highest + 1; a race loses on the unique key). */
  async addVersion(input: { regionCode: string; effectiveFrom: Date; parameters: object; note: string; createdBy: string }) {
    const last = await this.db.policyVersion.aggregate({ where: { regionCode: input.regionCode }, _max: { version: true } });
    return this.db.policyVersion.create({
      data: { ...input, parameters: input.parameters as Prisma.InputJsonValue, version: (last._max.version ?? 0) + 1 },
    });
  }
}
