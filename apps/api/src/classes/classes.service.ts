// Training classes within a qualification's scope (R2.3), and their rosters (花名册, R5.4 实名制).
import { Inject, Injectable } from '@nestjs/common';
import type { Logger } from 'pino';
import { proposeAnomalies } from '../../../../activities/anomalies';
import type { Db, Prisma } from '../../../../prisma/client';
import type { Qualification, TrainingClass } from '../../../../generated/prisma/client';
import { trainingDaysProblem } from '../../../../workflows/domain/allowance';
import { shanghaiDate } from '../../../../workflows/domain/calendar';
import { fenNumber } from '../../../../workflows/domain/ledger';
import { classRegionAllowed, coverProblem } from '../../../../workflows/domain/qualification-rules';
import {
  MAX_ROSTER_ROWS,
  rosterFromCsv,
  rosterFromJson,
  validateRoster,
  type RosterRow,
  type RowError,
} from '../../../../workflows/domain/roster';
import type { ScopeItem } from '../../../../workflows/domain/scope';
import { requireAccess } from '../auth/access';
import type { AuthUser } from '../auth/auth';
import { catalogueStandardFen } from '../catalogues/catalogue-standard';
import { appendAudit } from '../../../../activities/audit';
import { ApiError, conflict, forbidden, notFound } from '../common/api-error';
import { ZodPipe } from '../common/zod';
import { DB, LOGGER } from '../infra/infra.module';
import { rosterJsonSchema, toClassDto, toRosterEntryDto, type CommissionDto, type CreateClassDto } from './class.dto';

/**
 * Why a class may not run under a qualification (R2.3): it must be the caller's own, ACTIVE, valid for the
 * whole class, and cover the occupation at the level. Validity instants compare as Asia/Shanghai dates.
 */
export function classRefusal(q: Qualification | null, institutionId: string, c: CreateClassDto): ApiError | null {
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
  const problem = coverProblem({ ...q, scope: q.scope as unknown as ScopeItem[] }, c, 'opening');
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
    @Inject(DB) private readonly db: Db,
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
    const q = await this.db.qualification.findUnique({ where: { id: dto.qualificationId } });
    const refusal = classRefusal(q, user.institutionId, dto);
    if (refusal) throw refusal;
    // R2.4 a procured lot's standard is its awarded price per person (the claim caps it by R4.2); else the catalogue's.
    const standard =
      q!.pricePerPersonFen !== null ? { standardFen: fenNumber(q!.pricePerPersonFen) } : await catalogueStandardFen(this.db, dto);
    const created = await this.db.trainingClass.create({
      data: {
        ...dto,
        institutionId: user.institutionId,
        startDate: new Date(dto.startDate),
        endDate: new Date(dto.endDate),
        catalogueStandardFen: standard?.standardFen ?? null, // R4.2 from the catalogue in force on the start date; none: the cap applies
        createdBy: user.userId,
      },
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
    await this.db.$transaction(async (tx) => {
      const updated = await tx.trainingClass.updateMany({
        where: { id: c.id, commissionRef: null },
        data: { commissionRef: dto.reference, commissionedBy: user.userId, commissionedAt: new Date() },
      });
      if (updated.count === 0)
        throw conflict('ALREADY_COMMISSIONED', 'This class is already recorded under a project.', '该培训班已登记为委托项目。');
      await appendAudit(tx, {
        dedupeKey: `class-commission:${c.id}`,
        actor: user,
        action: 'CLASS_COMMISSIONED',
        caseType: 'TRAINING_CLASS',
        caseId: c.id,
        reason: dto.note,
        details: { reference: dto.reference },
      });
    });
    return this.get(user, c.id);
  }

  async get(user: AuthUser, classId: string) {
    const c = await this.load(classId);
    requireAccess(user, 'class.read', c);
    const roster = await this.db.enrolment.findMany({
      where: { classId },
      include: { trainee: { select: { id: true, residentId: true, name: true } } },
      orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
    });
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
    const mismatched = await this.store(c, rows);
    // Issue 10 item 1: the anomaly rules propose cases for an inspector; they never change the upload's outcome.
    if (rows.length > mismatched.length)
      await proposeAnomalies(this.db, { source: 'ROSTER', classId }, { log: (msg, meta) => this.logger.warn(meta, msg) });
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

  /**
   * Set-based, whatever the size (no query per row): new people are inserted, flags given are updated, then
   * one select finds everyone and one INSERT … ON CONFLICT upserts the enrolments. A poor-labourer column is
   * the institution's declaration (R4.3): kept on the enrolment, never written to the registry. A resident ID
   * registered under another name is a row error, never an overwrite (R5.4); checked after the insert, so two
   * uploads racing with different names cannot both win. Returns those errors.
   */
  private async store(c: TrainingClass, rows: RosterRow[]): Promise<RowError[]> {
    if (rows.length === 0) return [];
    const col = <K extends keyof RosterRow>(k: K) => rows.map((r) => r[k]);
    const ids = col('residentId');
    return this.db.$transaction(
      async (tx) => {
        await tx.$executeRaw`
          INSERT INTO "Trainee" ("id", "residentId", "name", "birthDate", "regionCode", "inServiceEmployee", "updatedAt")
          SELECT gen_random_uuid(), v.rid, v.name, v.birth, ${c.regionCode}, COALESCE(v.insvc, false), now()
          FROM unnest(${ids}::text[], ${col('name')}::text[], ${col('birthDate')}::date[], ${col('inServiceEmployee')}::boolean[])
            AS v(rid, name, birth, insvc)
          ON CONFLICT ("residentId") DO NOTHING`;
        // R4.3: the roster never touches "poorLabourer", a registry fact only bureau staff write.
        await tx.$executeRaw`
          UPDATE "Trainee" t
          SET "inServiceEmployee" = v.insvc, "updatedAt" = now()
          FROM unnest(${ids}::text[], ${col('name')}::text[], ${col('inServiceEmployee')}::boolean[]) AS v(rid, name, insvc)
          WHERE t."residentId" = v.rid AND t."name" = v.name
            AND v.insvc <> t."inServiceEmployee" -- NULL (not given) changes nothing
        `;
        const people = await tx.trainee.findMany({
          where: { residentId: { in: ids } },
          select: { id: true, residentId: true, name: true },
        });
        const byId = new Map(people.map((p) => [p.residentId, p]));
        const errors: RowError[] = [];
        const good = rows.filter((r) => {
          if (byId.get(r.residentId)?.name === r.name) return true;
          errors.push({
            row: r.row,
            field: 'name',
            problem: 'this resident ID is registered under another name (R5.4 real-name system)',
            problemZh: '该公民身份号码已登记为其他姓名（R5.4 实名制）',
          });
          return false;
        });
        if (good.length === 0) return errors;
        const pick = <K extends keyof RosterRow>(k: K) => good.map((r) => r[k]);
        await tx.$executeRaw`
          INSERT INTO "Enrolment" ("id", "classId", "traineeId", "attendancePercent", "daysAttended", "certificateNumber", "certificateLevel", "certificateDate", "declaredPoorLabourer", "phone", "updatedAt")
          SELECT gen_random_uuid(), ${c.id}::uuid, v.tid, v.att, v.days, v.cno, v.clevel, v.cdate, v.poor, v.phone, now()
          FROM unnest(${good.map((r) => byId.get(r.residentId)!.id)}::uuid[], ${pick('attendancePercent')}::int[], ${pick('daysAttended')}::int[],
                      ${pick('certificateNumber')}::text[], ${pick('certificateLevel')}::text[], ${pick('certificateDate')}::date[], ${pick('poorLabourer')}::boolean[],
                      ${pick('phone')}::text[])
            AS v(tid, att, days, cno, clevel, cdate, poor, phone)
          ON CONFLICT ("classId", "traineeId") DO UPDATE SET
            "attendancePercent" = COALESCE(EXCLUDED."attendancePercent", "Enrolment"."attendancePercent"),
            "daysAttended" = COALESCE(EXCLUDED."daysAttended", "Enrolment"."daysAttended"),
            "certificateNumber" = COALESCE(EXCLUDED."certificateNumber", "Enrolment"."certificateNumber"),
            "certificateLevel" = COALESCE(EXCLUDED."certificateLevel", "Enrolment"."certificateLevel"),
            "certificateDate" = COALESCE(EXCLUDED."certificateDate", "Enrolment"."certificateDate"),
            "declaredPoorLabourer" = COALESCE(EXCLUDED."declaredPoorLabourer", "Enrolment"."declaredPoorLabourer"),
            "phone" = COALESCE(EXCLUDED."phone", "Enrolment"."phone"),
            "updatedAt" = now()`;
        await this.withinLotCapacity(tx, c);
        return errors;
      },
      { timeout: 30_000 },
    );
  }

  /**
   * R2.4 a procured lot buys so many trainees: the classes under its qualification draw on them, and a roster
   * that would take more is refused whole (the qualification row is locked, so two uploads cannot both fit).
   */
  private async withinLotCapacity(tx: Prisma.TransactionClient, c: TrainingClass): Promise<void> {
    const [q] = await tx.$queryRaw<{ traineeCapacity: number | null }[]>`
      SELECT "traineeCapacity" FROM "Qualification" WHERE "id" = ${c.qualificationId}::uuid FOR UPDATE`;
    if (q?.traineeCapacity === null || q?.traineeCapacity === undefined) return;
    const [{ n }] = await tx.$queryRaw<{ n: number }[]>`
      SELECT count(*)::int AS n FROM "Enrolment" e JOIN "TrainingClass" k ON k."id" = e."classId" WHERE k."qualificationId" = ${c.qualificationId}::uuid`;
    if (n > q.traineeCapacity) {
      throw new ApiError(
        422,
        'LOT_CAPACITY_EXCEEDED',
        `The procured lot buys training for ${q.traineeCapacity} people; this roster would bring its classes to ${n} (R2.4).`,
        `该采购包购买 ${q.traineeCapacity} 人的培训，本名册将使其培训班人数达到 ${n} 人（R2.4）。`,
        [
          {
            field: 'records',
            problem: `at most ${q.traineeCapacity} trainees under this qualification`,
            problemZh: `该资质下最多 ${q.traineeCapacity} 人`,
          },
        ],
      );
    }
  }

  private async load(classId: string) {
    const c = await this.db.trainingClass.findUnique({ where: { id: classId } });
    if (!c) throw notFound('Training class', '培训班');
    return c;
  }
}
