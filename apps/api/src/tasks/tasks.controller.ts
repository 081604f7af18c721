import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiHeader, ApiOperation, ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import { CurrentUser, type AuthUser } from '../auth/auth';
import { ApiZodQuery, ZodPipe } from '../common/zod';
import { UuidPipe } from '../common/uuid';
import { filingDecisionSchema, listTasksQuery, type ListTasksQuery } from './task.dto';
import { TasksService } from './tasks.service';

@ApiTags('tasks 待办')
@ApiBearerAuth()
@Controller('tasks')
export class TasksController {
  constructor(private readonly tasks: TasksService) {}

  @Get()
  @ApiOperation({ summary: "Open tasks of the caller's roles and region, with due dates" })
  @ApiZodQuery(listTasksQuery)
  list(@CurrentUser() user: AuthUser, @Query(new ZodPipe(listTasksQuery)) query: ListTasksQuery) {
    return this.tasks.list(user, query);
  }

  @Get(':id')
  get(@CurrentUser() user: AuthUser, @Param('id', new UuidPipe('Task', '任务')) id: string) {
    return this.tasks.get(user, id);
  }

  @Post(':id/decision')
  @HttpCode(200)
  @ApiOperation({ summary: 'Decide a task; the workflow validates the decision and refuses an invalid one (4xx)' })
  @ApiHeader({ name: 'Idempotency-Key', required: false })
  @ApiBody({ description: 'For a filing review (FILING_REVIEW*)', schema: z.toJSONSchema(filingDecisionSchema, { io: 'input' }) as object })
  decide(@CurrentUser() user: AuthUser, @Param('id', new UuidPipe('Task', '任务')) id: string, @Body() body: unknown) {
    return this.tasks.decide(user, id, body);
  }
}
