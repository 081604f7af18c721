// Training classes (培训班) and their rosters (花名册): JSON or CSV (UTF-8, with or without BOM).
import { Body, Controller, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiConsumes, ApiHeader, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Access, CurrentUser, type AuthUser } from '../auth/auth';
import { ApiZodBody, ZodPipe } from '../common/zod';
import { UuidPipe } from '../common/uuid';
import { commissionSchema, createClassSchema, rosterJsonSchema, type CommissionDto, type CreateClassDto } from './class.dto';
import { ClassesService } from './classes.service';

@ApiTags('classes 培训班')
@ApiBearerAuth()
@Controller('classes')
export class ClassesController {
  constructor(private readonly classes: ClassesService) {}

  @Post()
  @Access('class.create')
  @ApiOperation({
    summary:
      "Open a class within a valid, unsuspended qualification's scope (R2.3), its training days within its dates (R4.3); 422 OUT_OF_SCOPE / QUALIFICATION_NOT_VALID / TRAINING_DAYS_EXCEED_DATES otherwise",
  })
  @ApiHeader({ name: 'Idempotency-Key', required: false })
  @ApiZodBody(createClassSchema)
  create(@CurrentUser() user: AuthUser, @Body(new ZodPipe(createClassSchema)) body: CreateClassDto) {
    return this.classes.create(user, body);
  }

  @Post(':id/commission')
  @HttpCode(200)
  @Access('class.commission')
  @ApiOperation({
    summary:
      'Record that a class is delivered under a project the bureau commissioned (项目制培训, R6.2): its claims may use the commitment regime',
  })
  @ApiZodBody(commissionSchema)
  commission(
    @CurrentUser() user: AuthUser,
    @Param('id', new UuidPipe('Training class', '培训班')) id: string,
    @Body(new ZodPipe(commissionSchema)) body: CommissionDto,
  ) {
    return this.classes.commission(user, id, body);
  }

  @Get(':id')
  @ApiOperation({ summary: 'A class with its roster (resident IDs masked) and counts' })
  get(@CurrentUser() user: AuthUser, @Param('id', new UuidPipe('Training class', '培训班')) id: string) {
    return this.classes.get(user, id);
  }

  @Post(':id/roster')
  @HttpCode(200)
  @Access('class.roster')
  @ApiOperation({
    summary:
      'Upload or re-upload a roster of up to 2,000 people: JSON {"rows":[…]} or text/csv with the clerk\'s column names ' +
      '(姓名, 公民身份号码, 出勤率(%), 出勤天数, 证书编号, 证书等级, 发证日期, 建档立卡贫困劳动力, 企业在职职工). Bad rows are reported, good rows kept. ' +
      "A 建档立卡贫困劳动力 column is kept as the institution's declaration and does not count (R4.3: the registry decides).",
  })
  @ApiConsumes('application/json', 'text/csv')
  @ApiHeader({ name: 'Idempotency-Key', required: false })
  @ApiZodBody(rosterJsonSchema)
  uploadRoster(@CurrentUser() user: AuthUser, @Param('id', new UuidPipe('Training class', '培训班')) id: string, @Body() body: unknown) {
    return this.classes.uploadRoster(user, id, body);
  }
}
