// The real-name registry (实名制, R5.4) and each person's electronic training archive (电子培训档案, R6.3).
// Privacy: resident IDs are never logged, and leave only masked unless the caller's role needs them.
import { Injectable } from '@nestjs/common';
import { isUniqueViolation } from '../../../../repositories/errors';
import { TraineeRepository } from '../../../../repositories/trainee.repository';
import { fenNumber } from '../../../../workflows/domain/ledger-rules';
import { regionCovers } from '../../../../workflows/domain/region';
import { isStaffFor } from '../auth/access';
import { assertRegion, type AuthUser } from '../auth/auth';
import { ApiError, forbidden, notFound } from '../common/api-error';
import { importPoorLabourers, keepsRegistry } from './poor-labourer-registry';
import { toTraineeDto, type RegisterTraineeDto } from './trainee.dto';

/** Bureau staff who see the people of their region (the access policy's staff for the archive). */
const isStaff = (u: AuthUser) => isStaffFor(u, 'trainee.archive');

@Injectable()
export class TraineesService {
  constructor(private readonly trainees: TraineeRepository) {}

  /**
   * Registers a person, or updates one already registered. Staff may correct a name (recorded in the audit
   * trail); an institution may not change who a resident ID belongs to (R5.4) and updates only people on
   * its own rosters.
   */
  async register(user: AuthUser, dto: RegisterTraineeDto): Promise<{ created: boolean; trainee: ReturnType<typeof toTraineeDto> }> {
    if (dto.poorLabourer !== undefined && !keepsRegistry(user)) {
      // R4.3: never declared by the institution that claims.
      throw new ApiError(
        403,
        'REGISTRY_STAFF_ONLY',
        'Poor-labourer status (R4.3) is a registry fact entered by the HR bureau, not by an institution.',
        '建档立卡贫困劳动力身份（R4.3）由人社部门依据名册登记，培训机构不得填报。',
        [{ field: 'poorLabourer', problem: 'bureau staff only', problemZh: '仅限人社部门工作人员' }],
      );
    }
    if (isStaff(user)) assertRegion(user, dto.regionCode);
    else if (dto.publicEstablishmentStaff !== undefined) {
      throw forbidden(
        'Only bureau staff record who is on a public establishment (R5.1).',
        '机关事业单位在编人员身份只能由人社部门工作人员登记（R5.1）。',
      );
    }
    const existing = await this.trainees.byResidentId(dto.residentId);
    const flags = {
      poorLabourer: dto.poorLabourer,
      inServiceEmployee: dto.inServiceEmployee,
      employedAfterTraining: dto.employedAfterTraining,
      publicEstablishmentStaff: dto.publicEstablishmentStaff,
    };
    if (!existing) {
      try {
        const t = await this.trainees.register(user, dto, flags);
        return { created: true, trainee: toTraineeDto(user, t) };
      } catch (err) {
        if (isUniqueViolation(err)) return this.register(user, dto); // registered meanwhile: update instead
        throw err;
      }
    }
    if (isStaff(user)) {
      assertRegion(user, existing.regionCode);
    } else {
      await this.assertOnOwnRoster(user, existing.id);
      if (existing.name !== dto.name) {
        throw new ApiError(
          422,
          'NAME_MISMATCH',
          'This resident ID is registered under another name (R5.4 real-name system); ask the HR bureau to correct it.',
          '该公民身份号码已登记为其他姓名（R5.4 实名制），如需更正请联系人社部门。',
          [{ field: 'name', problem: 'differs from the registered name', problemZh: '与已登记的姓名不一致' }],
        );
      }
    }
    const staffOnly = isStaff(user) ? { name: dto.name, regionCode: dto.regionCode } : {};
    const t = await this.trainees.update(user, existing, dto, staffOnly, flags);
    return { created: false, trainee: toTraineeDto(user, t) };
  }

  /** R4.3 registry import by bureau staff of the region: JSON or CSV, row errors like a roster upload. */
  importPoorLabourers(user: AuthUser, body: unknown) {
    return importPoorLabourers(this.trainees, user, body);
  }

  /** A person's trainings, certificates and subsidies. An institution sees only what happened in its classes. */
  async archive(user: AuthUser, traineeId: string) {
    const workerOnly = !isStaff(user) && !user.roles.includes('institution');
    if (workerOnly && !(user.roles.includes('worker') && user.userId === traineeId)) {
      throw forbidden('A worker sees only their own training archive.', '劳动者只能查看本人的培训档案。');
    }
    const trainee = await this.trainees.trainee(traineeId);
    if (!trainee) throw notFound('Trainee', '人员');
    const own = user.roles.includes('worker') && user.userId === trainee.id;
    let institutionId: string | undefined; // set when the caller sees the person only as an institution
    if (!own && !(isStaff(user) && regionCovers(user.regionCode, trainee.regionCode))) {
      if (!user.roles.includes('institution')) {
        assertRegion(user, trainee.regionCode); // staff of another region: FORBIDDEN_REGION
        throw forbidden('This is not your training archive.', '这不是您的培训档案。');
      }
      await this.assertOnOwnRoster(user, trainee.id);
      institutionId = user.institutionId;
    }

    const { enrolments, institutions, occupations, grants } = await this.trainees.archive(traineeId, institutionId);
    const institutionName = new Map(institutions.map((i) => [i.id, i.name]));
    const occupation = new Map(occupations.map((o) => [o.code, { nameZh: o.nameZh, nameEn: o.nameEn }]));
    const day = (d: Date | null) => d && d.toISOString().slice(0, 10);

    const trainings = enrolments.map((e) => ({
      enrolmentId: e.id,
      class: {
        id: e.class.id,
        occupationCode: e.class.occupationCode,
        occupation: occupation.get(e.class.occupationCode) ?? null,
        level: e.class.level,
        category: e.class.category,
        startDate: day(e.class.startDate),
        endDate: day(e.class.endDate),
        hours: e.class.hours,
        regionCode: e.class.regionCode,
        institution: { id: e.class.institutionId, name: institutionName.get(e.class.institutionId) ?? null },
      },
      attendancePercent: e.attendancePercent,
      daysAttended: e.daysAttended,
    }));
    const certificates = enrolments
      .filter((e) => e.certificateNumber)
      .map((e) => ({
        certificateNumber: e.certificateNumber,
        level: e.certificateLevel,
        date: day(e.certificateDate),
        occupationCode: e.class.occupationCode,
        classId: e.classId,
      }));
    const subsidies = grants.map((g) => ({
      id: g.id,
      kind: g.kind,
      category: g.category,
      year: g.year,
      occupationCode: g.occupationCode,
      level: g.level,
      certificateNumber: g.certificateNumber,
      amountFen: fenNumber(g.amountFen),
      grantedAt: g.createdAt,
    }));
    return { trainee: toTraineeDto(user, trainee), trainings, certificates, subsidies };
  }

  /** An institution deals only with people on its own classes' rosters. */
  private async assertOnOwnRoster(user: AuthUser, traineeId: string) {
    const enrolled = user.institutionId ? await this.trainees.onRosterOf(traineeId, user.institutionId) : false;
    if (!enrolled) throw forbidden('This person is not on a roster of your institution.', '该人员不在本机构培训班的花名册上。');
  }
}
