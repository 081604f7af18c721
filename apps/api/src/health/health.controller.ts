import { Controller, Get, Inject, Res } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Client } from '@temporalio/client';
import type { Response } from 'express';
import { ReferenceRepository } from '../../../../repositories/reference.repository';
import { Public } from '../auth/auth';
import { TEMPORAL } from '../infra/infra.module';

@ApiTags('health')
@Controller('health')
export class HealthController {
  constructor(
    private readonly reference: ReferenceRepository,
    @Inject(TEMPORAL) private readonly temporal: Client,
  ) {}

  @Get()
  @Public()
  @ApiOperation({ summary: 'PostgreSQL and Temporal reachability' })
  async check(@Res({ passthrough: true }) res: Response) {
    const [postgres, temporal] = await Promise.all([
      this.reference.ping().then((up) => (up ? ('up' as const) : ('down' as const))),
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
