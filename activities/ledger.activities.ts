// Special-account (专账, R7.2) activities for claimWorkflow: a thin wrapper over the ledger repository.
// Paying is idempotent by claim (businessKey payment:<claimId>), so Temporal may retry it freely.
import { ApplicationFailure } from '@temporalio/activity';
import { SYSTEM_ACTOR } from '../workflows/contracts/common';
import { LedgerError, type LedgerRepository, type PayClaimResult } from '../repositories/ledger.repository';

export interface PayClaimInput {
  claimId: string;
  institutionId: string;
  regionCode: string;
  /** what the workflow believes was approved; the claim's stored approval is paid, and must equal it */
  amountFen?: number;
  /** who released the payment; the system by default */
  createdBy?: string;
  /** R10.2 the second instalment pays lines an objection held; absent means the first */
  instalment?: number;
}

export function createLedgerActivities(ledger: LedgerRepository) {
  return {
    /**
     * Pays the claim its stored approved amount from its city's fund for its category (R7.1, R4.3), or reports INSUFFICIENT_FUNDS (nothing written) so the workflow
     * can wait for fundsAllocatedSignal and try again.
     */
    async payClaim(input: PayClaimInput): Promise<PayClaimResult> {
      try {
        return await ledger.payClaim({ ...input, createdBy: input.createdBy ?? SYSTEM_ACTOR.userId });
      } catch (err) {
        // Bad input or a claim that does not match its payee: retrying cannot fix it.
        if (err instanceof LedgerError) {
          throw ApplicationFailure.create({
            type: err.code,
            message: err.message,
            details: [{ messageZh: err.messageZh, field: err.field }],
            nonRetryable: true,
          });
        }
        throw err;
      }
    },
  };
}
