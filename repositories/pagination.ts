// Keyset pagination as the repositories query it: rows after a (createdAt, id) position.

export interface Cursor {
  at: Date;
  id: string;
}

/** Rows after the cursor in (createdAt, id) order, for a Prisma `where`. */
export function afterCursor(c: Cursor | undefined) {
  if (!c) return {};
  return { OR: [{ createdAt: { gt: c.at } }, { createdAt: c.at, id: { gt: c.id } }] };
}
