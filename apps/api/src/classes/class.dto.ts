// Training classes (培训班) and roster uploads (花名册): requests and responses.
import { z } from 'zod';
import type { Enrolment, TrainingClass } from '../../../../generated/prisma/client';
import { fenNumberOrNull } from '../../../../workflows/domain/ledger-rules';
import { isRegionCode } from '../../../../workflows/domain/region';
import type { CertificateLevel } from '../../../../workflows/domain/roster';
import type { AuthUser } from '../auth/auth';
import { bilingual } from '../common/zod';
import { residentIdFor } from '../trainees/trainee.dto';

/** R4.1 enterprise employees, R4.2 workers, R4.3 poor labourers, R4.4 certificates. */
export const SUBSIDY_CATEGORIES = ['ENTERPRISE_EMPLOYEE', 'WORKER', 'POOR_LABOURER', 'CERTIFICATE'] as const;

const isoDay = z.iso.date(bilingual('a date such as 2026-03-01', '须为日期，如 2026-03-01'));

export const createClassSchema = z
  .strictObject({
    qualificationId: z.uuid(),
    occupationCode: z
      .string()
      .regex(/^\d-\d{2}-\d{2}-\d{2}$/, bilingual('an occupation code such as 4-10-01-06', '职业编码格式如 4-10-01-06')),
    level: z
      .number()
      .int()
      .min(1)
      .max(5, bilingual('a skill level from 1 (高级技师) to 5 (初级工)', '职业技能等级为 1（高级技师）至 5（初级工）')),
    category: z.enum(SUBSIDY_CATEGORIES, {
      error: bilingual(`one of ${SUBSIDY_CATEGORIES.join(', ')} (R4.1–R4.4)`, '须为 R4.1–R4.4 的补贴类别之一'),
    }),
    startDate: isoDay,
    endDate: isoDay,
    hours: z.number().int().min(1).max(10_000),
    trainingDays: z.number().int().min(1).max(366),
    regionCode: z.string().refine(isRegionCode, bilingual('a region code (GB/T 2260)', '须为行政区划代码（GB/T 2260）')),
  })
  .refine((c) => c.endDate >= c.startDate, { path: ['endDate'], message: bilingual('not before the start date', '不得早于开班日期') });

export type CreateClassDto = z.infer<typeof createClassSchema>;

/** R6.2: a bureau records that a class is delivered under a project it commissioned (项目制培训). */
export const commissionSchema = z.strictObject({
  reference: z.string().trim().min(1, bilingual('the project reference is required', '须填写项目编号')).max(100),
  note: z.string().trim().max(2000).optional(),
});
export type CommissionDto = z.infer<typeof commissionSchema>;

/** JSON roster; the same fields may come as CSV columns with the clerk's names (see workflows/domain/roster.ts). */
export const rosterJsonSchema = z.strictObject({
  rows: z.array(
    z.record(z.string(), z.unknown(), {
      error: bilingual('each row is an object such as {"residentId","name"}', '每行须为对象，如 {"residentId","name"}'),
    }),
  ),
});

const day = (d: Date | null) => d && d.toISOString().slice(0, 10);

export function toClassDto(c: TrainingClass) {
  return {
    id: c.id,
    institutionId: c.institutionId,
    qualificationId: c.qualificationId,
    occupationCode: c.occupationCode,
    level: c.level,
    category: c.category,
    startDate: day(c.startDate),
    endDate: day(c.endDate),
    hours: c.hours,
    trainingDays: c.trainingDays,
    regionCode: c.regionCode,
    catalogueStandardFen: fenNumberOrNull(c.catalogueStandardFen),
    commission: c.commissionRef ? { reference: c.commissionRef, by: c.commissionedBy, at: c.commissionedAt } : null,
    createdBy: c.createdBy,
    createdAt: c.createdAt,
  };
}

type RosterEntry = Omit<Enrolment, 'certificateLevel'> & {
  certificateLevel: CertificateLevel | null;
  trainee: { id: string; residentId: string; name: string };
};

export function toRosterEntryDto(user: AuthUser, e: RosterEntry) {
  return {
    enrolmentId: e.id,
    trainee: { id: e.trainee.id, residentId: residentIdFor(user, e.trainee.residentId), name: e.trainee.name },
    attendancePercent: e.attendancePercent,
    daysAttended: e.daysAttended,
    /** R4.3 what the institution declared; the poverty-alleviation registry decides the allowance */
    declaredPoorLabourer: e.declaredPoorLabourer,
    certificate: e.certificateNumber ? { number: e.certificateNumber, level: e.certificateLevel, date: day(e.certificateDate) } : null,
    updatedAt: e.updatedAt,
  };
}
