import { Body, Controller, Get, Headers, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiHeader, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Access, CurrentUser, type AuthUser } from '../auth/auth';
import { ApiZodBody, ApiZodQuery, ZodPipe } from '../common/zod';
import {
  allocationSchema,
  entriesQuery,
  fundQuery,
  repaymentSchema,
  type AllocationDto,
  type EntriesQuery,
  type FundQuery,
  type RepaymentDto,
} from './ledger.dto';
import { LedgerService } from './ledger.service';

@ApiTags('ledger 职业技能提升行动专账 / 就业补助资金')
@ApiBearerAuth()
@Controller('ledger')
export class LedgerController {
  constructor(private readonly ledger: LedgerService) {}

  @Get('balance')
  @Access('ledger.read')
  @ApiOperation({
    summary:
      "A city fund's balance (fund=SPECIAL the special account, the default, or EMPLOYMENT the employment fund), reconciled against its allocations, payments and recoveries (R7.2)",
  })
  @ApiZodQuery(fundQuery)
  balance(@CurrentUser() user: AuthUser, @Query(new ZodPipe(fundQuery)) query: FundQuery) {
    return this.ledger.balance(user, query);
  }

  @Get('entries')
  @Access('ledger.read')
  @ApiOperation({ summary: "A fund's ledger entries, newest first, with their transactions (R7.2)" })
  @ApiZodQuery(entriesQuery)
  entries(@CurrentUser() user: AuthUser, @Query(new ZodPipe(entriesQuery)) query: EntriesQuery) {
    return this.ledger.entries(user, query);
  }

  @Post('allocations')
  @Access('ledger.write')
  @ApiOperation({
    summary:
      'Allocate unemployment-insurance surplus to a city special account (R7.1), or 就业补助资金 to its employment fund (fund=EMPLOYMENT, R4.3); wakes the claims awaiting that fund',
  })
  @ApiHeader({ name: 'Idempotency-Key', required: false })
  @ApiZodBody(allocationSchema)
  allocate(
    @CurrentUser() user: AuthUser,
    @Body(new ZodPipe(allocationSchema)) body: AllocationDto,
    @Headers('idempotency-key') key?: string,
  ) {
    return this.ledger.allocate(user, body, key);
  }

  @Post('repayments')
  @Access('ledger.write')
  @ApiOperation({ summary: 'Record money recovered from an institution; it returns to the fund that paid it (R7.4)' })
  @ApiHeader({ name: 'Idempotency-Key', required: false })
  @ApiZodBody(repaymentSchema)
  repay(@CurrentUser() user: AuthUser, @Body(new ZodPipe(repaymentSchema)) body: RepaymentDto, @Headers('idempotency-key') key?: string) {
    return this.ledger.repay(user, body, key);
  }
}
