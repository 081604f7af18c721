// Competitive selection (R9): processes kept in PostgreSQL, each driven by one procurementWorkflow. The API
// checks what it can from the request (schedule, lots, weights, bans, requirements, ceiling), seals each bid as
// it comes in, and hands every step to the workflow as an Update, which decides whether it is in time.
import { Inject, Injectable } from '@nestjs/common';
import type { Client, WorkflowHandle } from '@temporalio/client';
import { randomUUID } from 'node:crypto';
import { CalendarRepository } from '../../../../repositories/calendar.repository';
import { InstitutionRepository } from '../../../../repositories/institution.repository';
import { requirementsOf } from '../../../../repositories/json';
import { PolicyRepository } from '../../../../repositories/policy.repository';
import { ProcurementRepository } from '../../../../repositories/procurement.repository';
import { ReferenceRepository } from '../../../../repositories/reference.repository';
import { sealBid } from '../../../../platform/sealed-bids';
import { WORKFLOW_TYPES, hasRole } from '../../../../workflows/contracts/common';
import {
  answerChallengeUpdate,
  answerInquiryUpdate,
  approveFailureUpdate,
  closeRoundUpdate,
  inquireUpdate,
  openRoundUpdate,
  quoteUpdate,
  bidUpdate,
  challengeUpdate,
  chooseAwardUpdate,
  clarifyUpdate,
  complaintUpdate,
  confirmBidUpdate,
  contractUpdate,
  decideComplaintUpdate,
  decideFailureUpdate,
  procurementStateQuery,
  procurementWorkflowId,
  publishUpdate,
  releaseSeatUpdate,
  scoreUpdate,
  withdrawBidUpdate,
  PROCUREMENT_METHOD_ZH,
  type Criterion,
  type LotSpec,
  type ProcurementSchedule,
  type ProcurementWorkflowInput,
} from '../../../../workflows/contracts/procurement';
import type { procurementWorkflow } from '../../../../workflows/procurement.workflow';
import { addDays, calendarFromData, shanghaiDate, startOfShanghaiDay } from '../../../../workflows/domain/calendar';
import { fenNumber } from '../../../../workflows/domain/ledger-rules';
import { evaluationWeightProblems } from '../../../../workflows/domain/procurement-evaluation';
import { lotProblems } from '../../../../workflows/domain/procurement-lot';
import { proposeSchedule, scheduleProblems } from '../../../../workflows/domain/procurement-schedule';
import { bidRefusals, missingRequirements, smeStatus } from '../../../../workflows/domain/supplier';
import { regionPrefix } from '../../../../workflows/domain/region';
import { ApiError, notFound } from '../common/api-error';
import { ocdsReleasePackage, type OcdsEventFact, type OcdsProcurementFacts } from './ocds';
import { decodeCursor, page } from '../common/pagination';
import { APP_CONFIG, type AppConfig } from '../../../../platform/config';
import { requireAccess } from '../auth/access';
import type { AuthUser } from '../auth/auth';
import { TEMPORAL } from '../infra/infra.module';
import type {
  BidDto,
  ChallengeDto,
  CreateProcurementDto,
  ExpertDto,
  FailureDecisionDto,
  ListProcurementsQuery,
  SupplierBanDto,
} from './procurement.dto';

/** 422 for a schedule the rules refuse, naming each rule and proposing the earliest valid schedule (R9.1/R9.3/R9.4). */
class ScheduleRefused extends ApiError {
  constructor(
    problems: ReturnType<typeof scheduleProblems>,
    private readonly proposal: ProcurementSchedule,
  ) {
    super(
      422,
      'SCHEDULE_TOO_SHORT',
      `The schedule breaks ${[...new Set(problems.map((p) => p.rule))].join(', ')}; the earliest valid schedule is proposed.`,
      `时间安排不符合 ${[...new Set(problems.map((p) => p.rule))].join('、')} 的规定，已给出最早的合规时间。`,
      problems.map((p) => ({
        field: `schedule.${p.field}`,
        problem: `${p.problem} (${p.rule}); earliest ${p.earliest}`,
        problemZh: `${p.problemZh}（${p.rule}）；最早 ${p.earliest}`,
      })),
    );
  }
  override body() {
    const b = super.body();
    return { error: { ...b.error, proposal: this.proposal } };
  }
}

/** A DATE column's day (stored at UTC midnight). */
const isoDay = (d: Date) => d.toISOString().slice(0, 10);

@Injectable()
export class ProcurementsService {
  constructor(
    private readonly procurements: ProcurementRepository,
    private readonly policies: PolicyRepository,
    private readonly reference: ReferenceRepository,
    private readonly institutions: InstitutionRepository,
    private readonly calendarVersions: CalendarRepository,
    @Inject(TEMPORAL) private readonly temporal: Client,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  private handle(id: string): WorkflowHandle<typeof procurementWorkflow> {
    return this.temporal.workflow.getHandle<typeof procurementWorkflow>(procurementWorkflowId(id));
  }

  private async load(id: string) {
    const p = await this.procurements.withLots(id);
    if (!p) throw notFound('Procurement', '采购项目');
    return p;
  }

  /** The procurement officer of the process's region (or above). */
  private async forOfficer(user: AuthUser, id: string) {
    const p = await this.load(id);
    requireAccess(user, 'procurement.act', { regionCode: p.regionCode });
    return p;
  }

  /** R9.9 the official calendar as the database holds it (the versions a bureau loaded), from a year before `at`. */
  private async calendar(at: Date) {
    return calendarFromData(await this.calendarVersions.calendarData(Number(shanghaiDate(at).slice(0, 4)) - 1));
  }

  private actor(user: AuthUser) {
    return {
      userId: user.userId,
      roles: user.roles,
      regionCode: user.regionCode,
      ...(user.institutionId ? { institutionId: user.institutionId } : {}),
    };
  }

  private async checkSchedule(method: CreateProcurementDto['method'], schedule: ProcurementSchedule, regionCode: string, at: Date) {
    const { parameters } = await this.policies.inForce(regionCode, at);
    const cal = await this.calendar(at);
    const problems = scheduleProblems(method, schedule, at, parameters.procurement, cal);
    if (problems.length) throw new ScheduleRefused(problems, proposeSchedule(method, schedule, at, parameters.procurement, cal));
  }

  /** POST /procurements: a draft process with its lots, checked against R2.4 and R9; its workflow starts. */
  async create(user: AuthUser, dto: CreateProcurementDto) {
    requireAccess(user, 'procurement.create', { regionCode: dto.regionCode });
    const now = new Date();
    const { parameters, versionIds } = await this.policies.inForce(dto.regionCode, now);
    const lots: LotSpec[] = dto.lots.map((l, i) => ({ ...l, number: i + 1 }));
    const problems = [
      ...lots.flatMap((l, i) => lotProblems(l, i, parameters.procurement)),
      ...evaluationWeightProblems(dto.method, dto.priceWeightPercent, dto.criteria as Criterion[], parameters.procurement),
    ];
    const occupations = await this.reference.occupationsIn(lots.map((l) => l.occupationCode));
    lots.forEach((l, i) => {
      if (!occupations.some((o) => o.code === l.occupationCode)) {
        problems.push({ field: `lots[${i}].occupationCode`, problem: 'not in the occupation catalogue', problemZh: '不在职业目录中' });
      }
      if (!regionPrefix(dto.regionCode) || !l.regionCode.startsWith(regionPrefix(dto.regionCode))) {
        problems.push({
          field: `lots[${i}].regionCode`,
          problem: 'a lot lies in the purchaser’s region',
          problemZh: '采购包须在采购人辖区内',
        });
      }
    });
    if (problems.length) {
      throw new ApiError(
        422,
        'INVALID_PROCUREMENT',
        'The lots or the evaluation weights break the rules (R2.4, R9).',
        '采购包或评审权重不符合规定（R2.4、R9）。',
        problems,
      );
    }
    await this.checkSchedule(dto.method, dto.schedule, dto.regionCode, now);

    const id = randomUUID();
    await this.procurements.createProcurement({
      id,
      title: dto.title,
      method: dto.method,
      regionCode: dto.regionCode,
      budgetFen: BigInt(dto.budgetFen),
      servicesPurchase: dto.servicesPurchase,
      complex: dto.complex,
      requirements: dto.requirements,
      criteria: dto.criteria,
      priceWeightPercent: dto.priceWeightPercent,
      tieRule: dto.tieRule,
      documentsFrom: new Date(dto.schedule.documentsFrom),
      documentsUntil: new Date(dto.schedule.documentsUntil),
      responseDeadline: new Date(dto.schedule.responseDeadline),
      policyVersionIds: versionIds,
      createdBy: user.userId,
      lots: {
        create: lots.map((l) => ({
          number: l.number,
          title: l.title,
          occupationCode: l.occupationCode,
          levels: l.levels,
          trainees: l.trainees,
          regionCode: l.regionCode,
          ceilingPricePerPersonFen: BigInt(l.ceilingPricePerPersonFen),
          serviceMonths: l.serviceMonths,
          serviceMonthsReason: l.serviceMonthsReason,
        })),
      },
    });
    const input: ProcurementWorkflowInput = {
      procurementId: id,
      method: dto.method,
      regionCode: dto.regionCode,
      lots: lots.map((l) => l.number),
      createdBy: this.actor(user),
    };
    await this.temporal.workflow.start<typeof procurementWorkflow>(WORKFLOW_TYPES.procurement, {
      workflowId: procurementWorkflowId(id),
      taskQueue: this.config.TEMPORAL_TASK_QUEUE,
      args: [input],
    });
    return this.get(user, id);
  }

  async list(user: AuthUser, q: ListProcurementsQuery) {
    requireAccess(user, 'procurement.list', { regionCode: user.regionCode });
    const rows = await this.procurements.list({
      regionCode: user.regionCode,
      status: q.status,
      method: q.method,
      after: decodeCursor(q.cursor),
      take: q.limit + 1,
    });
    return page(rows, q.limit, (p) => ({
      id: p.id,
      title: p.title,
      method: p.method,
      status: p.status,
      regionCode: p.regionCode,
      responseDeadline: p.responseDeadline,
    }));
  }

  /**
   * GET /procurements/:id. Everybody allowed sees the process, its lots and its public events; the officer and
   * supervisors its tasks, committee and challenges; an institution its own bids; a committee member the valid
   * bids to score. Nobody sees a bid's content before the opening: it is not even decrypted.
   */
  async get(user: AuthUser, id: string) {
    const p = await this.load(id);
    const as = requireAccess(user, 'procurement.read', { regionCode: p.regionCode });
    const staff = as === 'staff';
    const [state, { events, bids, seats, challenges, inquiries, quotations }] = await Promise.all([
      this.handle(id)
        .query(procurementStateQuery)
        .catch(() => undefined),
      this.procurements.record(id),
    ]);
    const mySeat = seats.find((s) => s.expert.userId === user.userId && hasRole(user.roles, ['evaluator']));
    const opened = p.openedAt !== null;
    const showBid = (b: (typeof bids)[number]) => ({
      id: b.id,
      lot: b.lot.number,
      institutionId: b.institutionId,
      institutionName: b.institution.name,
      status: b.status,
      needsReconfirmation: b.needsReconfirmation,
      sme: b.sme,
      smeDerived: b.smeDerived,
      submittedAt: b.submittedAt,
      // Sealed until the opening: the content exists only as ciphertext, shown to nobody.
      sealed: b.openedAt === null,
      ...(b.openedAt
        ? { openedAt: b.openedAt, pricePerPersonFen: fenNumber(b.priceFen!), valid: b.valid, invalidReasons: b.invalidReasons }
        : {}),
      ...(b.finalPriceFen !== null ? { finalPricePerPersonFen: fenNumber(b.finalPriceFen) } : {}),
    });
    const visibleBids = staff
      ? opened
        ? bids.filter((b) => b.status === 'SUBMITTED')
        : bids.filter((b) => b.status === 'SUBMITTED' || b.status === 'WITHDRAWN' || b.status === 'REPLACED')
      : user.institutionId
        ? bids.filter((b) => b.institutionId === user.institutionId)
        : mySeat && opened
          ? bids.filter((b) => b.status === 'SUBMITTED' && b.valid)
          : [];
    return {
      id: p.id,
      title: p.title,
      method: p.method,
      status: p.status,
      regionCode: p.regionCode,
      budgetFen: fenNumber(p.budgetFen),
      servicesPurchase: p.servicesPurchase,
      requirements: p.requirements,
      criteria: p.criteria,
      priceWeightPercent: p.priceWeightPercent,
      tieRule: p.tieRule,
      schedule: { documentsFrom: p.documentsFrom, documentsUntil: p.documentsUntil, responseDeadline: p.responseDeadline },
      publishedAt: p.publishedAt,
      openedAt: p.openedAt,
      followsId: p.followsId,
      invitedInstitutionIds: p.invitedInstitutionIds,
      lots: p.lots.map((l) => ({
        ...lotSpec(l),
        status: l.status,
        failureReasons: l.failureReasons,
        awardedBidId: l.awardedBidId,
        qualificationId: l.qualificationId,
        ...(staff ? { ranking: l.ranking } : {}),
        ...(user.institutionId && Array.isArray(l.ranking) && l.awardedAt
          ? {
              myResult:
                (l.ranking as { institutionId: string; rank: number; totalCentipoints: number }[]).find(
                  (r) => r.institutionId === user.institutionId,
                ) ?? null,
            }
          : {}),
      })),
      state: state
        ? {
            status: state.status,
            responseDeadline: state.responseDeadline,
            announcementEndsAt: state.announcementEndsAt,
            openTaskIds: staff ? state.openTaskIds : undefined,
            suspendedUntil: state.suspendedUntil,
            challengesBlockingSigning: state.challengesBlockingSigning,
          }
        : null,
      events: events.map((e) => ({ kind: e.kind, lot: e.lotNumber, at: e.at, details: e.details })),
      bids: visibleBids.map(showBid),
      ...(staff || mySeat
        ? {
            committee: seats.map((s) => ({
              expertId: s.expertId,
              name: s.expert.name,
              status: s.status,
              draw: s.draw,
              signed: s.signed,
              dissent: s.dissent,
              // A member sees only their own scores (R9.5); the officer sees all once every seat has scored.
              ...(s.expert.userId === user.userId || (staff && seats.every((x) => x.status !== 'DRAWN')) ? { scores: s.scores } : {}),
            })),
          }
        : {}),
      challenges: staff ? challenges : challenges.filter((c) => c.institutionId === user.institutionId),
      inquiries: staff ? inquiries : inquiries.filter((q) => q.institutionId === user.institutionId),
      negotiation: state?.negotiation ?? null,
      // R9.3 the panel and the officer follow every round; a bidder sees its own quotations.
      quotations: (staff || mySeat ? quotations : quotations.filter((q) => q.bid.institutionId === user.institutionId)).map((q) => ({
        bidId: q.bidId,
        round: q.round,
        pricePerPersonFen: fenNumber(q.priceFen),
        submittedAt: q.submittedAt,
      })),
    };
  }

  async publish(user: AuthUser, id: string, schedule?: ProcurementSchedule) {
    const p = await this.forOfficer(user, id);
    if (p.status !== 'DRAFT') throw new ApiError(409, 'CASE_STATE_CONFLICT', 'The process is already published.', '采购项目已发布。');
    const next = schedule ?? {
      documentsFrom: p.documentsFrom.toISOString(),
      documentsUntil: p.documentsUntil.toISOString(),
      responseDeadline: p.responseDeadline.toISOString(),
    };
    await this.checkSchedule(p.method, next, p.regionCode, new Date());
    if (schedule) {
      await this.procurements.reschedule(id, {
        documentsFrom: new Date(schedule.documentsFrom),
        documentsUntil: new Date(schedule.documentsUntil),
        responseDeadline: new Date(schedule.responseDeadline),
      });
    }
    await this.handle(id).executeUpdate(publishUpdate, { args: [{ actor: this.actor(user) }] });
    return this.get(user, id);
  }

  async clarify(user: AuthUser, id: string, body: { text: string; affectsResponses: boolean }) {
    await this.forOfficer(user, id);
    await this.handle(id).executeUpdate(clarifyUpdate, { args: [{ actor: this.actor(user), ...body }] });
    return this.get(user, id);
  }

  /**
   * POST /procurements/:id/lots/:lot/bids: refused with every reason (R9.8 bans, a major illegal record, the
   * requirements, the ceiling); otherwise sealed and stored, then taken by the workflow if before the deadline.
   */
  async bid(user: AuthUser, id: string, lotNumber: number, dto: BidDto) {
    requireAccess(user, 'bid.submit');
    const p = await this.load(id);
    const lot = p.lots.find((l) => l.number === lotNumber);
    if (!lot) throw notFound('Lot', '采购包');
    if (p.status === 'DRAFT') throw new ApiError(409, 'CASE_STATE_CONFLICT', 'The process is not published yet.', '采购项目尚未发布。');
    const institution = await this.procurements.supplierWithBans(user.institutionId!);
    if (!institution) throw notFound('Institution', '机构');
    if (p.invitedInstitutionIds.length > 0 && !p.invitedInstitutionIds.includes(institution.id)) {
      throw new ApiError(
        403,
        'NOT_INVITED',
        'Only the invited suppliers respond to this negotiation (R9.2).',
        '本次谈判仅限受邀供应商参加（R9.2）。',
      );
    }
    const now = new Date();
    const { parameters } = await this.policies.inForce(p.regionCode, p.createdAt);
    const required = requirementsOf(p.requirements);
    const refusals = bidRefusals(
      {
        at: now,
        financeBans: institution.supplierBans
          .filter((b) => b.kind === 'FINANCE_BAN')
          .map((b) => ({
            from: startOfShanghaiDay(isoDay(b.startsOn)).toISOString(),
            until: b.endsOn ? startOfShanghaiDay(addDays(isoDay(b.endsOn), 1)).toISOString() : null,
            reason: b.reason,
          })),
        majorIllegalRecords: institution.supplierBans
          .filter((b) => b.kind === 'MAJOR_ILLEGAL_RECORD')
          .map((b) => ({ decidedAt: startOfShanghaiDay(isoDay(b.startsOn)).toISOString(), description: b.reason })),
        trainingBlacklisted: false,
        missingRequirements: missingRequirements(required, Object.keys(dto.evidence)),
        pricePerPersonFen: dto.pricePerPersonFen,
        ceilingPricePerPersonFen: fenNumber(lot.ceilingPricePerPersonFen),
      },
      parameters.procurement,
      await this.calendar(now),
    );
    if (refusals.length) {
      const [first] = refusals;
      throw new ApiError(
        422,
        first.code,
        refusals.map((r) => r.message).join(' '),
        refusals.map((r) => r.messageZh).join(''),
        refusals.flatMap((r) => r.problems ?? [{ field: 'bid', problem: r.message, problemZh: r.messageZh }]),
      );
    }
    const sme = smeStatus(institution.creditCode, dto.sme);
    const bidId = randomUUID();
    const sealed = sealBid(
      this.config.BID_SEAL_SECRET,
      { procurementId: p.id, bidId, institutionId: institution.id, lotNumber },
      { pricePerPersonFen: dto.pricePerPersonFen, evidence: dto.evidence, technicalOffer: dto.technicalOffer },
    );
    await this.procurements.createBid({
      id: bidId,
      procurementId: p.id,
      lotId: lot.id,
      institutionId: institution.id,
      sme: sme.sme,
      smeDerived: sme.derived,
      sealed: new Uint8Array(sealed),
      submittedBy: user.userId,
    });
    try {
      await this.handle(id).executeUpdate(bidUpdate, {
        args: [{ actor: this.actor(user), bidId, lotNumber, institutionId: institution.id }],
      });
    } catch (err) {
      // Refused by the workflow (after the deadline, not yet published): kept as REFUSED, never opened.
      await this.procurements.refuseBid(bidId);
      throw err;
    }
    return { id: bidId, lot: lotNumber, status: 'SUBMITTED', sealed: true, sme: sme.sme, smeDerived: sme.derived, smeBasis: sme.basis };
  }

  private async ownBid(user: AuthUser, id: string, bidId: string) {
    const bid = await this.procurements.bid(bidId);
    if (!bid || bid.procurementId !== id) throw notFound('Bid', '投标');
    requireAccess(user, 'bid.change', { institutionId: bid.institutionId });
    return bid;
  }

  async withdrawBid(user: AuthUser, id: string, bidId: string) {
    const bid = await this.ownBid(user, id, bidId);
    await this.handle(id).executeUpdate(withdrawBidUpdate, {
      args: [{ actor: this.actor(user), bidId, institutionId: bid.institutionId }],
    });
    return { id: bidId, status: 'WITHDRAWN' };
  }

  async confirmBid(user: AuthUser, id: string, bidId: string) {
    const bid = await this.ownBid(user, id, bidId);
    await this.handle(id).executeUpdate(confirmBidUpdate, { args: [{ actor: this.actor(user), bidId, institutionId: bid.institutionId }] });
    return { id: bidId, status: 'SUBMITTED', needsReconfirmation: false };
  }

  async score(user: AuthUser, id: string, body: { scores: Record<string, Record<string, number>>; sign: boolean; dissent?: string }) {
    await this.load(id);
    await this.handle(id).executeUpdate(scoreUpdate, { args: [{ actor: this.actor(user), ...body }] });
    return this.get(user, id);
  }

  async releaseSeat(user: AuthUser, id: string, expertId: string, body: { reason: 'RECUSED' | 'ABSENT'; note: string }) {
    const p = await this.load(id);
    if (user.roles.includes('procurement')) requireAccess(user, 'procurement.act', { regionCode: p.regionCode });
    await this.handle(id).executeUpdate(releaseSeatUpdate, { args: [{ actor: this.actor(user), expertId, ...body }] });
    return this.get(user, id);
  }

  async chooseAward(user: AuthUser, id: string, lotNumber: number, bidId: string) {
    await this.forOfficer(user, id);
    await this.handle(id).executeUpdate(chooseAwardUpdate, { args: [{ actor: this.actor(user), lotNumber, bidId }] });
    return this.get(user, id);
  }

  async decideFailure(user: AuthUser, id: string, lotNumber: number, dto: FailureDecisionDto) {
    const p = await this.forOfficer(user, id);
    const method = dto.choice === 'NEGOTIATE_WITH_TWO' ? 'COMPETITIVE_NEGOTIATION' : (dto.method ?? p.method);
    if (dto.choice === 'SWITCH_METHOD' && method === p.method) {
      throw new ApiError(422, 'INVALID_DECISION', 'A switch of method names another method.', '变更采购方式须选择其他采购方式。', [
        { field: 'method', problem: `not ${p.method}`, problemZh: '须与原采购方式不同' },
      ]);
    }
    await this.checkSchedule(method, dto.schedule, p.regionCode, new Date());
    await this.handle(id).executeUpdate(decideFailureUpdate, { args: [{ actor: this.actor(user), lotNumber, ...dto, method }] });
    return this.get(user, id);
  }

  async approveFailure(user: AuthUser, id: string, lotNumber: number, body: { approve: boolean; reason: string }) {
    const p = await this.load(id);
    requireAccess(user, 'procurement.supervise', { regionCode: p.regionCode });
    await this.handle(id).executeUpdate(approveFailureUpdate, { args: [{ actor: this.actor(user), lotNumber, ...body }] });
    return this.get(user, id);
  }

  async contract(user: AuthUser, id: string, lotNumber: number, body: { sign: boolean; reason?: string }) {
    requireAccess(user, 'procurement.contract', { institutionId: user.institutionId });
    await this.load(id);
    await this.handle(id).executeUpdate(contractUpdate, {
      args: [{ actor: this.actor(user), lotNumber, institutionId: user.institutionId!, ...body }],
    });
    return this.get(user, id);
  }

  async challenge(user: AuthUser, id: string, dto: ChallengeDto) {
    requireAccess(user, 'procurement.challenge');
    await this.load(id);
    const challengeId = randomUUID();
    await this.handle(id).executeUpdate(challengeUpdate, {
      args: [{ actor: this.actor(user), challengeId, institutionId: user.institutionId!, ...dto }],
    });
    return this.procurements.challengeOrThrow(challengeId);
  }

  private async challengeOf(id: string, challengeId: string) {
    const ch = await this.procurements.challenge(challengeId);
    if (!ch || ch.procurementId !== id) throw notFound('Challenge', '质疑');
    return ch;
  }

  async answerChallenge(
    user: AuthUser,
    id: string,
    challengeId: string,
    body: { upheld: boolean; answer: string; remedy?: 'REEVALUATE' | 'NEXT_RANKED' },
  ) {
    await this.forOfficer(user, id);
    await this.challengeOf(id, challengeId);
    await this.handle(id).executeUpdate(answerChallengeUpdate, { args: [{ actor: this.actor(user), challengeId, ...body }] });
    return this.challengeOf(id, challengeId);
  }

  async complain(user: AuthUser, id: string, challengeId: string, text: string) {
    requireAccess(user, 'procurement.challenge');
    await this.challengeOf(id, challengeId);
    await this.handle(id).executeUpdate(complaintUpdate, {
      args: [{ actor: this.actor(user), challengeId, institutionId: user.institutionId!, text }],
    });
    return this.challengeOf(id, challengeId);
  }

  async decideComplaint(
    user: AuthUser,
    id: string,
    challengeId: string,
    body: { upheld: boolean; decision: string; suspendDays?: number; remedy?: 'REEVALUATE' | 'NEXT_RANKED' },
  ) {
    const p = await this.load(id);
    requireAccess(user, 'procurement.supervise', { regionCode: p.regionCode });
    await this.challengeOf(id, challengeId);
    await this.handle(id).executeUpdate(decideComplaintUpdate, { args: [{ actor: this.actor(user), challengeId, ...body }] });
    return this.challengeOf(id, challengeId);
  }

  /** R9.7 an inquiry (询问) by a supplier, answered within 3 working days. */
  async inquire(user: AuthUser, id: string, text: string) {
    requireAccess(user, 'procurement.challenge');
    await this.load(id);
    const inquiryId = randomUUID();
    await this.handle(id).executeUpdate(inquireUpdate, {
      args: [{ actor: this.actor(user), inquiryId, institutionId: user.institutionId!, text }],
    });
    return this.procurements.inquiryOrThrow(inquiryId);
  }

  async answerInquiry(user: AuthUser, id: string, inquiryId: string, answer: string) {
    await this.forOfficer(user, id);
    const q = await this.procurements.inquiry(inquiryId);
    if (!q || q.procurementId !== id) throw notFound('Inquiry', '询问');
    await this.handle(id).executeUpdate(answerInquiryUpdate, { args: [{ actor: this.actor(user), inquiryId, answer }] });
    return this.procurements.inquiryOrThrow(inquiryId);
  }

  /** R9.3 the officer opens a round of revised quotations (the final one decides), then closes it. */
  async openRound(user: AuthUser, id: string, final: boolean) {
    await this.forOfficer(user, id);
    await this.handle(id).executeUpdate(openRoundUpdate, { args: [{ actor: this.actor(user), final }] });
    return this.get(user, id);
  }

  async closeRound(user: AuthUser, id: string) {
    await this.forOfficer(user, id);
    await this.handle(id).executeUpdate(closeRoundUpdate, { args: [{ actor: this.actor(user) }] });
    return this.get(user, id);
  }

  async quote(user: AuthUser, id: string, bidId: string, pricePerPersonFen: number) {
    const bid = await this.ownBid(user, id, bidId);
    await this.handle(id).executeUpdate(quoteUpdate, {
      args: [{ actor: this.actor(user), bidId, institutionId: bid.institutionId, pricePerPersonFen }],
    });
    return { bidId, pricePerPersonFen };
  }

  /** POST /experts: the evaluation expert pool (R9.5) kept by procurement staff. */
  async addExpert(user: AuthUser, dto: ExpertDto) {
    requireAccess(user, 'expert.write', { regionCode: dto.regionCode });
    const exists = await this.procurements.expertByUser(dto.userId);
    if (exists) throw new ApiError(409, 'EXPERT_EXISTS', 'This user is already in the expert pool.', '该用户已在专家库中。');
    const expert = await this.procurements.addExpert(dto, user);
    return expert;
  }

  /** R9.5 (Regs 9) an expert declares a relationship with an institution: excluded from its processes for 3 years. */
  async declareRelationship(user: AuthUser, expertId: string, body: { institutionId: string; nature: string; endedOn?: string }) {
    const expert = await this.procurements.expert(expertId);
    if (!expert) throw notFound('Expert', '专家');
    if (expert.userId !== user.userId) requireAccess(user, 'expert.write', { regionCode: expert.regionCode });
    const institution = await this.institutions.byId(body.institutionId);
    if (!institution) throw notFound('Institution', '机构');
    return this.procurements.declareRelationship(expertId, body, user);
  }

  /** R9.8 a finance-department ban or a major illegal record, checked when bids come in. */
  async recordBan(user: AuthUser, dto: SupplierBanDto) {
    requireAccess(user, 'procurement.supervise', { regionCode: user.regionCode });
    const institution = await this.institutions.byId(dto.institutionId);
    if (!institution) throw notFound('Institution', '机构');
    return this.procurements.recordBan(dto, user);
  }
}

/** What a lot is (包, R2.4), as the documents publish it: the same for staff, bidders, the public and OCDS. */
function lotSpec(l: {
  number: number;
  title: string;
  occupationCode: string;
  levels: string[];
  trainees: number;
  regionCode: string;
  ceilingPricePerPersonFen: bigint;
  serviceMonths: number;
}) {
  return {
    number: l.number,
    title: l.title,
    occupationCode: l.occupationCode,
    levels: l.levels,
    trainees: l.trainees,
    regionCode: l.regionCode,
    ceilingPricePerPersonFen: fenNumber(l.ceilingPricePerPersonFen),
    serviceMonths: l.serviceMonths,
  };
}

/** Event kinds the public sees (R9.6 announcements; the opening shows only the counts). */
const PUBLIC_EVENTS = ['TENDER', 'AMENDMENT', 'LOT_OPENED', 'FAILURE', 'AWARD', 'AWARD_CANCELLED', 'CONTRACT', 'FOLLOWED_BY'];

/**
 * What the public may know of processes (no token): notices, amendments, results and failures, and each process
 * as an OCDS 1.1 release package. Drafts are not public; bids' contents never are, only the opening's counts.
 */
@Injectable()
export class PublicProcurementsService {
  constructor(
    private readonly procurements: ProcurementRepository,
    private readonly reference: ReferenceRepository,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async list(q: { limit: number; cursor?: string; region?: string }) {
    const rows = await this.procurements.publicList({ regionCode: q.region, after: decodeCursor(q.cursor), take: q.limit + 1 });
    return page(rows, q.limit, (p) => ({
      id: p.id,
      title: p.title,
      method: p.method,
      methodZh: PROCUREMENT_METHOD_ZH[p.method],
      status: p.status,
      regionCode: p.regionCode,
      publishedAt: p.publishedAt,
      responseDeadline: p.responseDeadline,
      lots: p.lots.map((l) => ({ number: l.number, title: l.title, status: l.status })),
    }));
  }

  private async load(id: string) {
    const p = await this.procurements.withEvents(id);
    if (!p || p.status === 'DRAFT') throw notFound('Procurement', '采购项目');
    return p;
  }

  async get(id: string) {
    const p = await this.load(id);
    return {
      id: p.id,
      title: p.title,
      method: p.method,
      methodZh: PROCUREMENT_METHOD_ZH[p.method],
      status: p.status,
      regionCode: p.regionCode,
      budgetFen: fenNumber(p.budgetFen),
      requirements: p.requirements,
      criteria: p.criteria,
      priceWeightPercent: p.priceWeightPercent,
      schedule: { documentsFrom: p.documentsFrom, documentsUntil: p.documentsUntil, responseDeadline: p.responseDeadline },
      publishedAt: p.publishedAt,
      openedAt: p.openedAt,
      follows: p.follows,
      followedBy: p.followedBy,
      lots: p.lots.map((l) => ({
        ...lotSpec(l),
        status: l.status,
        failureReasons: l.failureReasons,
      })),
      notices: p.events
        .filter((e) => PUBLIC_EVENTS.includes(e.kind))
        .map((e) => ({ kind: e.kind, lot: e.lotNumber, at: e.at, details: e.details })),
    };
  }

  /** The process as an OCDS 1.1 release package: one release per published event. */
  async ocds(id: string, baseUrl: string) {
    const p = await this.load(id);
    const region = await this.reference.region(p.regionCode);
    const bids = p.openedAt ? await this.procurements.submittedBids(id) : [];
    const cancelled = new Set(p.events.filter((e) => e.kind === 'AWARD_CANCELLED').map((e) => (e.details as { bidId: string }).bidId));
    const awardEvents = p.events.filter((e) => e.kind === 'AWARD' && !cancelled.has((e.details as { bidId: string }).bidId));
    const awards = awardEvents.map((e) => {
      const d = e.details as { institutionId: string; pricePerPersonFen: number; trainees: number };
      return {
        id: e.id,
        lot: e.lotNumber!,
        institutionId: d.institutionId,
        pricePerPersonFen: d.pricePerPersonFen,
        trainees: d.trainees,
        date: e.at.toISOString(),
      };
    });
    const contracts = p.events
      .filter((e) => e.kind === 'CONTRACT')
      .map((e) => {
        const d = e.details as { valueFen: number; start: string; end: string };
        const award = awards.find((a) => a.lot === e.lotNumber)!;
        return {
          id: e.id,
          awardId: award.id,
          lot: e.lotNumber!,
          signedAt: e.at.toISOString(),
          valueFen: d.valueFen,
          period: { start: d.start, end: d.end },
        };
      });
    const schedule = (s: { documentsFrom: Date; documentsUntil: Date; responseDeadline: Date }): ProcurementSchedule => ({
      documentsFrom: s.documentsFrom.toISOString(),
      documentsUntil: s.documentsUntil.toISOString(),
      responseDeadline: s.responseDeadline.toISOString(),
    });
    const firstDeadline = p.events.find((e) => e.kind === 'TENDER')?.details as { responseDeadline?: string } | undefined;
    const published = { ...schedule(p), responseDeadline: firstDeadline?.responseDeadline ?? p.responseDeadline.toISOString() };
    const events: OcdsEventFact[] = [];
    for (const e of p.events) {
      const at = e.at.toISOString();
      switch (e.kind) {
        case 'PLANNING':
          events.push({ id: e.id, at, kind: 'PLANNING' });
          break;
        case 'TENDER':
          events.push({ id: e.id, at, kind: 'TENDER', schedule: published });
          break;
        case 'AMENDMENT': {
          const d = e.details as { text: string; newDeadline: string | null };
          events.push({
            id: e.id,
            at,
            kind: 'AMENDMENT',
            details: d.text,
            ...(d.newDeadline ? { schedule: { ...published, responseDeadline: d.newDeadline } } : {}),
          });
          break;
        }
        case 'FAILURE': {
          const d = e.details as { reasons: { messageZh: string }[] };
          events.push({
            id: e.id,
            at,
            kind: 'CANCELLATION',
            outcome: 'FAILED',
            lot: e.lotNumber ?? undefined,
            details: d.reasons.map((r) => r.messageZh).join('；'),
          });
          break;
        }
        case 'AWARD':
          if (awardEvents.includes(e)) events.push({ id: e.id, at, kind: 'AWARD', lot: e.lotNumber ?? undefined });
          break;
        case 'CONTRACT':
          events.push({ id: e.id, at, kind: 'CONTRACT', lot: e.lotNumber ?? undefined });
          break;
      }
    }
    const stats = p.events
      .filter((e) => e.kind === 'LOT_OPENED' || e.kind === 'FAILURE')
      .filter((e) => (e.details as { bids?: number }).bids !== undefined)
      .map((e) => {
        const d = e.details as { bids: number; validBids: number; smeBids: number };
        return { lot: e.lotNumber!, bids: d.bids, validBids: d.validBids, smeBids: d.smeBids };
      });
    const suppliers = [
      ...new Map(
        bids.map((b) => [
          b.institutionId,
          { institutionId: b.institutionId, name: b.institution.name, creditCode: b.institution.creditCode },
        ]),
      ).values(),
    ];
    const facts: OcdsProcurementFacts = {
      id: p.id,
      title: p.title,
      method: p.method,
      ...(p.follows && p.method !== 'OPEN_TENDER' ? { methodRationale: 'R9.2 公开招标失败后经财政部门批准变更采购方式' } : {}),
      budgetFen: fenNumber(p.budgetFen),
      buyer: { id: `CN-HRSS-${p.regionCode}`, name: `${region?.nameZh ?? p.regionCode}人力资源和社会保障局`, regionCode: p.regionCode },
      schedule: published,
      ...(p.openedAt ? { openedAt: p.openedAt.toISOString() } : {}),
      lots: p.lots.map(lotSpec),
      suppliers,
      bidStatistics: stats,
      events,
      awards,
      contracts,
      relatedProcesses: [
        ...(p.follows ? [{ procurementId: p.follows.id, relationship: 'RERUN_OF' as const, title: p.follows.title }] : []),
        ...p.followedBy.map((f) => ({ procurementId: f.id, relationship: 'RERUN_BY' as const, title: f.title })),
      ],
    };
    return ocdsReleasePackage(facts, {
      ocidPrefix: this.config.OCDS_OCID_PREFIX,
      uri: `${baseUrl}/public/procurements/${p.id}/ocds`,
      publishedDate: (p.events[p.events.length - 1]?.at ?? p.createdAt).toISOString(),
      publisherName: '山西省人力资源和社会保障厅 skillflow',
    });
  }
}
