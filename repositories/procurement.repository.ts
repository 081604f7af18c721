// The procurement repository (competitive selection, R9): processes with their lots, sealed bids, the expert
// pool and committees, supplier bans, challenges and the public events. Read and written by the API's
// procurement services; the procurement activities write the workflow's steps.
import type { Db, Prisma } from '../prisma/client';
import { regionPrefix } from '../workflows/domain/region';
import { criteriaOf, rankingOf, requirementsOf, seatScoresOf } from './json';
import { afterCursor, type Cursor } from './pagination';
import { randomInt } from 'node:crypto';
import type { BidContent, BidIdentity } from '../platform/sealed-bids';
import { SYSTEM_ACTOR, type Actor, type Role } from '../workflows/contracts/common';
import {
  PROCUREMENT_CASE_TYPE,
  type ChallengeAnswerRequest,
  type ChallengeRequest,
  type ComplaintDecisionRequest,
  type ComplaintRequest,
  type FailureApprovalRequest,
  type FailureChoice,
  type FailureDecisionRequest,
  type InquiryAnswerRequest,
  type InquiryRequest,
  type QuotationRequest,
  type ProcurementStatus,
} from '../workflows/contracts/procurement';
import { TASK_KINDS, type TaskKind } from '../workflows/contracts/tasks';
import { officialCalendar, periodEnd } from '../workflows/domain/calendar';
import { fenNumber } from '../workflows/domain/ledger-rules';
import {
  committeeRequirement,
  drawCommittee,
  expertConflicts,
  lotOutcome,
  priceScores,
  rankBids,
  technicalScore,
  type TieRule,
} from '../workflows/domain/procurement-evaluation';
import { appendAudit, completeTask, notify, type WorkflowExecution } from './audit.repository';
import { RecordNotFoundError } from './errors';
import { loadPolicy } from './policy.repository';

/** Scores, after the opening, as the committee left them: { [bidId]: { [criterionKey]: centipoints } }. */
export type SeatScores = Record<string, Record<string, number>>;

async function loadProcurement(db: Db, procurementId: string) {
  const p = await db.procurement.findUnique({ where: { id: procurementId }, include: { lots: { orderBy: { number: 'asc' } } } });
  if (!p) throw new RecordNotFoundError('Procurement', procurementId);
  return p;
}

async function event(
  tx: Prisma.TransactionClient,
  e: { dedupeKey: string; procurementId: string; kind: string; lotNumber?: number; details: Prisma.InputJsonValue; at?: Date },
): Promise<void> {
  await tx.procurementEvent.createMany({ data: [e], skipDuplicates: true });
}

async function audit(
  tx: Prisma.TransactionClient,
  exec: WorkflowExecution,
  procurementId: string,
  key: string,
  actor: Actor,
  action: string,
  details?: Prisma.InputJsonValue,
  reason?: string,
): Promise<void> {
  const { workflowId, runId } = exec;
  await appendAudit(tx, {
    dedupeKey: `${workflowId}:${key}`,
    actor,
    action,
    caseType: PROCUREMENT_CASE_TYPE,
    caseId: procurementId,
    workflowId,
    runId,
    details,
    reason,
  });
}

/** Opens a human task once (its id comes from the workflow, so a retry finds it). */
async function openTask(
  tx: Prisma.TransactionClient,
  exec: WorkflowExecution,
  t: {
    procurementId: string;
    regionCode: string;
    taskId: string;
    kind: TaskKind;
    role: Role;
    title: string;
    dueAt?: string;
    dueProvisional?: boolean;
    assignees?: string[];
    institutionId?: string;
  },
): Promise<string> {
  const { workflowId } = exec;
  await tx.humanTask.createMany({
    data: [
      {
        id: t.taskId,
        dedupeKey: `${workflowId}:task:${t.taskId}`,
        kind: t.kind,
        caseType: PROCUREMENT_CASE_TYPE,
        caseId: t.procurementId,
        workflowId,
        role: t.role,
        regionCode: t.regionCode,
        institutionId: t.institutionId,
        title: t.title,
        dueAt: t.dueAt ? new Date(t.dueAt) : null,
        dueProvisional: t.dueProvisional ?? false,
        assignees: t.assignees ?? [],
      },
    ],
    skipDuplicates: true,
  });
  return t.taskId;
}

async function bidderIds(tx: Prisma.TransactionClient | Db, procurementId: string, lotId?: string): Promise<string[]> {
  const bids = await tx.bid.findMany({
    where: { procurementId, ...(lotId ? { lotId } : {}), status: { in: ['SUBMITTED', 'WITHDRAWN', 'REPLACED'] } },
    select: { institutionId: true },
    distinct: ['institutionId'],
  });
  return bids.map((b) => b.institutionId);
}

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

  /**
   * Everything GET /procurements/:id may show besides the process: events, bids, committee seats, challenges,
   * inquiries and the negotiation's quotations.
   */
  async record(id: string) {
    const [events, bids, seats, challenges, inquiries, quotations] = await Promise.all([
      this.db.procurementEvent.findMany({ where: { procurementId: id }, orderBy: { at: 'asc' } }),
      this.db.bid.findMany({ where: { procurementId: id }, include: { lot: true, institution: true }, orderBy: { submittedAt: 'asc' } }),
      this.db.committeeMember.findMany({ where: { procurementId: id }, include: { expert: true }, orderBy: { createdAt: 'asc' } }),
      this.db.procurementChallenge.findMany({ where: { procurementId: id }, orderBy: { submittedAt: 'asc' } }),
      this.db.procurementInquiry.findMany({ where: { procurementId: id }, orderBy: { askedAt: 'asc' } }),
      this.db.quotation.findMany({
        where: { procurementId: id },
        include: { bid: { select: { institutionId: true } } },
        orderBy: [{ round: 'asc' }, { submittedAt: 'asc' }],
      }),
    ]);
    return { events, bids, seats, challenges, inquiries, quotations };
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

  inquiry(inquiryId: string) {
    return this.db.procurementInquiry.findUnique({ where: { id: inquiryId } });
  }

  inquiryOrThrow(inquiryId: string) {
    return this.db.procurementInquiry.findUniqueOrThrow({ where: { id: inquiryId } });
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

  /** Records the policy versions the process runs under; returns its criteria for the score validator. */
  async recordProcurementOpened(input: { procurementId: string; policyVersionIds: string[]; actor: Actor }, exec: WorkflowExecution) {
    const p = await loadProcurement(this.db, input.procurementId);
    await this.db.$transaction(async (tx) => {
      await tx.procurement.update({ where: { id: p.id }, data: { policyVersionIds: input.policyVersionIds } });
      await event(tx, {
        dedupeKey: `${p.id}:planning`,
        procurementId: p.id,
        kind: 'PLANNING',
        details: { method: p.method },
        at: p.createdAt,
      });
      await audit(tx, exec, p.id, 'opened', input.actor, 'PROCUREMENT_CREATED', {
        method: p.method,
        policyVersionIds: input.policyVersionIds,
      });
    });
    const criteria = criteriaOf(p.criteria);
    return {
      criteria: criteria.map((k) => ({ key: k.key, maxCentipoints: k.weightPercent * 100 })),
      ceilings: p.lots.map((l) => ({ number: l.number, ceilingPricePerPersonFen: fenNumber(l.ceilingPricePerPersonFen) })),
    };
  }

  /** R9.1 the notice goes up: the process takes bids until its response deadline. */
  async recordProcurementPublished(input: { procurementId: string; actor: Actor; announcementEndsAt?: string }, exec: WorkflowExecution) {
    const p = await loadProcurement(this.db, input.procurementId);
    const publishedAt = p.publishedAt ?? new Date();
    await this.db.$transaction(async (tx) => {
      await tx.procurement.updateMany({ where: { id: p.id, status: 'DRAFT' }, data: { status: 'PUBLISHED', publishedAt } });
      await event(tx, {
        dedupeKey: `${p.id}:tender`,
        procurementId: p.id,
        kind: 'TENDER',
        at: publishedAt,
        details: { announcementEndsAt: input.announcementEndsAt ?? null, responseDeadline: p.responseDeadline.toISOString() },
      });
      await audit(tx, exec, p.id, 'published', input.actor, 'PROCUREMENT_PUBLISHED', {
        announcementEndsAt: input.announcementEndsAt ?? null,
      });
    });
    return { responseDeadline: p.responseDeadline.toISOString() };
  }

  /** R9.1 a clarification; one that moves the deadline asks every bidder to confirm its bid again. */
  async recordClarification(
    input: { procurementId: string; actor: Actor; text: string; number: number; newDeadline?: string },
    exec: WorkflowExecution,
  ) {
    const p = await loadProcurement(this.db, input.procurementId);
    await this.db.$transaction(async (tx) => {
      await event(tx, {
        dedupeKey: `${p.id}:clarification:${input.number}`,
        procurementId: p.id,
        kind: 'AMENDMENT',
        details: { number: input.number, text: input.text, newDeadline: input.newDeadline ?? null },
      });
      await audit(tx, exec, p.id, `clarification:${input.number}`, input.actor, 'PROCUREMENT_CLARIFIED', {
        number: input.number,
        newDeadline: input.newDeadline ?? null,
      });
      if (!input.newDeadline) return;
      await tx.procurement.update({ where: { id: p.id }, data: { responseDeadline: new Date(input.newDeadline) } });
      await tx.bid.updateMany({ where: { procurementId: p.id, status: 'SUBMITTED' }, data: { needsReconfirmation: true } });
      for (const institutionId of await bidderIds(tx, p.id)) {
        await notify(tx, {
          dedupeKey: `${p.id}:clarification:${input.number}:${institutionId}`,
          institutionId,
          kind: 'PROCUREMENT_DEADLINE_MOVED',
          caseType: PROCUREMENT_CASE_TYPE,
          caseId: p.id,
          message: `"${p.title}": a clarification moved the response deadline to ${input.newDeadline}; confirm your bid again (R9.1).`,
          messageZh: `“${p.title}”：采购文件澄清修改，响应截止时间顺延至 ${input.newDeadline}，请重新确认投标（R9.1）。`,
        });
      }
    });
  }

  /** A sealed bid taken in time: it replaces the bidder's earlier bid for the lot. */
  async acceptBid(input: { procurementId: string; bidId: string; actor: Actor }, exec: WorkflowExecution) {
    await this.db.$transaction(async (tx) => {
      const bid = await tx.bid.findUnique({ where: { id: input.bidId } });
      if (!bid) throw new RecordNotFoundError('Bid', input.bidId);
      if (bid.status !== 'RECEIVED') return; // a retry
      await tx.bid.updateMany({
        where: { lotId: bid.lotId, institutionId: bid.institutionId, status: 'SUBMITTED', id: { not: bid.id } },
        data: { status: 'REPLACED' },
      });
      await tx.bid.update({ where: { id: bid.id }, data: { status: 'SUBMITTED' } });
      await audit(tx, exec, input.procurementId, `bid:${bid.id}`, input.actor, 'BID_SUBMITTED', {
        bidId: bid.id,
        lotId: bid.lotId,
        institutionId: bid.institutionId,
      });
    });
  }

  async withdrawBid(input: { procurementId: string; bidId: string; actor: Actor }, exec: WorkflowExecution) {
    await this.db.$transaction(async (tx) => {
      await tx.bid.updateMany({ where: { id: input.bidId, status: 'SUBMITTED' }, data: { status: 'WITHDRAWN' } });
      await audit(tx, exec, input.procurementId, `bid:${input.bidId}:withdrawn`, input.actor, 'BID_WITHDRAWN', { bidId: input.bidId });
    });
  }

  /** R9.1 the bidder stands by its bid after the deadline moved. */
  async confirmBid(input: { procurementId: string; bidId: string; actor: Actor }, exec: WorkflowExecution) {
    await this.db.$transaction(async (tx) => {
      await tx.bid.updateMany({ where: { id: input.bidId, status: 'SUBMITTED' }, data: { needsReconfirmation: false } });
      await audit(tx, exec, input.procurementId, `bid:${input.bidId}:confirmed:${Date.now()}`, input.actor, 'BID_CONFIRMED', {
        bidId: input.bidId,
      });
    });
  }

  /**
   * The opening (开标, R9.2): recorded first, then each bid in time is opened — its price and validity
   * written — and each lot proceeds or fails with the reasons every bidder of the lot is told.
   */
  async openBids(
    input: { procurementId: string },
    exec: WorkflowExecution,
    open: (identity: BidIdentity, sealed: Uint8Array) => BidContent,
  ) {
    const p = await loadProcurement(this.db, input.procurementId);
    const { parameters } = await loadPolicy(this.db, p.regionCode, p.createdAt);
    const requirements = requirementsOf(p.requirements);
    const openedAt = p.openedAt ?? new Date();
    const results = await this.db.$transaction(async (tx) => {
      await tx.procurement.update({ where: { id: p.id }, data: { openedAt, status: 'EVALUATION' } });
      await event(tx, { dedupeKey: `${p.id}:opening`, procurementId: p.id, kind: 'OPENING', at: openedAt, details: {} });
      const bids = await tx.bid.findMany({ where: { procurementId: p.id, status: 'SUBMITTED' }, orderBy: { submittedAt: 'asc' } });
      const out: { number: number; proceed: boolean; validBidIds: string[]; options: FailureChoice[] }[] = [];
      for (const lot of p.lots) {
        const lotBids = bids.filter((b) => b.lotId === lot.id);
        const assessed = lotBids.map((b) => {
          if (b.openedAt)
            return { bid: b, valid: b.valid!, overBudget: (b.invalidReasons as string[] | null)?.includes('ABOVE_CEILING') ?? false };
          const content = open({ procurementId: p.id, bidId: b.id, institutionId: b.institutionId, lotNumber: lot.number }, b.sealed);
          const reasons: string[] = [];
          if (b.needsReconfirmation) reasons.push('NOT_RECONFIRMED');
          if (BigInt(content.pricePerPersonFen) > lot.ceilingPricePerPersonFen) reasons.push('ABOVE_CEILING');
          if (requirements.some((r) => !content.evidence?.[r.key])) reasons.push('REQUIREMENTS_NOT_MET');
          return {
            bid: { ...b, priceFen: BigInt(content.pricePerPersonFen), valid: reasons.length === 0, invalidReasons: reasons },
            valid: reasons.length === 0,
            overBudget: reasons.includes('ABOVE_CEILING'),
            fresh: true,
          };
        });
        for (const a of assessed) {
          if (!('fresh' in a)) continue;
          await tx.bid.update({
            where: { id: a.bid.id },
            data: { openedAt, priceFen: a.bid.priceFen, valid: a.valid, invalidReasons: a.bid.invalidReasons as Prisma.InputJsonValue },
          });
        }
        const outcome = lotOutcome(
          p.method,
          {
            servicesPurchase: p.servicesPurchase,
            bids: assessed.map((a) => ({ valid: a.valid, overBudget: a.overBudget })),
            // R9.2 a negotiation with the two responsive bidders of a failed tender goes on with both
            invitedSuppliers: p.invitedInstitutionIds.length,
          },
          parameters.procurement,
        );
        const validBidIds = assessed.filter((a) => a.valid).map((a) => a.bid.id);
        out.push({ number: lot.number, proceed: outcome.proceed, validBidIds, options: outcome.options });
        await event(tx, {
          dedupeKey: `${p.id}:opening:${lot.number}`,
          procurementId: p.id,
          kind: outcome.proceed ? 'LOT_OPENED' : 'FAILURE',
          lotNumber: lot.number,
          at: openedAt,
          details: {
            bids: assessed.length,
            validBids: validBidIds.length,
            smeBids: assessed.filter((a) => a.bid.sme).length,
            reasons: outcome.reasons,
            // R9.2 what the officer may choose for a failed lot (empty when it proceeds)
            options: outcome.options,
          } as unknown as Prisma.InputJsonValue,
        });
        if (outcome.proceed) {
          await tx.procurementLot.update({ where: { id: lot.id }, data: { status: 'EVALUATING' } });
          continue;
        }
        await tx.procurementLot.update({
          where: { id: lot.id },
          data: { status: 'FAILED', failureReasons: outcome.reasons as unknown as Prisma.InputJsonValue },
        });
        const why = outcome.reasons.map((r) => r.message).join('; ');
        const whyZh = outcome.reasons.map((r) => r.messageZh).join('；');
        for (const institutionId of new Set(lotBids.map((b) => b.institutionId))) {
          await notify(tx, {
            dedupeKey: `${p.id}:failure:${lot.number}:${institutionId}`,
            institutionId,
            kind: 'PROCUREMENT_LOT_FAILED',
            caseType: PROCUREMENT_CASE_TYPE,
            caseId: p.id,
            message: `"${p.title}" lot ${lot.number} failed (R9.2): ${why}`,
            messageZh: `“${p.title}”第 ${lot.number} 包废标（R9.2）：${whyZh}`,
          });
        }
      }
      await audit(tx, exec, p.id, 'opening', SYSTEM_ACTOR, 'BIDS_OPENED', {
        lots: out.map((o) => ({ number: o.number, proceed: o.proceed, validBids: o.validBidIds.length })),
      });
      return out;
    });
    return { lots: results };
  }

  /**
   * R9.3–R9.5 draws the committee at random from the pool: experts of the lots' occupations, none who declared
   * a relationship with a bidder within the lookback, none of the purchaser's own staff, nobody seated before.
   * With `replacing`, one seat for a released member. A pool too small fails the attempt, which is retried
   * until the pool has grown.
   */
  async drawCommittee(input: { procurementId: string; replacing?: string }, exec: WorkflowExecution) {
    const p = await loadProcurement(this.db, input.procurementId);
    const { parameters } = await loadPolicy(this.db, p.regionCode, p.createdAt);
    return this.db.$transaction(async (tx) => {
      const existing = await tx.committeeMember.findMany({ where: { procurementId: p.id }, include: { expert: true } });
      const key = input.replacing ? `replace:${input.replacing}` : 'first';
      const already = existing.filter((m) => m.reason === `draw:${key}` || (key === 'first' && m.draw === 1));
      if (already.length > 0) return { seats: already.map((m) => ({ expertId: m.expertId, userId: m.expert.userId, taskId: m.taskId! })) };
      const requirement = committeeRequirement(p.method, fenNumber(p.budgetFen), p.complex, parameters.procurement);
      const needed = input.replacing ? 1 : requirement.minMembers;
      const bidders = await bidderIds(tx, p.id);
      const fields = p.lots.map((l) => l.occupationCode);
      // The pool of the purchaser's city and the province's (R9.5), in the lots' fields.
      const pool = await tx.expert.findMany({
        where: {
          active: true,
          fields: { hasSome: fields },
          OR: [{ regionCode: '140000' }, { regionCode: { startsWith: p.regionCode.slice(0, 4) } }],
        },
        include: { relationships: true },
        orderBy: { createdAt: 'asc' },
      });
      const seated = new Set(existing.map((m) => m.expertId));
      const now = new Date();
      const eligible = pool.filter(
        (e) =>
          !seated.has(e.id) &&
          expertConflicts(
            { evaluatorId: e.id },
            bidders,
            e.relationships.map((r) => ({
              evaluatorId: e.id,
              institutionId: r.institutionId,
              kind: r.nature,
              endedOn: r.endedOn ? r.endedOn.toISOString().slice(0, 10) : null,
            })),
            // R9.5 the purchaser's own staff: people employed by the purchasing bureau's region
            e.employerRegionCode === p.regionCode ? [e.id] : [],
            now,
            parameters.procurement,
            officialCalendar,
          ).length === 0,
      );
      if (eligible.length < needed) {
        throw new Error(`the expert pool has ${eligible.length} eligible members for ${needed} seats of procurement ${p.id} (R9.5)`);
      }
      const picked = drawCommittee(
        eligible.map((e) => e.id),
        needed,
        () => randomInt(0, 2 ** 32) / 2 ** 32,
      );
      const draw = input.replacing ? Math.max(...existing.map((m) => m.draw)) + 1 : 1;
      const seats: { expertId: string; userId: string; taskId: string }[] = [];
      for (const expertId of picked) {
        const expert = eligible.find((e) => e.id === expertId)!;
        const { workflowId } = exec;
        const task = await tx.humanTask.create({
          data: {
            dedupeKey: `${workflowId}:scoring:${expertId}:${draw}`,
            kind: TASK_KINDS.procurementScoring,
            caseType: PROCUREMENT_CASE_TYPE,
            caseId: p.id,
            workflowId,
            role: 'evaluator',
            regionCode: p.regionCode,
            title: `Score the valid bids of "${p.title}" and sign the report (R9.5)`,
            assignees: [expert.userId],
          },
        });
        await tx.committeeMember.create({ data: { procurementId: p.id, expertId, draw, reason: `draw:${key}`, taskId: task.id } });
        seats.push({ expertId, userId: expert.userId, taskId: task.id });
      }
      await audit(tx, exec, p.id, `committee:${key}`, SYSTEM_ACTOR, input.replacing ? 'COMMITTEE_MEMBER_REPLACED' : 'COMMITTEE_DRAWN', {
        draw,
        eligible: eligible.length,
        pool: pool.length,
        requirement,
        replacing: input.replacing ?? null,
        experts: picked,
      });
      return { seats };
    });
  }

  /** R9.5 a member's scores, signature or dissent; the task closes. Returns the task id. */
  async recordScores(
    input: {
      procurementId: string;
      expertId: string;
      actor: Actor;
      scores: SeatScores;
      sign: boolean;
      dissent?: string;
    },
    exec: WorkflowExecution,
  ) {
    return this.db.$transaction(async (tx) => {
      const seat = await tx.committeeMember.findUnique({
        where: { procurementId_expertId: { procurementId: input.procurementId, expertId: input.expertId } },
      });
      if (!seat) throw new RecordNotFoundError('CommitteeMember', input.expertId);
      if (seat.status === 'DRAWN') {
        await tx.committeeMember.update({
          where: { id: seat.id },
          data: { status: 'SCORED', scores: input.scores, signed: input.sign, dissent: input.dissent ?? null },
        });
      }
      if (seat.taskId) await completeTask(tx, seat.taskId, input.actor, { signed: input.sign, dissent: input.dissent ?? null });
      await audit(
        tx,
        exec,
        input.procurementId,
        `scores:${seat.id}:${seat.taskId}`,
        input.actor,
        input.sign ? 'EVALUATION_SIGNED' : 'EVALUATION_DISSENT',
        {
          expertId: input.expertId,
          scores: input.scores,
          dissent: input.dissent ?? null,
        },
      );
      return seat.taskId;
    });
  }

  /** R9.5 a member recused or absent: the seat is released and its task cancelled. */
  async releaseSeat(
    input: { procurementId: string; expertId: string; reason: 'RECUSED' | 'ABSENT'; note: string; actor: Actor },
    exec: WorkflowExecution,
  ) {
    return this.db.$transaction(async (tx) => {
      const seat = await tx.committeeMember.findUnique({
        where: { procurementId_expertId: { procurementId: input.procurementId, expertId: input.expertId } },
      });
      if (!seat) throw new RecordNotFoundError('CommitteeMember', input.expertId);
      await tx.committeeMember.updateMany({ where: { id: seat.id, status: 'DRAWN' }, data: { status: input.reason } });
      if (seat.taskId)
        await tx.humanTask.updateMany({
          where: { id: seat.taskId, status: 'OPEN' },
          data: { status: 'CANCELLED', completedAt: new Date(), completedBy: input.actor.userId },
        });
      await audit(
        tx,
        exec,
        input.procurementId,
        `seat:${seat.id}:${input.reason}`,
        input.actor,
        `COMMITTEE_MEMBER_${input.reason}`,
        { expertId: input.expertId },
        input.note,
      );
      return { taskId: seat.taskId };
    });
  }

  /** Evaluation again after an upheld challenge: the same members score afresh, each in a new task. */
  async reopenScoring(input: { procurementId: string }, exec: WorkflowExecution) {
    const p = await loadProcurement(this.db, input.procurementId);
    return this.db.$transaction(async (tx) => {
      const seats = await tx.committeeMember.findMany({ where: { procurementId: p.id, status: 'SCORED' }, include: { expert: true } });
      const taskIds: string[] = [];
      const { workflowId } = exec;
      for (const seat of seats) {
        const task = await tx.humanTask.create({
          data: {
            dedupeKey: `${workflowId}:rescoring:${seat.id}:${seat.taskId}`,
            kind: TASK_KINDS.procurementScoring,
            caseType: PROCUREMENT_CASE_TYPE,
            caseId: p.id,
            workflowId,
            role: 'evaluator',
            regionCode: p.regionCode,
            title: `Evaluate "${p.title}" again after an upheld challenge (R9.7)`,
            assignees: [seat.expert.userId],
          },
        });
        await tx.committeeMember.update({
          where: { id: seat.id },
          data: { status: 'DRAWN', signed: false, dissent: null, taskId: task.id },
        });
        taskIds.push(task.id);
      }
      await audit(tx, exec, p.id, `rescoring:${taskIds.join(',')}`, SYSTEM_ACTOR, 'EVALUATION_REOPENED', { seats: seats.length });
      return { taskIds };
    });
  }

  /**
   * R9.5/R9.10 the ranking of each lot: technical score (the members' average), the price score from the
   * lowest evaluation price (SME deduction in evaluation only), ties to the lower price, then the stated rule.
   */
  async rankLots(input: { procurementId: string; lotNumbers: number[] }, exec: WorkflowExecution) {
    const p = await loadProcurement(this.db, input.procurementId);
    const { parameters } = await loadPolicy(this.db, p.regionCode, p.createdAt);
    const criteria = criteriaOf(p.criteria);
    const seats = await this.db.committeeMember.findMany({ where: { procurementId: p.id, status: 'SCORED' } });
    const lots: { number: number; candidates: string[] }[] = [];
    await this.db.$transaction(async (tx) => {
      for (const lot of p.lots.filter((l) => input.lotNumbers.includes(l.number))) {
        const bids = await tx.bid.findMany({
          where: { lotId: lot.id, status: 'SUBMITTED', valid: true },
          orderBy: { submittedAt: 'asc' },
        });
        const price = priceScores(
          bids.map((b) => ({ bidId: b.id, priceFen: fenNumber(b.finalPriceFen ?? b.priceFen!), sme: b.sme })),
          p.priceWeightPercent,
          parameters.procurement.smeDeductionPercent,
        );
        const entries = bids.map((b) => {
          const technical = technicalScore(
            seats.map((s) => ({ memberId: s.expertId, scores: seatScoresOf(s.scores)[b.id] ?? {} })),
            criteria,
          );
          if (!technical.ok) throw new Error(`scores of bid ${b.id} are incomplete: ${JSON.stringify(technical.problems)}`);
          const priceScore = price.find((x) => x.bidId === b.id)!;
          return {
            bidId: b.id,
            institutionId: b.institutionId,
            priceFen: fenNumber(b.finalPriceFen ?? b.priceFen!),
            evaluationPriceFen: priceScore.evaluationPriceFen,
            sme: b.sme,
            technicalCentipoints: technical.centipoints,
            priceCentipoints: priceScore.scoreCentipoints,
            totalCentipoints: technical.centipoints + priceScore.scoreCentipoints,
            submittedAt: b.submittedAt.toISOString(),
          };
        });
        const byId = new Map(entries.map((e) => [e.bidId, e]));
        const ranked = rankBids(entries, p.tieRule as TieRule).map((r) => ({ ...byId.get(r.bidId)!, rank: r.rank, tied: r.tied }));
        await tx.procurementLot.update({ where: { id: lot.id }, data: { ranking: ranked as unknown as Prisma.InputJsonValue } });
        await audit(tx, exec, p.id, `ranking:${lot.number}:${seats.map((s) => s.taskId).join(',')}`, SYSTEM_ACTOR, 'EVALUATION_REPORTED', {
          lot: lot.number,
          ranking: ranked as unknown as Prisma.InputJsonValue,
        });
        lots.push({ number: lot.number, candidates: ranked.map((r) => r.bidId) });
      }
    });
    return { lots };
  }

  async openProcurementTask(
    input: {
      procurementId: string;
      taskId: string;
      kind: TaskKind;
      role: Role;
      title: string;
      dueAt?: string;
      dueProvisional?: boolean;
    },
    exec: WorkflowExecution,
  ) {
    const p = await loadProcurement(this.db, input.procurementId);
    return this.db.$transaction((tx) => openTask(tx, exec, { ...input, regionCode: p.regionCode }));
  }

  /**
   * R9.6 the award notice and the result announcement: the lot's winner, the experts' names; each bidder of
   * the lot is told its own score and rank. Returns the notice's instant (the same on a retry).
   */
  async recordAward(
    input: {
      procurementId: string;
      lotNumber: number;
      bidId: string;
      choiceTaskId: string;
      automatic: boolean;
      actor: Actor;
    },
    exec: WorkflowExecution,
  ) {
    const p = await loadProcurement(this.db, input.procurementId);
    const lot = p.lots.find((l) => l.number === input.lotNumber)!;
    return this.db.$transaction(async (tx) => {
      const fresh = await tx.procurementLot.findUniqueOrThrow({ where: { id: lot.id } });
      const awardedAt = fresh.awardedBidId === input.bidId && fresh.awardedAt ? fresh.awardedAt : new Date();
      await tx.procurementLot.update({ where: { id: lot.id }, data: { status: 'AWARDED', awardedBidId: input.bidId, awardedAt } });
      await tx.procurement.update({ where: { id: p.id }, data: { status: 'AWARDED' } });
      await tx.humanTask.updateMany({
        where: { id: input.choiceTaskId, status: 'OPEN' },
        data: input.automatic
          ? {
              status: 'CANCELLED',
              completedAt: awardedAt,
              completedBy: 'system',
              outcome: { automatic: true, reason: 'R9.6 not confirmed in time: the first-ranked is chosen' },
            }
          : { status: 'COMPLETED', completedAt: awardedAt, completedBy: input.actor.userId, outcome: { bidId: input.bidId } },
      });
      const winner = await tx.bid.findUniqueOrThrow({ where: { id: input.bidId }, include: { institution: true } });
      const experts = await tx.committeeMember.findMany({ where: { procurementId: p.id, status: 'SCORED' }, include: { expert: true } });
      const ranking = rankingOf(fresh.ranking ?? []);
      await event(tx, {
        dedupeKey: `${p.id}:award:${lot.number}:${input.bidId}`,
        procurementId: p.id,
        kind: 'AWARD',
        lotNumber: lot.number,
        at: awardedAt,
        details: {
          bidId: input.bidId,
          institutionId: winner.institutionId,
          institutionName: winner.institution.name,
          creditCode: winner.institution.creditCode,
          pricePerPersonFen: fenNumber(winner.finalPriceFen ?? winner.priceFen!),
          trainees: lot.trainees,
          experts: experts.map((m) => m.expert.name),
          automatic: input.automatic,
        },
      });
      for (const r of ranking) {
        await notify(tx, {
          dedupeKey: `${p.id}:award:${lot.number}:${input.bidId}:${r.institutionId}`,
          institutionId: r.institutionId,
          kind: r.bidId === input.bidId ? 'PROCUREMENT_AWARDED' : 'PROCUREMENT_NOT_AWARDED',
          caseType: PROCUREMENT_CASE_TYPE,
          caseId: p.id,
          message: `"${p.title}" lot ${lot.number}: your bid scored ${(r.totalCentipoints / 100).toFixed(2)} and ranked ${r.rank} of ${ranking.length} (R9.6).`,
          messageZh: `“${p.title}”第 ${lot.number} 包：贵单位得分 ${(r.totalCentipoints / 100).toFixed(2)}，排名第 ${r.rank}（共 ${ranking.length} 家）（R9.6）。`,
        });
      }
      await audit(
        tx,
        exec,
        p.id,
        `award:${lot.number}:${input.bidId}`,
        input.actor,
        input.automatic ? 'AWARD_CHOSEN_AUTOMATICALLY' : 'AWARD_CHOSEN',
        {
          lot: lot.number,
          bidId: input.bidId,
        },
      );
      return { awardNoticeAt: awardedAt.toISOString() };
    });
  }

  /** The award lapses (declined, not signed in time, an upheld challenge): the lot waits for its next award. */
  async withdrawAward(input: { procurementId: string; lotNumber: number; reason: string }, exec: WorkflowExecution) {
    const p = await loadProcurement(this.db, input.procurementId);
    const lot = p.lots.find((l) => l.number === input.lotNumber)!;
    await this.db.$transaction(async (tx) => {
      if (lot.awardedBidId) {
        await event(tx, {
          dedupeKey: `${p.id}:award-cancelled:${lot.number}:${lot.awardedBidId}`,
          procurementId: p.id,
          kind: 'AWARD_CANCELLED',
          lotNumber: lot.number,
          details: { bidId: lot.awardedBidId, reason: input.reason },
        });
        await audit(
          tx,
          exec,
          p.id,
          `award-cancelled:${lot.number}:${lot.awardedBidId}`,
          SYSTEM_ACTOR,
          'AWARD_WITHDRAWN',
          { lot: lot.number, bidId: lot.awardedBidId },
          input.reason,
        );
      }
      await tx.procurementLot.update({ where: { id: lot.id }, data: { status: 'EVALUATING', awardedBidId: null, awardedAt: null } });
    });
  }

  /**
   * R9.6 → R2.4 the contract is signed: the winner's qualification for the lot (route TENDER) with its scope,
   * trainees, the awarded price per person and the service period; the catalogue follows (R3.1).
   */
  async recordContract(input: { procurementId: string; lotNumber: number; bidId: string; actor: Actor }, exec: WorkflowExecution) {
    const p = await loadProcurement(this.db, input.procurementId);
    const lot = p.lots.find((l) => l.number === input.lotNumber)!;
    const { parameters } = await loadPolicy(this.db, lot.regionCode, new Date());
    const granted = await this.db.$transaction(async (tx) => {
      const bid = await tx.bid.findUniqueOrThrow({ where: { id: input.bidId }, include: { institution: true } });
      const fresh = await tx.procurementLot.findUniqueOrThrow({ where: { id: lot.id } });
      const signedAt = fresh.contractSignedAt ?? new Date();
      const validTo = periodEnd(signedAt, { unit: 'MONTHS', amount: lot.serviceMonths }, officialCalendar, {
        rollOverNonWorkingDay: false,
      });
      const q = await tx.qualification.upsert({
        where: { route_sourceId: { route: 'TENDER', sourceId: lot.id } },
        update: {},
        create: {
          institutionId: bid.institutionId,
          route: 'TENDER',
          sourceId: lot.id,
          regionCode: lot.regionCode,
          scope: [{ occupationCode: lot.occupationCode, levels: lot.levels.map(Number) }],
          validFrom: signedAt,
          validTo,
          traineeCapacity: lot.trainees,
          pricePerPersonFen: bid.finalPriceFen ?? bid.priceFen,
        },
      });
      await tx.procurementLot.update({
        where: { id: lot.id },
        data: { status: 'CONTRACTED', contractSignedAt: signedAt, qualificationId: q.id },
      });
      await event(tx, {
        dedupeKey: `${p.id}:contract:${lot.number}`,
        procurementId: p.id,
        kind: 'CONTRACT',
        lotNumber: lot.number,
        at: signedAt,
        details: {
          bidId: bid.id,
          institutionId: bid.institutionId,
          valueFen: fenNumber(bid.finalPriceFen ?? bid.priceFen!) * lot.trainees,
          start: signedAt.toISOString(),
          end: validTo.toISOString(),
        },
      });
      const { workflowId, runId } = exec;
      await appendAudit(tx, {
        dedupeKey: `qualification:${q.id}:granted`,
        actor: input.actor,
        action: 'QUALIFICATION_GRANTED',
        caseType: 'QUALIFICATION',
        caseId: q.id,
        workflowId,
        runId,
        details: {
          route: 'TENDER',
          procurementId: p.id,
          lot: lot.number,
          trainees: lot.trainees,
          pricePerPersonFen: fenNumber(bid.finalPriceFen ?? bid.priceFen!),
        },
      });
      await audit(tx, exec, p.id, `contract:${lot.number}`, input.actor, 'CONTRACT_SIGNED', {
        lot: lot.number,
        bidId: bid.id,
        qualificationId: q.id,
      });
      const lead = parameters.qualification.expiryReminderLead;
      const leadMs = lead.unit === 'SECONDS' ? lead.amount * 1000 : lead.amount * 86_400_000;
      return {
        qualificationId: q.id,
        institutionId: bid.institutionId,
        creditCode: bid.institution.creditCode,
        validTo: q.validTo.toISOString(),
        reminderAt: new Date(Math.max(signedAt.getTime(), q.validTo.getTime() - leadMs)).toISOString(),
      };
    });
    return granted;
  }

  /** R9.6 (Regs 49) nobody is left to take the award: the lot fails and is run again. */
  async failLotWithoutWinner(input: { procurementId: string; lotNumber: number }, exec: WorkflowExecution) {
    const p = await loadProcurement(this.db, input.procurementId);
    const lot = p.lots.find((l) => l.number === input.lotNumber)!;
    const reasons = [
      {
        code: 'NO_CANDIDATE_SIGNED',
        message: 'no ranked candidate signed the contract (R9.6)',
        messageZh: '无中标候选人签订合同（R9.6）',
      },
    ];
    await this.db.$transaction(async (tx) => {
      await tx.procurementLot.update({ where: { id: lot.id }, data: { status: 'FAILED', failureReasons: reasons } });
      await event(tx, {
        dedupeKey: `${p.id}:failure:${lot.number}:unsigned`,
        procurementId: p.id,
        kind: 'FAILURE',
        lotNumber: lot.number,
        details: { reasons },
      });
      await audit(tx, exec, p.id, `failure:${lot.number}:unsigned`, SYSTEM_ACTOR, 'LOT_FAILED', { lot: lot.number, reasons });
    });
  }

  /** R9.2 the officer's choice for a failed lot; a switch of method or a negotiation waits for approval. */
  async recordFailureDecision(
    input: {
      procurementId: string;
      request: FailureDecisionRequest;
      taskId?: string;
      approvalTaskId?: string;
    },
    exec: WorkflowExecution,
  ) {
    const p = await loadProcurement(this.db, input.procurementId);
    const r = input.request;
    return this.db.$transaction(async (tx) => {
      const task = input.taskId ? { id: input.taskId } : undefined;
      if (task) await completeTask(tx, task.id, r.actor, { choice: r.choice, reason: r.reason });
      if (input.approvalTaskId) {
        await openTask(tx, exec, {
          procurementId: p.id,
          regionCode: p.regionCode,
          taskId: input.approvalTaskId,
          kind: TASK_KINDS.procurementFailureApproval,
          role: 'finance_supervisor',
          title: `Approve ${r.choice === 'SWITCH_METHOD' ? 'a switch of method' : 'a negotiation with the two responsive bidders'} for lot ${r.lotNumber} (R9.2)`,
        });
      }
      await audit(
        tx,
        exec,
        p.id,
        `failure-decision:${r.lotNumber}:${input.approvalTaskId ?? task?.id ?? 'rerun'}`,
        r.actor,
        'LOT_FAILURE_DECIDED',
        {
          lot: r.lotNumber,
          choice: r.choice,
          method: r.method ?? null,
          schedule: { ...r.schedule },
        },
        r.reason,
      );
      return { closedTaskId: task?.id };
    });
  }

  async recordFailureApproval(input: { procurementId: string; request: FailureApprovalRequest; taskId?: string }, exec: WorkflowExecution) {
    const r = input.request;
    return this.db.$transaction(async (tx) => {
      const task = input.taskId ? { id: input.taskId } : undefined;
      if (task) await completeTask(tx, task.id, r.actor, { approve: r.approve, reason: r.reason });
      await audit(
        tx,
        exec,
        input.procurementId,
        `failure-approval:${r.lotNumber}:${task?.id ?? 'none'}`,
        r.actor,
        r.approve ? 'FAILURE_CHOICE_APPROVED' : 'FAILURE_CHOICE_REFUSED',
        { lot: r.lotNumber },
        r.reason,
      );
      return { closedTaskId: task?.id };
    });
  }

  /**
   * R9.2 a re-run is a new process linked to the failed one: the lot again, by the method chosen, on the
   * decision's schedule (a negotiation with two invites only the two responsive bidders). Its workflow
   * starts in draft for the officer to publish.
   */
  async startFollowUpProcess(
    input: { procurementId: string; newProcurementId: string; request: FailureDecisionRequest },
    exec: WorkflowExecution,
  ) {
    const p = await loadProcurement(this.db, input.procurementId);
    const r = input.request;
    const lot = p.lots.find((l) => l.number === r.lotNumber)!;
    const method = r.choice === 'NEGOTIATE_WITH_TWO' ? 'COMPETITIVE_NEGOTIATION' : (r.method ?? p.method);
    const invited =
      r.choice === 'NEGOTIATE_WITH_TWO'
        ? (await this.db.bid.findMany({ where: { lotId: lot.id, status: 'SUBMITTED', valid: true }, select: { institutionId: true } })).map(
            (b) => b.institutionId,
          )
        : [];
    const { parameters } = await loadPolicy(this.db, p.regionCode, new Date());
    const weights = parameters.procurement.priceWeightPercent[method];
    await this.db.$transaction(async (tx) => {
      const exists = await tx.procurement.findUnique({ where: { id: input.newProcurementId } });
      if (exists) return;
      await tx.procurement.create({
        data: {
          id: input.newProcurementId,
          title: p.title,
          method,
          regionCode: p.regionCode,
          budgetFen: lot.ceilingPricePerPersonFen * BigInt(lot.trainees),
          servicesPurchase: p.servicesPurchase,
          complex: p.complex,
          requirements: p.requirements as Prisma.InputJsonValue,
          criteria: method === 'COMPETITIVE_NEGOTIATION' ? [] : (p.criteria as Prisma.InputJsonValue),
          priceWeightPercent: Math.min(Math.max(p.priceWeightPercent, weights.min), weights.max),
          tieRule: p.tieRule,
          documentsFrom: new Date(r.schedule.documentsFrom),
          documentsUntil: new Date(r.schedule.documentsUntil),
          responseDeadline: new Date(r.schedule.responseDeadline),
          followsId: p.id,
          invitedInstitutionIds: invited,
          createdBy: r.actor.userId,
          lots: {
            create: [
              {
                number: 1,
                title: lot.title,
                occupationCode: lot.occupationCode,
                levels: lot.levels,
                trainees: lot.trainees,
                regionCode: lot.regionCode,
                ceilingPricePerPersonFen: lot.ceilingPricePerPersonFen,
                serviceMonths: lot.serviceMonths,
                serviceMonthsReason: lot.serviceMonthsReason,
              },
            ],
          },
        },
      });
      await event(tx, {
        dedupeKey: `${p.id}:followed:${lot.number}`,
        procurementId: p.id,
        kind: 'FOLLOWED_BY',
        lotNumber: lot.number,
        details: { choice: r.choice, followedBy: input.newProcurementId, method },
      });
      await audit(tx, exec, p.id, `followed:${lot.number}`, r.actor, 'PROCUREMENT_RERUN', {
        lot: lot.number,
        choice: r.choice,
        followedBy: input.newProcurementId,
        method,
      });
    });
    return { method, regionCode: p.regionCode };
  }

  /** R9.7 a challenge in time: kept, and the purchaser's task to answer it within 7 working days. */
  async recordChallenge(
    input: {
      procurementId: string;
      request: ChallengeRequest;
      answerDueAt: string;
      dueProvisional: boolean;
      taskId: string;
    },
    exec: WorkflowExecution,
  ) {
    const p = await loadProcurement(this.db, input.procurementId);
    const r = input.request;
    return this.db.$transaction(async (tx) => {
      await tx.procurementChallenge.createMany({
        data: [
          {
            id: r.challengeId,
            procurementId: p.id,
            institutionId: r.institutionId,
            subject: r.subject,
            lotNumber: r.lotNumber ?? null,
            text: r.text,
            submittedBy: r.actor.userId,
            answerDueAt: new Date(input.answerDueAt),
          },
        ],
        skipDuplicates: true,
      });
      await openTask(tx, exec, {
        procurementId: p.id,
        regionCode: p.regionCode,
        taskId: input.taskId,
        kind: TASK_KINDS.procurementChallenge,
        role: 'procurement',
        title: `Answer a challenge to ${r.subject.toLowerCase()} of "${p.title}" (R9.7)`,
        dueAt: input.answerDueAt,
        dueProvisional: input.dueProvisional,
      });
      await audit(tx, exec, p.id, `challenge:${r.challengeId}`, r.actor, 'CHALLENGE_RECEIVED', {
        challengeId: r.challengeId,
        subject: r.subject,
        lot: r.lotNumber ?? null,
      });
      return input.taskId;
    });
  }

  async recordChallengeAnswer(
    input: {
      procurementId: string;
      request: ChallengeAnswerRequest;
      complaintDueAt?: string;
      taskId?: string;
    },
    exec: WorkflowExecution,
  ) {
    const r = input.request;
    return this.db.$transaction(async (tx) => {
      const ch = await tx.procurementChallenge.findUniqueOrThrow({ where: { id: r.challengeId } });
      await tx.procurementChallenge.updateMany({
        where: { id: ch.id, status: 'OPEN' },
        data: {
          status: r.upheld ? 'UPHELD' : 'DISMISSED',
          answer: r.answer,
          remedy: r.remedy ?? null,
          answeredBy: r.actor.userId,
          answeredAt: new Date(),
          complaintDueAt: input.complaintDueAt ? new Date(input.complaintDueAt) : null,
        },
      });
      const task = await tx.humanTask.findFirst({
        where: input.taskId
          ? { id: input.taskId }
          : {
              caseId: input.procurementId,
              kind: TASK_KINDS.procurementChallenge,
              status: 'OPEN',
              title: { contains: ch.subject.toLowerCase() },
            },
      });
      if (task) await completeTask(tx, task.id, r.actor, { challengeId: ch.id, upheld: r.upheld });
      await notify(tx, {
        dedupeKey: `${ch.id}:answered`,
        institutionId: ch.institutionId,
        kind: 'CHALLENGE_ANSWERED',
        caseType: PROCUREMENT_CASE_TYPE,
        caseId: input.procurementId,
        message: `Your challenge was ${r.upheld ? 'upheld' : 'dismissed'}: ${r.answer}${r.upheld ? '' : ` You may complain to the finance department by ${input.complaintDueAt} (R9.7).`}`,
        messageZh: `您的质疑${r.upheld ? '成立' : '不成立'}：${r.answer}${r.upheld ? '' : `。可于 ${input.complaintDueAt} 前向财政部门投诉（R9.7）。`}`,
      });
      await audit(
        tx,
        exec,
        input.procurementId,
        `challenge:${ch.id}:answer`,
        r.actor,
        r.upheld ? 'CHALLENGE_UPHELD' : 'CHALLENGE_DISMISSED',
        { challengeId: ch.id, remedy: r.remedy ?? null },
        r.answer,
      );
      return task?.id;
    });
  }

  async recordComplaint(
    input: {
      procurementId: string;
      request: ComplaintRequest;
      decisionDueAt: string;
      dueProvisional: boolean;
      taskId: string;
    },
    exec: WorkflowExecution,
  ) {
    const p = await loadProcurement(this.db, input.procurementId);
    const r = input.request;
    return this.db.$transaction(async (tx) => {
      await tx.procurementChallenge.updateMany({
        where: { id: r.challengeId, complaintStatus: null },
        data: { complaintText: r.text, complaintAt: new Date(), complaintStatus: 'OPEN' },
      });
      await openTask(tx, exec, {
        procurementId: p.id,
        regionCode: p.regionCode,
        taskId: input.taskId,
        kind: TASK_KINDS.procurementComplaint,
        role: 'finance_supervisor',
        title: `Decide a complaint about "${p.title}" (R9.7)`,
        dueAt: input.decisionDueAt,
        dueProvisional: input.dueProvisional,
      });
      await audit(tx, exec, p.id, `complaint:${r.challengeId}`, r.actor, 'COMPLAINT_RECEIVED', { challengeId: r.challengeId });
      return input.taskId;
    });
  }

  async recordComplaintDecision(
    input: {
      procurementId: string;
      request: ComplaintDecisionRequest;
      suspendedUntil?: string;
      taskId?: string;
    },
    exec: WorkflowExecution,
  ) {
    const r = input.request;
    return this.db.$transaction(async (tx) => {
      const ch = await tx.procurementChallenge.findUniqueOrThrow({ where: { id: r.challengeId } });
      await tx.procurementChallenge.updateMany({
        where: { id: ch.id, complaintStatus: 'OPEN' },
        data: {
          complaintStatus: r.upheld ? 'UPHELD' : 'DISMISSED',
          complaintDecision: r.decision,
          suspendedUntil: input.suspendedUntil ? new Date(input.suspendedUntil) : null,
        },
      });
      const task = await tx.humanTask.findFirst({
        where: input.taskId ? { id: input.taskId } : { caseId: input.procurementId, kind: TASK_KINDS.procurementComplaint, status: 'OPEN' },
      });
      if (task)
        await completeTask(tx, task.id, r.actor, { challengeId: ch.id, upheld: r.upheld, suspendedUntil: input.suspendedUntil ?? null });
      await notify(tx, {
        dedupeKey: `${ch.id}:complaint-decided`,
        institutionId: ch.institutionId,
        kind: 'COMPLAINT_DECIDED',
        caseType: PROCUREMENT_CASE_TYPE,
        caseId: input.procurementId,
        message: `The finance department ${r.upheld ? 'upheld' : 'dismissed'} your complaint: ${r.decision}`,
        messageZh: `财政部门${r.upheld ? '认定投诉成立' : '驳回投诉'}：${r.decision}`,
      });
      await audit(
        tx,
        exec,
        input.procurementId,
        `complaint:${ch.id}:decision`,
        r.actor,
        r.upheld ? 'COMPLAINT_UPHELD' : 'COMPLAINT_DISMISSED',
        {
          challengeId: ch.id,
          suspendedUntil: input.suspendedUntil ?? null,
          remedy: r.remedy ?? null,
        },
        r.decision,
      );
      return task?.id;
    });
  }

  /** R9.7 an inquiry, kept, and the officer's task to answer it within 3 working days. */
  async recordInquiry(
    input: {
      procurementId: string;
      request: InquiryRequest;
      answerDueAt: string;
      dueProvisional: boolean;
      taskId: string;
    },
    exec: WorkflowExecution,
  ) {
    const p = await loadProcurement(this.db, input.procurementId);
    const r = input.request;
    await this.db.$transaction(async (tx) => {
      await tx.procurementInquiry.createMany({
        data: [
          {
            id: r.inquiryId,
            procurementId: p.id,
            institutionId: r.institutionId,
            text: r.text,
            askedBy: r.actor.userId,
            answerDueAt: new Date(input.answerDueAt),
          },
        ],
        skipDuplicates: true,
      });
      await openTask(tx, exec, {
        procurementId: p.id,
        regionCode: p.regionCode,
        taskId: input.taskId,
        kind: TASK_KINDS.procurementInquiry,
        role: 'procurement',
        title: `Answer an inquiry about "${p.title}" within 3 working days (R9.7)`,
        dueAt: input.answerDueAt,
        dueProvisional: input.dueProvisional,
      });
      await tx.procurementInquiry.updateMany({ where: { id: r.inquiryId }, data: { taskId: input.taskId } });
      await audit(tx, exec, p.id, `inquiry:${r.inquiryId}`, r.actor, 'INQUIRY_RECEIVED', { inquiryId: r.inquiryId });
    });
  }

  /** R9.7 the answer reaches the inquirer; the task closes. Returns the task id. */
  async recordInquiryAnswer(input: { procurementId: string; request: InquiryAnswerRequest }, exec: WorkflowExecution) {
    const r = input.request;
    return this.db.$transaction(async (tx) => {
      const q = await tx.procurementInquiry.findUniqueOrThrow({ where: { id: r.inquiryId } });
      await tx.procurementInquiry.updateMany({
        where: { id: q.id, answer: null },
        data: { answer: r.answer, answeredBy: r.actor.userId, answeredAt: new Date() },
      });
      if (q.taskId) await completeTask(tx, q.taskId, r.actor, { inquiryId: q.id });
      await notify(tx, {
        dedupeKey: `${q.id}:answered`,
        institutionId: q.institutionId,
        kind: 'INQUIRY_ANSWERED',
        caseType: PROCUREMENT_CASE_TYPE,
        caseId: input.procurementId,
        message: `Your inquiry was answered: ${r.answer}`,
        messageZh: `您的询问已答复：${r.answer}`,
      });
      await audit(tx, exec, input.procurementId, `inquiry:${q.id}:answer`, r.actor, 'INQUIRY_ANSWERED', { inquiryId: q.id });
      return q.taskId;
    });
  }

  /** R9.3 a round of revised quotations opens or closes; closing the final round fixes each valid bid's final price. */
  async recordQuotationRound(
    input: { procurementId: string; round: number; final: boolean; open: boolean; actor: Actor },
    exec: WorkflowExecution,
  ) {
    await this.db.$transaction(async (tx) => {
      if (!input.open && input.final) {
        await tx.$executeRaw`
          UPDATE "Bid" b SET "finalPriceFen" = COALESCE(
            (SELECT q."priceFen" FROM "Quotation" q WHERE q."bidId" = b."id" ORDER BY q."round" DESC LIMIT 1), b."priceFen")
          WHERE b."procurementId" = ${input.procurementId}::uuid AND b."status" = 'SUBMITTED' AND b."valid" = true`;
      }
      await audit(
        tx,
        exec,
        input.procurementId,
        `round:${input.round}:${input.open ? 'open' : 'closed'}`,
        input.actor,
        input.open ? 'QUOTATION_ROUND_OPENED' : 'QUOTATION_ROUND_CLOSED',
        { round: input.round, final: input.final },
      );
    });
  }

  /** R9.3 a bidder's revised quotation in the open round (one per round; a retry keeps the first). */
  async recordQuotation(input: { procurementId: string; round: number; request: QuotationRequest }, exec: WorkflowExecution) {
    const r = input.request;
    await this.db.$transaction(async (tx) => {
      await tx.quotation.createMany({
        data: [
          {
            procurementId: input.procurementId,
            bidId: r.bidId,
            round: input.round,
            priceFen: BigInt(r.pricePerPersonFen),
            submittedBy: r.actor.userId,
          },
        ],
        skipDuplicates: true,
      });
      await audit(tx, exec, input.procurementId, `quotation:${r.bidId}:${input.round}`, r.actor, 'QUOTATION_SUBMITTED', {
        bidId: r.bidId,
        round: input.round,
      });
    });
  }

  async closeProcurement(input: { procurementId: string; status: ProcurementStatus }, exec: WorkflowExecution) {
    await this.db.$transaction(async (tx) => {
      await tx.procurement.update({ where: { id: input.procurementId }, data: { status: input.status } });
      await audit(tx, exec, input.procurementId, 'closed', SYSTEM_ACTOR, `PROCUREMENT_${input.status}`);
    });
  }
}
