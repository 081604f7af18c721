// Real-name registry (实名制, R5.4) and electronic training archive (电子培训档案, R6.3).
// Resident IDs go in request bodies only: paths and query strings end up in logs.
import { Body, Controller, Get, HttpCode, Param, Post, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiConsumes, ApiHeader, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { Access, CurrentUser, type AuthUser } from '../auth/auth';
import { ApiZodBody, ZodPipe } from '../common/zod';
import { UuidPipe } from '../common/uuid';
import { registerTraineeSchema, registryJsonSchema, type RegisterTraineeDto } from './trainee.dto';
import { TraineesService } from './trainees.service';

@ApiTags('trainees 实名制人员')
@ApiBearerAuth()
@Controller('trainees')
export class TraineesController {
  constructor(private readonly trainees: TraineesService) {}

  @Post()
  @Access('trainee.register')
  @ApiOperation({
    summary:
      'Register a person by resident ID (GB 11643), or update one: 201 when new, 200 when updated. poorLabourer (R4.3) is for bureau staff only (403 for an institution) and audited',
  })
  @ApiHeader({ name: 'Idempotency-Key', required: false })
  @ApiZodBody(registerTraineeSchema)
  async register(
    @CurrentUser() user: AuthUser,
    @Body(new ZodPipe(registerTraineeSchema)) body: RegisterTraineeDto,
    @Res({ passthrough: true }) res: Response,
  ) {
    const { created, trainee } = await this.trainees.register(user, body);
    res.status(created ? 201 : 200);
    return { created, ...trainee };
  }

  @Post('poor-labourers')
  @HttpCode(200)
  @Access('registry.import')
  @ApiOperation({
    summary:
      'Enter or import registered poor labourers (建档立卡贫困劳动力, R4.3) of your region: JSON {"rows":[…]} or text/csv with the columns ' +
      '姓名, 公民身份号码, 行政区划代码 (for people not yet registered), 建档立卡贫困劳动力 (是/否, default 是). Bad rows are reported, good rows applied and audited.',
  })
  @ApiConsumes('application/json', 'text/csv')
  @ApiHeader({ name: 'Idempotency-Key', required: false })
  @ApiZodBody(registryJsonSchema)
  importPoorLabourers(@CurrentUser() user: AuthUser, @Body() body: unknown) {
    return this.trainees.importPoorLabourers(user, body);
  }

  @Get(':id/archive')
  @ApiOperation({
    summary: "A person's trainings, certificates and subsidies: a worker their own, staff their region's, an institution its rosters'",
  })
  archive(@CurrentUser() user: AuthUser, @Param('id', new UuidPipe('Trainee', '人员')) id: string) {
    return this.trainees.archive(user, id);
  }
}
