// Policy parameters in force for a region at an instant (POLICY.md preamble).
import type { Db } from '../prisma/client';
import { resolvePolicy, type ResolvedPolicy } from '../workflows/domain/policy';
import { regionAncestors } from '../workflows/domain/region';

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

export function createPolicyActivities(db: Db) {
  return {
    async resolvePolicyFor(input: { regionCode: string; at: string }): Promise<ResolvedPolicy> {
      return loadPolicy(db, input.regionCode, new Date(input.at));
    },
  };
}
