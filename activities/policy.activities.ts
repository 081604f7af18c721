// Policy parameters in force for a region at an instant (POLICY.md preamble).
import type { PolicyRepository } from '../repositories/policy.repository';
import type { ResolvedPolicy } from '../workflows/domain/policy';

export function createPolicyActivities(policies: PolicyRepository) {
  return {
    async resolvePolicyFor(input: { regionCode: string; at: string }): Promise<ResolvedPolicy> {
      return policies.inForce(input.regionCode, new Date(input.at));
    },
  };
}
