// The human-task repository (待办): the inbox of roles and regions, and the registered post-audit inspectors.
import type { Db, Prisma } from '../prisma/client';
import type { Role } from '../workflows/contracts/common';
import { TASK_KINDS, type TaskKind } from '../workflows/contracts/tasks';
import { regionPrefix } from '../workflows/domain/region';
import { afterCursor, type Cursor } from './pagination';

export type HumanTaskRow = Prisma.HumanTaskGetPayload<object>;

export class TaskRepository {
  constructor(private readonly db: Db) {}

  /**
   * A page of a user's inbox in (createdAt, id) order: tasks of the user's roles in a region and below, open to
   * anyone with the role or assigned to the user; optionally of one kind, overdue or not.
   */
  inbox(f: {
    roles: Role[];
    userId: string;
    regionCode: string;
    status?: 'OPEN' | 'COMPLETED' | 'CANCELLED';
    kind?: string;
    overdue?: 'true' | 'false';
    after?: Cursor;
    take: number;
  }): Promise<HumanTaskRow[]> {
    // A kind no task has (the column is an enum): nothing to list.
    if (f.kind && !isTaskKind(f.kind)) return Promise.resolve([]);
    return this.db.humanTask.findMany({
      where: {
        AND: [
          { role: { in: f.roles }, status: f.status, regionCode: { startsWith: regionPrefix(f.regionCode) } },
          { OR: [{ assignees: { isEmpty: true } }, { assignees: { has: f.userId } }] },
          f.kind ? { kind: f.kind as TaskKind } : {},
          f.overdue === 'true'
            ? { dueAt: { lt: new Date() } }
            : f.overdue === 'false'
              ? { OR: [{ dueAt: null }, { dueAt: { gte: new Date() } }] }
              : {},
          afterCursor(f.after),
        ],
      },
      orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
      take: f.take,
    });
  }

  task(id: string): Promise<HumanTaskRow | null> {
    return this.db.humanTask.findUnique({ where: { id } });
  }

  /** Which of these users are registered, active inspectors (R10.3). */
  activeInspectors(userIds: string[]) {
    return this.db.inspector.findMany({ where: { userId: { in: userIds }, active: true }, select: { userId: true } });
  }
}

const KINDS: readonly string[] = Object.values(TASK_KINDS);
const isTaskKind = (kind: string): kind is TaskKind => KINDS.includes(kind);
