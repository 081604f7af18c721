// Public procurement notices (no token, API.md /public/procurements): notices, amendments, results and failures,
// and each process as an OCDS 1.1 release package.
import { Controller, Get, Param, Query, Req } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import { z } from 'zod';
import { isRegionCode } from '../../../../workflows/domain/region';
import { Public } from '../auth/auth';
import { pageQuery } from '../common/pagination';
import { ApiZodQuery, ZodPipe } from '../common/zod';
import { UuidPipe } from '../common/uuid';
import { PublicProcurementsService } from '../procurements/procurements.service';

const listQuery = z.strictObject({ ...pageQuery, region: z.string().refine(isRegionCode, 'a region code').optional() });

@ApiTags('public 公开')
@Public()
@Controller('public/procurements')
export class PublicProcurementsController {
  constructor(private readonly procurements: PublicProcurementsService) {}

  @Get()
  @ApiOperation({ summary: 'Published procurement processes (no token)' })
  @ApiZodQuery(listQuery)
  list(@Query(new ZodPipe(listQuery)) q: z.infer<typeof listQuery>) {
    return this.procurements.list(q);
  }

  @Get(':id')
  @ApiOperation({ summary: 'A process: lots, notices, amendments, results and failures (no token)' })
  get(@Param('id', new UuidPipe('Procurement', '采购项目')) id: string) {
    return this.procurements.get(id);
  }

  @Get(':id/ocds')
  @ApiOperation({ summary: 'The process as an OCDS 1.1 release package (no token)' })
  ocds(@Param('id', new UuidPipe('Procurement', '采购项目')) id: string, @Req() req: Request) {
    return this.procurements.ocds(id, `${req.protocol}://${req.get('host') ?? 'localhost'}`);
  }
}
