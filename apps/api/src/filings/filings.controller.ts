import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiHeader, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Access, CurrentUser, type AuthUser } from '../auth/auth';
import { ApiZodBody, ApiZodQuery, ZodPipe } from '../common/zod';
import { UuidPipe } from '../common/uuid';
import { filingApplicationSchema, listFilingsQuery, type FilingApplicationDto, type ListFilingsQuery } from './filing.dto';
import { FilingsService } from './filings.service';

@ApiTags('filings 审核备案')
@ApiBearerAuth()
@Controller('filings')
export class FilingsController {
  constructor(private readonly filings: FilingsService) {}

  @Post()
  @Access('filing.create')
  @ApiOperation({ summary: 'File an application for review and filing (R2.1); starts its workflow' })
  @ApiHeader({ name: 'Idempotency-Key', required: false })
  @ApiZodBody(filingApplicationSchema)
  create(@CurrentUser() user: AuthUser, @Body(new ZodPipe(filingApplicationSchema)) body: FilingApplicationDto) {
    return this.filings.create(user, body);
  }

  @Get()
  @ApiOperation({ summary: "Filings: an institution's own, or those of a reviewer's region" })
  @ApiZodQuery(listFilingsQuery)
  list(@CurrentUser() user: AuthUser, @Query(new ZodPipe(listFilingsQuery)) query: ListFilingsQuery) {
    return this.filings.list(user, query);
  }

  @Get(':id')
  @ApiOperation({ summary: 'A filing with its revisions, tasks and audit trail' })
  get(@CurrentUser() user: AuthUser, @Param('id', new UuidPipe('Filing', '备案申请')) id: string) {
    return this.filings.get(user, id);
  }

  @Post(':id/resubmissions')
  @HttpCode(200)
  @Access('filing.resubmit')
  @ApiOperation({ summary: 'Resubmit a filing returned for amendment, before its deadline' })
  @ApiHeader({ name: 'Idempotency-Key', required: false })
  @ApiZodBody(filingApplicationSchema)
  resubmit(
    @CurrentUser() user: AuthUser,
    @Param('id', new UuidPipe('Filing', '备案申请')) id: string,
    @Body(new ZodPipe(filingApplicationSchema)) body: FilingApplicationDto,
  ) {
    return this.filings.resubmit(user, id, body);
  }
}
