// The official calendar as data (R9.9): GET /calendar/:year, POST /calendar/versions (admin; JSON or CSV).
import { Body, Controller, Get, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiConsumes, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Access, CurrentUser, type AuthUser } from '../auth/auth';
import { ApiZodBody } from '../common/zod';
import { newCalendarVersionSchema } from './calendar.dto';
import { CalendarService } from './calendar.service';

@ApiTags('calendar 日历')
@ApiBearerAuth()
@Controller('calendar')
export class CalendarController {
  constructor(private readonly calendar: CalendarService) {}

  @Post('versions')
  @Access('calendar.write')
  @ApiOperation({
    summary:
      "Load a year's official holiday arrangement (放假安排: days off and adjusted working days 调休) as a new version with its source (admin). " +
      'JSON {year, source, holidays, workdays}, or text/csv with columns date,type(holiday/workday),name and ?year=&source=. ' +
      'Workflows with provisional due dates are told to recompute them.',
  })
  @ApiConsumes('application/json', 'text/csv')
  @ApiZodBody(newCalendarVersionSchema)
  addVersion(@CurrentUser() user: AuthUser, @Body() body: unknown, @Query() query: unknown) {
    return this.calendar.addVersion(user, body, query);
  }

  @Get(':year')
  @ApiOperation({ summary: 'The calendar loaded for a year: days, version, source; or that no version covers it (deadlines provisional)' })
  year(@Param('year') year: string) {
    return this.calendar.year(year);
  }
}
