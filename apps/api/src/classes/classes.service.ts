// Training classes within a qualification's scope (R2.3), and their rosters (花名册, R5.4 实名制).
import { Inject, Injectable } from '@nestjs/common';
import type { Logger } from 'pino';
import { AnomalyRepository } from '../../../../repositories/anomaly.repository';
import { trainingDaysProblem } from '../../../../workflows/domain/allowance';
import { shanghaiDate } from '../../../../workflows/domain/calendar';
import { fenNumber } from '../../../../workflows/domain/ledger-rules';
import { classRegionAllowed, coverProblem } from '../../../../workflows/domain/qualification-rules';
import { MAX_ROSTER_ROWS, rosterFromCsv, rosterFromJson, validateRoster, type RowError } from '../../../../workflows/domain/roster';
import { requireAccess } from '../auth/access';
import type { AuthUser } from '../auth/auth';
import { CatalogueRepository } from '../../../../repositories/catalogue.repository';
import { QualificationRepository, type QualificationRow } from '../../../../repositories/qualification.repository';
import { LotCapacityExceeded } from '../../../../repositories/errors';
import { scopeOf } from '../../../../repositories/json';
import { TrainingClassRepository } from '../../../../repositories/training-class.repository';
import { ApiError, conflict, forbidden, notFound } from '../common/api-error';
import { ZodPipe } from '../common/zod';
import { LOGGER } from '../infra/infra.module';
import { rosterJsonSchema, toClassDto, toRosterEntryDto, type CommissionDto, type CreateClassDto } from './class.dto';

/**
 * Why a class may not run under a qualification (R2.3): it must be the caller's own, ACTIVE, valid for the
 * whole class, and cover the occupation at the level. Validity instants compare as Asia/Shanghai dates.
 */
export function classRefusal(q: QualificationRow | null, institutionId: string, c: CreateClassDto): ApiError | null {
  const notValid = (problem: string, problemZh: string, field = 'qualificationId') =>
    new ApiError(
      422,
      'QUALIFICATION_NOT_VALID',
      `The qualification does not allow this class: ${problem} (R2.3).`,
      `该培训资质不能开设此班：${problemZh}（R2.3）。`,
      [{ field, problem, problemZh }],
    );
  if (!q || q.institutionId !== institutionId) return notValid('not a qualification of your institution', '不是本机构的培训资质');
  if (!classRegionAllowed(q.regionCode, c.regionCode)) {
    return new ApiError(
      422,
      'REGION_OUTSIDE_QUALIFICATION',
      `A class runs in the city of its qualification (${q.regionCode.slice(0, 4)}00), whose fund and reviewers handle it.`,
      `培训班须在资质所在城市（${q.regionCode.slice(0, 4)}00）内开办，由该市资金和审核人员办理。`,
      [
        {
          field: 'regionCode',
          problem: `not within ${q.regionCode.slice(0, 4)}00`,
          problemZh: `不在 ${q.regionCode.slice(0, 4)}00 范围内`,
        },
      ],
    );
  }
  const problem = coverProblem({ ...q, scope: scopeOf(q.scope, 'Qualification.scope') }, c, 'opening');
  if (!problem) return null;
  switch (problem.kind) {
    case 'STATUS':
      return notValid(`it is ${problem.status}`, `资质状态为 ${problem.status}`);
    case 'BEFORE_VALIDITY':
      return notValid(`valid only from ${problem.firstDay}`, `资质自 ${problem.firstDay} 起有效`, 'startDate');
    case 'AFTER_VALIDITY':
      return notValid(`valid only until ${problem.lastDay} (its last day)`, `资质有效期至 ${problem.lastDay}（含当日）`, 'endDate');
    case 'OUT_OF_SCOPE': {
      const [problemEn, problemZh] =
        problem.field === 'level'
          ? [`level ${c.level} of ${c.occupationCode} is outside the scope`, `${c.occupationCode} 的 ${c.level} 级不在资质范围内`]
          : [`${c.occupationCode} is outside the scope`, `职业 ${c.occupationCode} 不在资质范围内`];
      return new ApiError(
        422,
        'OUT_OF_SCOPE',
        'Training outside the qualification’s scope is not subsidised (R2.3).',
        '超出资质范围的培训不予补贴（R2.3）。',
        [{ field: problem.field, problem: problemEn, problemZh }],
      );
    }
  }
}

@Injectable()
export class ClassesService {
  constructor(
    private readonly classes: TrainingClassRepository,
    private readonly qualifications: QualificationRepository,
    private readonly catalogues: CatalogueRepository,
    private readonly anomalies: AnomalyRepository,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  async create(user: AuthUser, dto: CreateClassDto) {
    if (!user.institutionId)
      throw forbidden('Only an institution user (a token with an institution id) opens classes.', '只有培训机构用户可以开班。');
    const tooMany = trainingDaysProblem(dto);
    if (tooMany) {
      throw new ApiError(
        422,
        'TRAINING_DAYS_EXCEED_DATES',
        `${dto.trainingDays} training days do not fit in the ${tooMany.calendarDays} calendar days from ${dto.startDate} to ${dto.endDate} (R4.3).`,
        `培训天数 ${dto.trainingDays} 天超过 ${dto.startDate} 至 ${dto.endDate} 的 ${tooMany.calendarDays} 个日历日（R4.3）。`,
        [
          {
            field: 'trainingDays',
            problem: `at most ${tooMany.calendarDays}, the calendar days from start to end`,
            problemZh: `不得超过开班至结业的 ${tooMany.calendarDays} 个日历日`,
          },
        ],
      );
    }
    const q = await this.qualifications.qualification(dto.qualificationId);
    const refusal = classRefusal(q, user.institutionId, dto);
    if (refusal) throw refusal;
    // R2.4 a procured lot's standard is its awarded price per person (the claim caps it by R4.2); else the catalogue's.
    const standard =
      q!.pricePerPersonFen !== null ? { standardFen: fenNumber(q!.pricePerPersonFen) } : await this.catalogues.standardFen(dto);
    const created = await this.classes.createClass({
      ...dto,
      institutionId: user.institutionId,
      startDate: new Date(dto.startDate),
      endDate: new Date(dto.endDate),
      catalogueStandardFen: standard?.standardFen ?? null, // R4.2 from the catalogue in force on the start date; none: the cap applies
      createdBy: user.userId,
    });
    return this.get(user, created.id);
  }

  /**
   * R6.2: bureau staff of the class's region record that it is delivered under a project the bureau
   * commissioned, so its claims may take the commitment fast path. Audited; recorded once (409 after).
   */
  async commission(user: AuthUser, classId: string, dto: CommissionDto) {
    const c = await this.load(classId);
    requireAccess(user, 'class.commission', { regionCode: c.regionCode });
    if (c.commissionRef !== null) {
      throw conflict(
        'ALREADY_COMMISSIONED',
        `This class is already recorded under project ${c.commissionRef}.`,
        `该培训班已登记为委托项目 ${c.commissionRef}。`,
      );
    }
    if (!(await this.classes.commission(c.id, { reference: dto.reference, note: dto.note, actor: user })))
      throw conflict('ALREADY_COMMISSIONED', 'This class is already recorded under a project.', '该培训班已登记为委托项目。');
    return this.get(user, c.id);
  }

  async get(user: AuthUser, classId: string) {
    const c = await this.load(classId);
    requireAccess(user, 'class.read', c);
    const roster = await this.classes.roster(classId);
    const counts = {
      enrolled: roster.length,
      attendanceRecorded: roster.filter((e) => e.attendancePercent !== null).length,
      certified: roster.filter((e) => e.certificateNumber !== null).length,
    };
    return { ...toClassDto(c), counts, roster: roster.map((e) => toRosterEntryDto(user, e)) };
  }

  /**
   * A roster as JSON or CSV text. Bad rows are reported (row, field, both languages) and the good ones kept;
   * a re-upload updates attendance and certificate results. A file over MAX_ROSTER_ROWS stores nothing.
   */
  async uploadRoster(user: AuthUser, classId: string, body: unknown) {
    const c = await this.load(classId);
    requireAccess(user, 'class.roster', { institutionId: c.institutionId }); // only the institution running the class
    if (body === undefined) {
      throw new ApiError(
        415,
        'UNSUPPORTED_MEDIA_TYPE',
        'Send JSON {"rows":[…]} or CSV (Content-Type: text/csv).',
        '请以 JSON（{"rows":[…]}）或 CSV（Content-Type: text/csv）提交花名册。',
      );
    }
    const input = typeof body === 'string' ? rosterFromCsv(body) : rosterFromJson(new ZodPipe(rosterJsonSchema).transform(body).rows);
    if (input.errors.length > 0) {
      throw new ApiError(422, 'ROSTER_UNREADABLE', 'The roster file cannot be read.', '无法读取花名册文件。', input.errors);
    }
    if (input.records.length > MAX_ROSTER_ROWS) {
      throw new ApiError(
        413,
        'ROSTER_TOO_LARGE',
        `A roster has at most ${MAX_ROSTER_ROWS} people; this one has ${input.records.length}. Nothing was stored.`,
        `花名册最多 ${MAX_ROSTER_ROWS} 人，本次为 ${input.records.length} 人，未保存任何数据。`,
        [{ field: 'rows', problem: `at most ${MAX_ROSTER_ROWS} rows`, problemZh: `最多 ${MAX_ROSTER_ROWS} 行` }],
      );
    }
    if (input.records.length === 0) throw new ApiError(422, 'ROSTER_EMPTY', 'The roster has no people.', '花名册中没有人员。');

    const { rows, errors } = validateRoster(input.records, shanghaiDate(new Date()), { maxDays: c.trainingDays });
    const mismatched = await this.classes.storeRoster(c, rows).catch((err: unknown) => {
      if (!(err instanceof LotCapacityExceeded)) throw err;
      throw new ApiError(
        422,
        'LOT_CAPACITY_EXCEEDED',
        `The procured lot buys training for ${err.capacity} people; this roster would bring its classes to ${err.enrolled} (R2.4).`,
        `该采购包购买 ${err.capacity} 人的培训，本名册将使其培训班人数达到 ${err.enrolled} 人（R2.4）。`,
        [
          {
            field: 'records',
            problem: `at most ${err.capacity} trainees under this qualification`,
            problemZh: `该资质下最多 ${err.capacity} 人`,
          },
        ],
      );
    });
    // Issue 10 item 1: the anomaly rules propose cases for an inspector; they never change the upload's outcome.
    if (rows.length > mismatched.length)
      await this.anomalies.propose({ source: 'ROSTER', classId }, { log: (msg, meta) => this.logger.warn(meta, msg) });
    const allErrors: RowError[] = [...errors, ...mismatched].sort((a, b) => a.row - b.row);
    const rejected = new Set(allErrors.map((e) => e.row)).size;
    return {
      classId,
      received: input.records.length,
      accepted: input.records.length - rejected,
      rejected,
      errors: allErrors,
      ignoredColumns: input.ignoredColumns,
    };
  }

  private async load(classId: string) {
    const c = await this.classes.trainingClass(classId);
    if (!c) throw notFound('Training class', '培训班');
    return c;
  }
}
