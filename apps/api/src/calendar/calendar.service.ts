// The official calendar as data (R9.9): load a year's arrangement as a new version (append-only, the newest
// wins), show what is loaded, and tell workflows with provisional pending deadlines that a version arrived.
import { Inject, Injectable } from '@nestjs/common';
import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import type { Logger } from 'pino';
import { CalendarRepository, type CalendarVersionRow } from '../../../../repositories/calendar.repository';
import { isUniqueViolation } from '../../../../repositories/errors';
import { calendarDaysOf } from '../../../../repositories/json';
import { calendarChangedSignal } from '../../../../workflows/contracts/calendar';
import { claimWorkflowId } from '../../../../workflows/contracts/claim';
import { startOfShanghaiDay } from '../../../../workflows/domain/calendar';
import {
  arrangementFromCsv,
  arrangementFromJson,
  validateArrangement,
  type RawCalendarDay,
} from '../../../../workflows/domain/calendar-arrangement';
import type { AuthUser } from '../auth/auth';
import { ApiError, conflict } from '../common/api-error';
import { ZodPipe } from '../common/zod';
import { LOGGER, TEMPORAL } from '../infra/infra.module';
import { calendarYearParam, csvCalendarQuery, newCalendarVersionSchema } from './calendar.dto';

@Injectable()
export class CalendarService {
  constructor(
    private readonly calendar: CalendarRepository,
    @Inject(TEMPORAL) private readonly temporal: Client,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  /** JSON {year, source, holidays, workdays} or text/csv (date,type,name) with ?year=&source=. */
  async addVersion(user: AuthUser, body: unknown, query: unknown) {
    let year: number;
    let source: string;
    let raw: RawCalendarDay[];
    if (typeof body === 'string') {
      ({ year, source } = new ZodPipe(csvCalendarQuery).transform(query));
      const csv = arrangementFromCsv(body);
      if (csv.problems.length)
        throw new ApiError(422, 'CALENDAR_UNREADABLE', 'The calendar file cannot be read.', '无法读取日历文件。', csv.problems);
      raw = csv.days;
    } else if (body !== null && typeof body === 'object' && !Array.isArray(body)) {
      const dto = new ZodPipe(newCalendarVersionSchema).transform(body);
      ({ year, source } = dto);
      raw = arrangementFromJson(dto);
    } else {
      throw new ApiError(
        415,
        'UNSUPPORTED_MEDIA_TYPE',
        'Send JSON {year, source, holidays, workdays} or CSV (Content-Type: text/csv).',
        '请以 JSON（year、source、holidays、workdays）或 CSV（Content-Type: text/csv）提交。',
      );
    }
    const { days, problems } = validateArrangement(year, raw);
    if (problems.length) {
      throw new ApiError(
        422,
        'INVALID_CALENDAR',
        `The arrangement for ${year} is not valid; nothing was loaded.`,
        `${year} 年的放假安排有误，未加载任何数据。`,
        problems,
      );
    }
    let created;
    try {
      created = await this.calendar.addVersion({ year, source, loadedBy: user.userId, days });
    } catch (err) {
      if (isUniqueViolation(err))
        throw conflict(
          'CALENDAR_VERSION_RACE',
          'Another version of this year was loaded at the same time; retry.',
          '该年度另一版本同时被加载，请重试。',
        );
      throw err;
    }
    const signalled = await this.tellWorkflows(year, created.version);
    return { ...this.toDto(created), covered: true, workflowsSignalled: signalled };
  }

  /** What is loaded for a year: the newest version's days and source, and the earlier versions; or that none covers it. */
  async year(yearParam: string) {
    const year = new ZodPipe(calendarYearParam).transform(yearParam);
    const versions = await this.calendar.versionsOf(year);
    const history = versions.map((v) => ({ version: v.version, source: v.source, loadedBy: v.loadedBy, loadedAt: v.loadedAt }));
    if (versions.length === 0) {
      return {
        year,
        covered: false,
        note: 'No calendar version covers this year: working days are Monday–Friday and deadlines over them are provisional (R9.9).',
        noteZh: '本年度尚无日历版本：按周一至周五计算工作日，涉及的期限为暂定（R9.9）。',
        version: null,
        source: null,
        days: [],
        versions: history,
      };
    }
    return { ...this.toDto(versions[0]), covered: true, versions: history };
  }

  /**
   * Every workflow with a provisional pending deadline that lies in or after the year is told to recompute
   * (R9.9): an open task's due date, a returned filing's amendment deadline, the end of a claim's posting.
   * The version is already stored, so a failed signal is logged, not returned as an error.
   */
  private async tellWorkflows(year: number, version: number): Promise<number> {
    const from = startOfShanghaiDay(`${year}-01-01`);
    const { tasks, filings, claims } = await this.calendar.provisionalDeadlinesFrom(from);
    const workflowIds = [
      ...new Set([...tasks.map((t) => t.workflowId), ...filings.map((f) => f.workflowId), ...claims.map((c) => claimWorkflowId(c.id))]),
    ];
    const sent = await Promise.all(
      workflowIds.map((workflowId) =>
        this.temporal.workflow
          .getHandle(workflowId)
          .signal(calendarChangedSignal, { year, version })
          .then(
            () => true,
            (err: unknown) => {
              if (!(err instanceof WorkflowNotFoundError)) this.logger.warn({ err, workflowId }, 'calendarChanged signal failed');
              return false;
            },
          ),
      ),
    );
    return sent.filter(Boolean).length;
  }

  private toDto(v: CalendarVersionRow) {
    const days = calendarDaysOf(v.days);
    return {
      year: v.year,
      version: v.version,
      source: v.source,
      loadedBy: v.loadedBy,
      loadedAt: v.loadedAt,
      holidays: days.filter((d) => d.type === 'HOLIDAY').length,
      workdays: days.filter((d) => d.type === 'WORKDAY').length,
      days,
    };
  }
}
