// The poor-labourer registry (建档立卡贫困劳动力, R4.3): bureau staff enter or import it, every change is
// audited, and it is the only thing that decides a living allowance. Institutions never write it: a roster's
// column of that name is only their declaration (stored on the enrolment).
// Privacy: resident IDs are never logged and never put in the audit trail (trainee ids are).
import { randomUUID } from 'node:crypto';
import type { Db, Prisma } from '../../../../prisma/client';
import { shanghaiDate } from '../../../../workflows/domain/calendar';
import {
  MAX_REGISTRY_ROWS,
  registryFromCsv,
  registryFromJson,
  validateRegistryRows,
  type RegistryRow,
} from '../../../../workflows/domain/poor-labourer-registry';
import { hasRole, REGISTRY_KEEPERS } from '../../../../workflows/contracts/common';
import { regionCovers } from '../../../../workflows/domain/region';
import type { RowError } from '../../../../workflows/domain/roster';
import type { AuthUser } from '../auth/auth';
import { ApiError } from '../common/api-error';
import { ZodPipe } from '../common/zod';
import { registryJsonSchema } from './trainee.dto';

/** Bureau roles that keep the registry (REGISTRY_KEEPERS), each for their own region (and below). */
export const keepsRegistry = (u: AuthUser) => hasRole(u.roles, REGISTRY_KEEPERS);

export const REGISTRY_CASE_TYPE = 'POOR_LABOURER_REGISTRY';

type Tx = Prisma.TransactionClient;

export interface RegistryChange {
  traineeId: string;
  poorLabourer: boolean;
}

/** Audits registry changes, one event per person (the trainee's case) — the one way a change is recorded. */
export async function auditRegistryChanges(
  tx: Tx,
  user: AuthUser,
  importId: string,
  source: 'JSON' | 'CSV' | 'TRAINEE',
  changes: (RegistryChange & { row?: number })[],
) {
  if (changes.length === 0) return;
  await tx.auditEvent.createMany({
    data: changes.map((c) => ({
      dedupeKey: `poor-labourer:${importId}:${c.traineeId}`,
      actorId: user.userId,
      actorRoles: user.roles,
      action: c.poorLabourer ? 'POOR_LABOURER_REGISTERED' : 'POOR_LABOURER_REMOVED',
      caseType: 'TRAINEE',
      caseId: c.traineeId,
      details: { importId, source, ...(c.row ? { row: c.row } : {}) },
    })),
  });
}

/**
 * A registry import (JSON {"rows":[…]} or CSV text). Bad rows are reported (row, field, both languages) and the
 * good ones applied; a person outside the caller's region is a row error. A person not yet in the real-name
 * registry is registered when the row gives a region code. Set-based: a handful of queries whatever the size.
 */
export async function importPoorLabourers(db: Db, user: AuthUser, body: unknown) {
  if (body === undefined) {
    throw new ApiError(
      415,
      'UNSUPPORTED_MEDIA_TYPE',
      'Send JSON {"rows":[…]} or CSV (Content-Type: text/csv).',
      '请以 JSON（{"rows":[…]}）或 CSV（Content-Type: text/csv）提交名册。',
    );
  }
  const source = typeof body === 'string' ? 'CSV' : 'JSON';
  const input = typeof body === 'string' ? registryFromCsv(body) : registryFromJson(new ZodPipe(registryJsonSchema).transform(body).rows);
  if (input.errors.length > 0)
    throw new ApiError(422, 'REGISTRY_UNREADABLE', 'The registry file cannot be read.', '无法读取名册文件。', input.errors);
  if (input.records.length > MAX_REGISTRY_ROWS) {
    throw new ApiError(
      413,
      'REGISTRY_TOO_LARGE',
      `An import has at most ${MAX_REGISTRY_ROWS} people; this one has ${input.records.length}. Nothing was stored.`,
      `每次最多导入 ${MAX_REGISTRY_ROWS} 人，本次为 ${input.records.length} 人，未保存任何数据。`,
      [{ field: 'rows', problem: `at most ${MAX_REGISTRY_ROWS} rows`, problemZh: `最多 ${MAX_REGISTRY_ROWS} 行` }],
    );
  }
  if (input.records.length === 0) throw new ApiError(422, 'REGISTRY_EMPTY', 'The import has no people.', '名册中没有人员。');

  const { rows, errors } = validateRegistryRows(input.records, shanghaiDate(new Date()));
  const outside = (row: number, region: string): RowError => ({
    row,
    field: 'regionCode',
    problem: `the person is registered in region ${region}, outside yours (${user.regionCode})`,
    problemZh: `该人员登记在 ${region}，不属于您的辖区（${user.regionCode}）`,
  });
  const inRegion = rows.filter((r) => {
    if (!r.regionCode || regionCovers(user.regionCode, r.regionCode)) return true;
    errors.push(outside(r.row, r.regionCode));
    return false;
  });
  const importId = randomUUID();
  const result =
    inRegion.length === 0 ? { applied: [], changes: [], created: 0, errors: [] } : await apply(db, user, importId, source, inRegion);
  const allErrors = [...errors, ...result.errors].sort((a, b) => a.row - b.row);
  const rejected = new Set(allErrors.map((e) => e.row)).size;
  const registered = result.changes.filter((c) => c.poorLabourer).length;
  return {
    importId,
    received: input.records.length,
    accepted: input.records.length - rejected,
    rejected,
    /** people newly entered in the real-name registry by this import */
    created: result.created,
    registered,
    removed: result.changes.length - registered,
    unchanged: result.applied.length - result.changes.length,
    errors: allErrors,
    ignoredColumns: input.ignoredColumns,
  };

  async function apply(db: Db, user: AuthUser, importId: string, source: 'JSON' | 'CSV', rows: RegistryRow[]) {
    const ids = rows.map((r) => r.residentId);
    return db.$transaction(
      async (tx) => {
        const toCreate = rows.filter((r) => r.regionCode);
        const created =
          toCreate.length === 0
            ? 0
            : await tx.$executeRaw`
          INSERT INTO "Trainee" ("id", "residentId", "name", "birthDate", "regionCode", "updatedAt")
          SELECT gen_random_uuid(), v.rid, v.name, v.birth, v.region, now()
          FROM unnest(${toCreate.map((r) => r.residentId)}::text[], ${toCreate.map((r) => r.name)}::text[], ${toCreate.map((r) => r.birthDate)}::date[], ${toCreate.map((r) => r.regionCode)}::text[])
            AS v(rid, name, birth, region)
          ON CONFLICT ("residentId") DO NOTHING`;
        // Locked, so two imports (or an import and POST /trainees) changing one person are audited in order.
        const people = await tx.$queryRaw<{ id: string; residentId: string; name: string; regionCode: string; poorLabourer: boolean }[]>`
          SELECT "id", "residentId", "name", "regionCode", "poorLabourer" FROM "Trainee"
           WHERE "residentId" = ANY(${ids}::text[]) ORDER BY "id" FOR UPDATE`;
        const byResidentId = new Map(people.map((p) => [p.residentId, p]));
        const errors: RowError[] = [];
        const applied: { row: RegistryRow; traineeId: string; was: boolean }[] = [];
        for (const r of rows) {
          const p = byResidentId.get(r.residentId);
          if (!p) {
            errors.push({
              row: r.row,
              field: 'regionCode',
              problem: 'the person is not in the real-name registry yet: give the region code where they are registered',
              problemZh: '该人员尚未实名登记：请填写其登记地行政区划代码',
            });
          } else if (p.name !== r.name) {
            errors.push({
              row: r.row,
              field: 'name',
              problem: 'this resident ID is registered under another name (R5.4 real-name system)',
              problemZh: '该公民身份号码已登记为其他姓名（R5.4 实名制）',
            });
          } else if (!regionCovers(user.regionCode, p.regionCode)) {
            errors.push(outside(r.row, p.regionCode));
          } else if (r.regionCode && r.regionCode !== p.regionCode) {
            errors.push({
              row: r.row,
              field: 'regionCode',
              problem: `the person is registered in region ${p.regionCode}; correct that through POST /trainees first`,
              problemZh: `该人员登记在 ${p.regionCode}，如需更正请先通过人员登记修改`,
            });
          } else {
            applied.push({ row: r, traineeId: p.id, was: p.poorLabourer });
          }
        }
        const changes = applied
          .filter((a) => a.was !== a.row.poorLabourer)
          .map((a) => ({ traineeId: a.traineeId, poorLabourer: a.row.poorLabourer, row: a.row.row }));
        for (const value of [true, false]) {
          const traineeIds = changes.filter((c) => c.poorLabourer === value).map((c) => c.traineeId);
          if (traineeIds.length > 0) await tx.trainee.updateMany({ where: { id: { in: traineeIds } }, data: { poorLabourer: value } });
        }
        await auditRegistryChanges(tx, user, importId, source, changes);
        await tx.auditEvent.create({
          data: {
            dedupeKey: `poor-labourer-import:${importId}`,
            actorId: user.userId,
            actorRoles: user.roles,
            action: 'POOR_LABOURER_REGISTRY_IMPORTED',
            caseType: REGISTRY_CASE_TYPE,
            caseId: importId,
            details: { source, rows: rows.length, applied: applied.length, changed: changes.length, rejected: errors.length },
          },
        });
        return { applied, changes, created, errors };
      },
      { timeout: 60_000 },
    );
  }
}
