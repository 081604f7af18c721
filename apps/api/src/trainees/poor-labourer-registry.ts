// The poor-labourer registry (建档立卡贫困劳动力, R4.3): bureau staff enter or import it, every change is
// audited, and it is the only thing that decides a living allowance. Institutions never write it: a roster's
// column of that name is only their declaration (stored on the enrolment).
// Privacy: resident IDs are never logged and never put in the audit trail (trainee ids are). The writes are the
// trainee repository's (repositories/trainee.repository.ts).
import { randomUUID } from 'node:crypto';
import type { TraineeRepository } from '../../../../repositories/trainee.repository';
import { shanghaiDate } from '../../../../workflows/domain/calendar';
import {
  MAX_REGISTRY_ROWS,
  registryFromCsv,
  registryFromJson,
  validateRegistryRows,
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

/**
 * A registry import (JSON {"rows":[…]} or CSV text). Bad rows are reported (row, field, both languages) and the
 * good ones applied; a person outside the caller's region is a row error. A person not yet in the real-name
 * registry is registered when the row gives a region code. Set-based: a handful of queries whatever the size.
 */
export async function importPoorLabourers(trainees: TraineeRepository, user: AuthUser, body: unknown) {
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
    inRegion.length === 0
      ? { applied: [], changes: [], created: 0, errors: [] }
      : await trainees.applyRegistryImport(user, importId, source, inRegion, outside);
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
}
