// Keyset pagination (?limit=&cursor=): the cursor is opaque to clients.
import { z } from 'zod';
import { ApiError } from './api-error';
import { isUuid } from './uuid';

export const pageQuery = {
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().max(200).optional(),
};

import type { Cursor } from '../../../../repositories/pagination';

export { afterCursor, type Cursor } from '../../../../repositories/pagination';

export function encodeCursor(at: Date, id: string): string {
  return Buffer.from(`${at.toISOString()}|${id}`).toString('base64url');
}

export function decodeCursor(cursor: string | undefined): Cursor | undefined {
  if (!cursor) return undefined;
  const [at, id] = Buffer.from(cursor, 'base64url').toString('utf8').split('|');
  const date = new Date(at ?? '');
  if (!id || Number.isNaN(date.getTime()) || !isUuid(id)) {
    throw new ApiError(400, 'BAD_CURSOR', 'The cursor is not valid.', '分页游标无效。', [
      { field: 'cursor', problem: 'not a cursor from this API', problemZh: '不是本接口返回的游标' },
    ]);
  }
  return { at: date, id };
}

export function page<T extends { createdAt: Date; id: string }, R>(rows: T[], limit: number, map: (row: T) => R) {
  const items = rows.slice(0, limit);
  const last = items[items.length - 1];
  return { items: items.map(map), nextCursor: rows.length > limit && last ? encodeCursor(last.createdAt, last.id) : null };
}
