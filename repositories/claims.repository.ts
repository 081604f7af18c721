// The claim repository (补贴申领, R4–R10): claims, their lines and the objections filed against their postings.
// Read by the API's services and public pages and written by the claim activities.
import type { Db, Prisma } from '../prisma/client';
import { SYSTEM_ACTOR } from '../workflows/contracts/common';
import { regionPrefix } from '../workflows/domain/region';
import type { Cursor } from './pagination';

/** R10.2 the answer an objection filed after the posting period gets (shown to its filer). */
export const LATE_OBJECTION_ANSWER =
  'The posting period had ended when the objection arrived: refused as late. 异议提出时公示期已结束，逾期不予受理。';

/** The fields an objection answered as late carries (R10.2). */
export function lateObjectionAnswer(at = new Date()) {
  return { status: 'LATE', resolution: LATE_OBJECTION_ANSWER, resolvedAt: at, resolvedBy: SYSTEM_ACTOR.userId };
}

/** Newest first: rows strictly before the cursor in (field desc, id desc) order. */
function beforeCursor(field: 'postingEndsAt' | 'inspectedAt', c: Cursor | undefined): Prisma.ClaimWhereInput {
  if (!c) return {};
  return { OR: [{ [field]: { lt: c.at } }, { [field]: c.at, id: { lt: c.id } }] };
}

export class ClaimRepository {
  constructor(private readonly db: Db) {}

  claim(id: string) {
    return this.db.claim.findUnique({ where: { id } });
  }

  /** Every claim ever posted (R10.2), newest posting end first, with its class. */
  postedClaims(f: {
    status?: 'POSTED' | 'HELD' | 'AWAITING_FUNDS' | 'PAID' | 'REJECTED';
    regionCode?: string;
    before?: Cursor;
    take: number;
  }) {
    return this.db.claim.findMany({
      where: {
        AND: [
          { postingEndsAt: { not: null } },
          f.status ? { status: f.status } : {},
          f.regionCode ? { regionCode: { startsWith: regionPrefix(f.regionCode) } } : {},
          beforeCursor('postingEndsAt', f.before),
        ],
      },
      include: { class: true },
      orderBy: [{ postingEndsAt: 'desc' }, { id: 'desc' }],
      take: f.take,
    });
  }

  /** Claims inspected after payment (R10.3), newest inspection first, with its class. */
  inspectedClaims(f: { regionCode?: string; before?: Cursor; take: number }) {
    return this.db.claim.findMany({
      where: {
        AND: [
          { inspectedAt: { not: null } },
          f.regionCode ? { regionCode: { startsWith: regionPrefix(f.regionCode) } } : {},
          beforeCursor('inspectedAt', f.before),
        ],
      },
      include: { class: true },
      orderBy: [{ inspectedAt: 'desc' }, { id: 'desc' }],
      take: f.take,
    });
  }

  /** The institutions' names and credit codes, by id. */
  institutionNames(ids: string[]) {
    return this.db.institution.findMany({ where: { id: { in: ids } }, select: { id: true, name: true, creditCode: true } });
  }

  /** A claim's approved lines (what is posted), each with its trainee. */
  async approvedLines(claimId: string) {
    const lines = await this.db.claimLine.findMany({ where: { claimId, status: 'APPROVED' }, orderBy: { id: 'asc' } });
    const people = await this.db.trainee.findMany({ where: { id: { in: lines.map((l) => l.traineeId) } } });
    const byId = new Map(people.map((p) => [p.id, p]));
    return lines.map((line) => ({ line, trainee: byId.get(line.traineeId)! }));
  }

  /** How many of `lineIds` are approved lines of the claim. */
  countApprovedLines(claimId: string, lineIds: string[]) {
    return this.db.claimLine.count({ where: { id: { in: lineIds }, claimId, status: 'APPROVED' } });
  }

  // ---- objections (异议, R10.2) ----

  /** Objections filed and open, per claim. */
  objectionCounts(claimIds: string[]) {
    return this.db.objection.groupBy({ by: ['claimId', 'status'], where: { claimId: { in: claimIds } }, _count: { _all: true } });
  }

  objection(id: string) {
    return this.db.objection.findUnique({ where: { id } });
  }

  /** Objections filed from one source since an instant (the rate limit). */
  countObjectionsFrom(sourceHash: string, since: Date) {
    return this.db.objection.count({ where: { sourceHash, createdAt: { gte: since } } });
  }

  /** Files an objection; `late` records it already answered as late. */
  fileObjection(o: { claimId: string; text: string; contact?: string; sourceHash: string; lineIds: string[] }, late = false) {
    return this.db.objection.create({ data: { ...o, ...(late ? lateObjectionAnswer() : {}) } });
  }

  answerLate(objectionId: string) {
    return this.db.objection.update({ where: { id: objectionId }, data: lateObjectionAnswer() });
  }
}
