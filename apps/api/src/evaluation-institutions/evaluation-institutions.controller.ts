// Evaluation institutions (评价机构 / 职业技能等级认定机构, R3.1): who assesses trainees and issues skill-level
// certificates for which occupations and levels, where. Listed in the catalogues.
import { Body, Controller, Get, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Access, CurrentUser, type AuthUser } from '../auth/auth';
import { ApiZodBody, ApiZodQuery, ZodPipe } from '../common/zod';
import {
  listEvaluationInstitutionsQuery,
  registerEvaluationInstitutionSchema,
  type ListEvaluationInstitutionsQuery,
  type RegisterEvaluationInstitutionDto,
} from './evaluation-institution.dto';
import { EvaluationInstitutionsService } from './evaluation-institutions.service';

@ApiTags('evaluation-institutions 评价机构')
@ApiBearerAuth()
@Controller('evaluation-institutions')
export class EvaluationInstitutionsController {
  constructor(private readonly evaluators: EvaluationInstitutionsService) {}

  @Post()
  @Access('evaluator.write')
  @ApiOperation({
    summary: 'Register an evaluation institution (admin): credit code (GB 32100), region, scope, validity. 409 on a registered credit code',
  })
  @ApiZodBody(registerEvaluationInstitutionSchema)
  register(@CurrentUser() user: AuthUser, @Body(new ZodPipe(registerEvaluationInstitutionSchema)) body: RegisterEvaluationInstitutionDto) {
    return this.evaluators.register(user, body);
  }

  @Get()
  @ApiOperation({ summary: 'Evaluation institutions, filterable by status and region (paginated)' })
  @ApiZodQuery(listEvaluationInstitutionsQuery)
  list(@Query(new ZodPipe(listEvaluationInstitutionsQuery)) q: ListEvaluationInstitutionsQuery) {
    return this.evaluators.list(q);
  }
}
