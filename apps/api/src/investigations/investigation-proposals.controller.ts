// Investigation proposals (稽查线索): cases the anomaly rules propose for a person to open (issue 10 item 1).
// Read-only here: a proposal decides nothing (个人信息保护法 art. 24).
import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Access, CurrentUser, type AuthUser } from '../auth/auth';
import { ApiZodQuery, ZodPipe } from '../common/zod';
import { listProposalsQuery, type ListProposalsQuery } from './investigation-proposal.dto';
import { InvestigationProposalsService } from './investigation-proposals.service';

@ApiTags('investigations 稽查')
@ApiBearerAuth()
@Controller('investigation-proposals')
export class InvestigationProposalsController {
  constructor(private readonly proposals: InvestigationProposalsService) {}

  @Get()
  @Access('proposal.read')
  @ApiOperation({
    summary: 'Cases the anomaly rules proposed in your region (and below), oldest first; filter by rule, status, institution',
  })
  @ApiZodQuery(listProposalsQuery)
  list(@CurrentUser() user: AuthUser, @Query(new ZodPipe(listProposalsQuery)) q: ListProposalsQuery) {
    return this.proposals.list(user, q);
  }
}
