// A city's funds over HTTP — the special account (职业技能提升行动专账, R7.1/R7.2) and the employment fund
// (就业补助资金, R4.3): region checks, error mapping, and waking the claims that wait for money once finance
// allocates it to the fund that pays them.
import { Inject, Injectable } from '@nestjs/common';
import { Client, WorkflowNotFoundError } from '@temporalio/client';
import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import { LedgerError, LedgerRepository } from '../../../../repositories/ledger.repository';
import { ReferenceRepository } from '../../../../repositories/reference.repository';
import { claimWorkflowId, fundsAllocatedSignal } from '../../../../workflows/contracts/claim';
import { fenNumber, fundAccountCode, fundKindForCategory, fundRegionCode, type FundKind } from '../../../../workflows/domain/ledger-rules';
import { isRegionCode } from '../../../../workflows/domain/region';
import { assertRegion, type AuthUser } from '../auth/auth';
import { ApiError, forbidden } from '../common/api-error';
import { LOGGER, TEMPORAL } from '../infra/infra.module';
import type { AllocationDto, EntriesQuery, FundQuery, RepaymentDto } from './ledger.dto';

const STATUS: Record<LedgerError['code'], number> = {
  INVALID_INPUT: 400,
  CLAIM_NOT_FOUND: 422,
  CLAIM_MISMATCH: 422,
  AMOUNT_MISMATCH: 422,
  NOTHING_APPROVED: 422,
  REPAYMENT_EXCEEDS_PAID: 422,
  BUSINESS_KEY_REUSED: 422,
};

@Injectable()
export class LedgerService {
  constructor(
    private readonly ledgerRepo: LedgerRepository,
    private readonly reference: ReferenceRepository,
    @Inject(TEMPORAL) private readonly temporal: Client,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  balance(user: AuthUser, q: FundQuery) {
    return this.ledgerRepo.reconcile(this.fundRegionFor(user, q.region, 'read'), q.fund);
  }

  /** The fund's entries, newest first, each with its transaction (kind, memo, claim) and other account. */
  async entries(user: AuthUser, q: EntriesQuery) {
    const fundCode = fundAccountCode(this.fundRegionFor(user, q.region, 'read'), q.fund);
    const before = decodeEntryCursor(q.cursor);
    const rows = await this.ledgerRepo.fundEntries(fundCode, before, q.limit + 1);
    const items = rows.slice(0, q.limit);
    return {
      fundAccountCode: fundCode,
      fund: q.fund,
      items: items.map((e) => ({
        id: e.id.toString(),
        transactionId: e.transactionId,
        kind: e.transaction.kind,
        memo: e.transaction.memo,
        claimId: e.transaction.claimId,
        amountFen: fenNumber(e.amountFen),
        counterAccountCode: e.transaction.entries.find((o) => o.id !== e.id)?.account.code ?? null,
        createdBy: e.transaction.createdBy,
        createdAt: e.createdAt,
      })),
      nextCursor: rows.length > q.limit ? Buffer.from(items[items.length - 1].id.toString()).toString('base64url') : null,
    };
  }

  async allocate(user: AuthUser, dto: AllocationDto, idempotencyKey: string | undefined) {
    const fundRegion = this.fundRegionFor(user, dto.regionCode);
    await this.assertKnownRegion(dto.regionCode);
    const result = await this.ledger(() =>
      this.ledgerRepo.allocate({
        regionCode: fundRegion,
        fund: dto.fund,
        amountFen: dto.amountFen,
        // the interceptor already answers exact repeats; this key also makes the posting itself happen once
        businessKey: `allocation:${idempotencyKey ?? randomUUID()}`,
        memo: dto.memo,
        createdBy: user.userId,
      }),
    );
    return { ...result, claimsSignalled: await this.wakeWaitingClaims(fundRegion, dto.fund) };
  }

  async repay(user: AuthUser, dto: RepaymentDto, idempotencyKey: string | undefined) {
    const fundRegion = this.fundRegionFor(user, dto.regionCode);
    await this.assertKnownRegion(dto.regionCode);
    return this.ledger(() =>
      this.ledgerRepo.recordRepayment({
        claimId: dto.claimId,
        fund: dto.fund,
        institutionId: dto.institutionId,
        regionCode: fundRegion,
        amountFen: dto.amountFen,
        businessKey: `repayment:${idempotencyKey ?? randomUUID()}`,
        memo: dto.memo,
        createdBy: user.userId,
      }),
    );
  }

  /**
   * Sends fundsAllocatedSignal to every claim paid from this fund (its city, and the fund its category is paid
   * from) that is waiting for money; each retries its payment.
   * The allocation is already committed, so a failed signal is logged, not returned as an error (a client
   * retrying without an Idempotency-Key would allocate twice).
   */
  private async wakeWaitingClaims(fundRegion: string, fund: FundKind): Promise<number> {
    const waiting = await this.ledgerRepo.claimsAwaitingFunds(fundRegion);
    // the province's prefix covers every city: keep only the claims this very fund pays
    const mine = waiting.filter((c) => fundRegionCode(c.regionCode) === fundRegion && fundKindForCategory(c.category) === fund);
    const sent = await Promise.all(
      mine.map((c) =>
        this.temporal.workflow
          .getHandle(claimWorkflowId(c.id))
          .signal(fundsAllocatedSignal)
          .then(
            () => true,
            (err: unknown) => {
              if (!(err instanceof WorkflowNotFoundError)) this.logger.warn({ err, claimId: c.id }, 'fundsAllocated signal failed');
              return false;
            },
          ),
      ),
    );
    return sent.filter(Boolean).length;
  }

  /**
   * The fund paying for the requested region (the caller's own by default). Moving its money needs a caller
   * who covers the fund's whole region; a county officer may read the city fund its own claims are paid from.
   */
  private fundRegionFor(user: AuthUser, region: string | undefined, access: 'read' | 'write' = 'write'): string {
    const requested = region ?? user.regionCode;
    if (!isRegionCode(requested)) throw forbidden('Your token carries no valid region.', '访问令牌中的行政区划无效。');
    const fundRegion = fundRegionCode(requested);
    if (access === 'read' && isRegionCode(user.regionCode) && fundRegionCode(user.regionCode) === fundRegion) return fundRegion;
    assertRegion(user, fundRegion);
    return fundRegion;
  }

  private async assertKnownRegion(code: string) {
    if (!(await this.reference.regionExists(code))) {
      throw new ApiError(422, 'UNKNOWN_REGION', 'No such region in the reference list.', '行政区划代码不存在。', [
        { field: 'regionCode', problem: 'not in the region list', problemZh: '不在行政区划目录中' },
      ]);
    }
  }

  private async ledger<T>(fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (err) {
      if (err instanceof LedgerError) {
        throw new ApiError(STATUS[err.code], err.code, err.message, err.messageZh, [
          { field: err.field, problem: err.message, problemZh: err.messageZh },
        ]);
      }
      throw err;
    }
  }
}

function decodeEntryCursor(cursor: string | undefined): bigint | undefined {
  if (!cursor) return undefined;
  const id = Buffer.from(cursor, 'base64url').toString('utf8');
  if (!/^[1-9][0-9]{0,17}$/.test(id)) {
    throw new ApiError(400, 'BAD_CURSOR', 'The cursor is not valid.', '分页游标无效。', [
      { field: 'cursor', problem: 'not a cursor from this API', problemZh: '不是本接口返回的游标' },
    ]);
  }
  return BigInt(id);
}
