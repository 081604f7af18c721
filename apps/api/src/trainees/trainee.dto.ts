// Real-name registry (实名制, R5.4) requests and responses. Resident IDs are masked for everyone whose role
// does not need the full number (API.md); they travel in bodies only, never in paths or query strings.
import { z } from 'zod';
import type { Trainee } from '../../../../generated/prisma/client';
import { shanghaiDate } from '../../../../workflows/domain/calendar';
import { FULL_RESIDENT_ID_ROLES, hasRole } from '../../../../workflows/contracts/common';
import { isRegionCode } from '../../../../workflows/domain/region';
import { maskResidentId, validateResidentId } from '../../../../workflows/domain/resident-id';
import { RESIDENT_ID_PROBLEMS } from '../../../../workflows/domain/roster';
import type { AuthUser } from '../auth/auth';
import { bilingual } from '../common/zod';

/** A resident ID (公民身份号码), normalised (no spaces, upper-case X) and checked against GB 11643 today. */
export const residentIdSchema = z
  .string()
  .transform((s) => s.replace(/\s+/g, '').toUpperCase())
  .superRefine((id, ctx) => {
    const r = validateResidentId(id, shanghaiDate(new Date()));
    if (!r.ok) ctx.addIssue({ code: 'custom', message: bilingual(...RESIDENT_ID_PROBLEMS[r.problem]) });
  });

export const registerTraineeSchema = z.strictObject({
  residentId: residentIdSchema,
  name: z
    .string()
    .trim()
    .min(1)
    .max(50)
    .regex(/^[^\d\p{Cc}]+$/u, bilingual('a person’s name, without digits', '须为姓名，不含数字')),
  regionCode: z.string().refine(isRegionCode, bilingual('a region code (GB/T 2260)', '须为行政区划代码（GB/T 2260）')),
  /** 建档立卡贫困劳动力 (R4.3): a registry fact, bureau staff (reviewer, admin) only; audited */
  poorLabourer: z.boolean().optional(),
  /** 企业在职职工, excluded from the employment rate (R1.2) */
  inServiceEmployee: z.boolean().optional(),
  /** employment outcome after training (R6.3); null = unknown */
  employedAfterTraining: z.boolean().nullable().optional(),
  /** 机关事业单位在编人员 (R5.1): bureau staff only */
  publicEstablishmentStaff: z.boolean().optional(),
});
export type RegisterTraineeDto = z.infer<typeof registerTraineeSchema>;

/**
 * Poor-labourer registry import (R4.3) as JSON; the same fields may come as CSV columns with the clerk's names
 * (姓名, 公民身份号码, 行政区划代码, 建档立卡贫困劳动力 是/否; see workflows/domain/poor-labourer-registry.ts).
 */
export const registryJsonSchema = z.strictObject({
  rows: z.array(
    z.record(z.string(), z.unknown(), {
      error: bilingual(
        'each row is an object such as {"residentId","name","regionCode","poorLabourer"}',
        '每行须为对象，如 {"residentId","name","regionCode","poorLabourer"}',
      ),
    }),
  ),
});

/** Roles that work with full ID numbers: inspectors (稽查) checking real existence (R7.3), and admins. */
export function showsFullResidentId(user: AuthUser): boolean {
  return hasRole(user.roles, FULL_RESIDENT_ID_ROLES);
}

export function residentIdFor(user: AuthUser, residentId: string): string {
  return showsFullResidentId(user) ? residentId : maskResidentId(residentId);
}

export function toTraineeDto(user: AuthUser, t: Trainee) {
  return {
    id: t.id,
    residentId: residentIdFor(user, t.residentId),
    name: t.name,
    birthDate: t.birthDate.toISOString().slice(0, 10),
    regionCode: t.regionCode,
    poorLabourer: t.poorLabourer,
    inServiceEmployee: t.inServiceEmployee,
    publicEstablishmentStaff: t.publicEstablishmentStaff,
    employedAfterTraining: t.employedAfterTraining,
    createdAt: t.createdAt,
    updatedAt: t.updatedAt,
  };
}
