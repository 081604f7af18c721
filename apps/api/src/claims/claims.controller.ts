import { Body, Controller, Get, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiHeader, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Access, CurrentUser, type AuthUser } from '../auth/auth';
import { ApiZodBody, ApiZodQuery, ZodPipe } from '../common/zod';
import { UuidPipe } from '../common/uuid';
import { createClaimSchema, listClaimsQuery, type CreateClaimDto, type ListClaimsQuery } from './claim.dto';
import { ClaimsService } from './claims.service';

@ApiTags('claims 补贴申请')
@ApiBearerAuth()
@Controller('claims')
export class ClaimsController {
  constructor(private readonly claims: ClaimsService) {}

  @Post()
  @Access('claim.create')
  @ApiOperation({ summary: 'Claim subsidies for a class, with a signed commitment (告知承诺, R6.2) or for full review' })
  @ApiHeader({ name: 'Idempotency-Key', required: false })
  @ApiZodBody(createClaimSchema)
  create(@CurrentUser() user: AuthUser, @Body(new ZodPipe(createClaimSchema)) body: CreateClaimDto) {
    return this.claims.create(user, body);
  }

  @Get()
  @ApiZodQuery(listClaimsQuery)
  list(@CurrentUser() user: AuthUser, @Query(new ZodPipe(listClaimsQuery)) query: ListClaimsQuery) {
    return this.claims.list(user, query);
  }

  @Get(':id')
  @ApiOperation({ summary: 'A claim with its lines, checks, decisions, payments, objections, post-audit and audit trail' })
  get(@CurrentUser() user: AuthUser, @Param('id', new UuidPipe('Claim', '补贴申请')) id: string) {
    return this.claims.get(user, id);
  }
}
