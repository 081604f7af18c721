// The procurement repository (competitive selection, R9): processes with their lots, sealed bids, the expert
// pool and committees, supplier bans, challenges and the public events. Read and written by the API's
// procurement services; the procurement activities write the workflow's steps.
import type { Db, Prisma } from '../prisma/client';
import type { Actor } from '../workflows/contracts/common';
import { regionPrefix } from '../workflows/domain/region';
import { afterCursor, type Cursor } from './pagination';

export class ProcurementRepository {
  constructor(private readonly db: Db) {}

  /** A process with its lots in order. */
  withLots(id: string) {
    return this.db.procurement.findUnique({ where: { id }, include: { lots: { orderBy: { number: 'asc' } } } });
  }

  /** Stores a draft process with its lots (its workflow is started next). */
  async createProcurement(data: Prisma.ProcurementCreateInput): Promise<void> {
    await this.db.procurement.create({ data });
  }

  /** A page of a region's processes (and below) in (createdAt, id) order. */
  list(f: {
    regionCode: string;
    status?: Prisma.ProcurementWhereInput['status'];
    method?: Prisma.ProcurementWhereInput['method'];
    after?: Cursor;
    take: number;
  }) {
    return this.db.procurement.findMany({
      where: {
        regionCode: { startsWith: regionPrefix(f.regionCode) },
        ...(f.status ? { status: f.status } : {}),
        ...(f.method ? { method: f.method } : {}),
        ...afterCursor(f.after),
      },
      orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
      take: f.take,
    });
  }

  /** Everything GET /procurements/:id may show besides the process: events, bids, committee seats, challenges. */
  async record(id: string) {
    const [events, bids, seats, challenges] = await Promise.all([
      this.db.procurementEvent.findMany({ where: { procurementId: id }, orderBy: { at: 'asc' } }),
      this.db.bid.findMany({ where: { procurementId: id }, include: { lot: true, institution: true }, orderBy: { submittedAt: 'asc' } }),
      this.db.committeeMember.findMany({ where: { procurementId: id }, include: { expert: true }, orderBy: { createdAt: 'asc' } }),
      this.db.procurementChallenge.findMany({ where: { procurementId: id }, orderBy: { submittedAt: 'asc' } }),
    ]);
    return { events, bids, seats, challenges };
  }

  /** A draft's new schedule. */
  async reschedule(id: string, s: { documentsFrom: Date; documentsUntil: Date; responseDeadline: Date }): Promise<void> {
    await this.db.procurement.update({ where: { id }, data: s });
  }

  /** An institution with its supplier bans (R9.8). */
  supplierWithBans(institutionId: string) {
    return this.db.institution.findUnique({ where: { id: institutionId }, include: { supplierBans: true } });
  }

  /** Stores a sealed bid (the workflow takes it next). */
  async createBid(data: Prisma.BidUncheckedCreateInput): Promise<void> {
    await this.db.bid.create({ data });
  }

  /** A bid the workflow refused: kept as REFUSED, never opened. */
  async refuseBid(bidId: string): Promise<void> {
    await this.db.bid.update({ where: { id: bidId }, data: { status: 'REFUSED' } });
  }

  bid(bidId: string) {
    return this.db.bid.findUnique({ where: { id: bidId } });
  }

  challenge(challengeId: string) {
    return this.db.procurementChallenge.findUnique({ where: { id: challengeId } });
  }

  challengeOrThrow(challengeId: string) {
    return this.db.procurementChallenge.findUniqueOrThrow({ where: { id: challengeId } });
  }

  // ---- the expert pool (R9.5) and supplier bans (R9.8) ----

  expertByUser(userId: string) {
    return this.db.expert.findUnique({ where: { userId } });
  }

  expert(id: string) {
    return this.db.expert.findUnique({ where: { id } });
  }

  /** Adds an expert to the pool, audited. */
  addExpert(dto: Prisma.ExpertCreateInput & { fields: string[] }, user: Pick<Actor, 'userId' | 'roles'>) {
    return this.db.$transaction(async (tx) => {
      const e = await tx.expert.create({ data: dto });
      await tx.auditEvent.create({
        data: {
          dedupeKey: `expert:${e.id}:added`,
          actorId: user.userId,
          actorRoles: user.roles,
          action: 'EXPERT_ADDED',
          caseType: 'EXPERT',
          caseId: e.id,
          details: { fields: dto.fields },
        },
      });
      return e;
    });
  }

  /** R9.5 (Regs 9) an expert's declared relationship with an institution, audited. */
  declareRelationship(
    expertId: string,
    body: { institutionId: string; nature: string; endedOn?: string },
    user: Pick<Actor, 'userId' | 'roles'>,
  ) {
    return this.db.$transaction(async (tx) => {
      const r = await tx.expertRelationship.create({
        data: {
          expertId,
          institutionId: body.institutionId,
          nature: body.nature,
          endedOn: body.endedOn ? new Date(`${body.endedOn}T00:00:00Z`) : null,
        },
      });
      await tx.auditEvent.create({
        data: {
          dedupeKey: `expert:${expertId}:relationship:${r.id}`,
          actorId: user.userId,
          actorRoles: user.roles,
          action: 'EXPERT_RELATIONSHIP_DECLARED',
          caseType: 'EXPERT',
          caseId: expertId,
          details: { institutionId: body.institutionId, endedOn: body.endedOn ?? null },
        },
      });
      return r;
    });
  }

  /** R9.8 a finance-department ban or a major illegal record, audited. */
  recordBan(
    dto: {
      institutionId: string;
      kind: 'FINANCE_BAN' | 'MAJOR_ILLEGAL_RECORD';
      reason: string;
      decisionRef: string;
      startsOn: string;
      endsOn?: string;
    },
    user: Pick<Actor, 'userId' | 'roles'>,
  ) {
    return this.db.$transaction(async (tx) => {
      const ban = await tx.supplierBan.create({
        data: {
          institutionId: dto.institutionId,
          kind: dto.kind,
          reason: dto.reason,
          decisionRef: dto.decisionRef,
          startsOn: new Date(`${dto.startsOn}T00:00:00Z`),
          endsOn: dto.endsOn ? new Date(`${dto.endsOn}T00:00:00Z`) : null,
          recordedBy: user.userId,
        },
      });
      await tx.auditEvent.create({
        data: {
          dedupeKey: `supplier-ban:${ban.id}`,
          actorId: user.userId,
          actorRoles: user.roles,
          action: `SUPPLIER_${dto.kind}`,
          caseType: 'INSTITUTION',
          caseId: dto.institutionId,
          reason: dto.reason,
          details: { decisionRef: dto.decisionRef, startsOn: dto.startsOn, endsOn: dto.endsOn ?? null } as Prisma.InputJsonValue,
        },
      });
      return ban;
    });
  }

  // ---- what the public sees ----

  /** A page of published processes (not drafts) with their lots, in a region and below. */
  publicList(f: { regionCode?: string; after?: Cursor; take: number }) {
    return this.db.procurement.findMany({
      where: {
        status: { not: 'DRAFT' },
        ...(f.regionCode ? { regionCode: { startsWith: regionPrefix(f.regionCode) } } : {}),
        ...afterCursor(f.after),
      },
      include: { lots: { orderBy: { number: 'asc' } } },
      orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
      take: f.take,
    });
  }

  /** A process with its lots, events and the processes it follows or is followed by. */
  withEvents(id: string) {
    return this.db.procurement.findUnique({
      where: { id },
      include: {
        lots: { orderBy: { number: 'asc' } },
        events: { orderBy: [{ at: 'asc' }, { id: 'asc' }] },
        followedBy: { select: { id: true, title: true } },
        follows: { select: { id: true, title: true } },
      },
    });
  }

  /** The bids that stood at the opening, with their institutions and lots. */
  submittedBids(procurementId: string) {
    return this.db.bid.findMany({ where: { procurementId, status: 'SUBMITTED' }, include: { institution: true, lot: true } });
  }
}
