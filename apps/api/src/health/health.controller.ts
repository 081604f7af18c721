import { Controller, Get, Inject, Res } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Client } from '@temporalio/client';
import type { Response } from 'express';
import type { Db } from '../../../../prisma/client';
import { Public } from '../auth/auth';
import { DB, TEMPORAL } from '../infra/infra.module';

@ApiTags('health')
@Controller('health')
export class HealthController {
  constructor(
    @Inject(DB) private readonly db: Db,
    @Inject(TEMPORAL) private readonly temporal: Client,
  ) {}

  @Get()
  @Public()
  @ApiOperation({ summary: 'PostgreSQL and Temporal reachability' })
  async check(@Res({ passthrough: true }) res: Response) {
    const [postgres, temporal] = await Promise.all([
      this.db.$queryRaw`SELECT 1`.then(
        () => 'up' as const,
        () => 'down' as const,
      ),
      this.temporal.connection.workflowService.getSystemInfo({}).then(
        () => 'up' as const,
        () => 'down' as const,
      ),
    ]);
    const ok = postgres === 'up' && temporal === 'up';
    res.status(ok ? 200 : 503);
    return { status: ok ? 'ok' : 'degraded', postgres, temporal };
  }
}
