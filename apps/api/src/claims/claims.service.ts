// Subsidy claims: stored in PostgreSQL, driven by one claimWorkflow each.
import { Inject, Injectable } from '@nestjs/common';
import type { Client } from '@temporalio/client';
import { ClaimRepository } from '../../../../repositories/claim.repository';
import { claimWorkflowId, type ClaimWorkflowInput } from '../../../../workflows/contracts/claim';
import { WORKFLOW_TYPES } from '../../../../workflows/contracts/common';
import type { claimWorkflow } from '../../../../workflows/claim.workflow';
import { fenNumber } from '../../../../workflows/domain/ledger-rules';
import { maskResidentId } from '../../../../workflows/domain/resident-id';
import { trainingFinished } from '../../../../workflows/domain/qualification-rules';
import { ApiError, conflict, notFound } from '../common/api-error';
import { decodeCursor, page } from '../common/pagination';
import { APP_CONFIG, type AppConfig } from '../../../../platform/config';
import { isStaffFor, requireAccess } from '../auth/access';
import type { AuthUser } from '../auth/auth';
import { FULL_RESIDENT_ID_ROLES, hasRole } from '../../../../workflows/contracts/common';
import { TEMPORAL } from '../infra/infra.module';
import type { CreateClaimDto, ListClaimsQuery } from './claim.dto';

const SUPPLEMENTARY = ['CERTIFICATE', 'POOR_LABOURER']; // may be claimed on any class besides its own category

@Injectable()
export class ClaimsService {
  constructor(
    private readonly claims: ClaimRepository,
    @Inject(TEMPORAL) private readonly temporal: Client,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async create(user: AuthUser, dto: CreateClaimDto) {
    const cls = await this.claims.classToClaim(dto.classId);
    if (!cls) throw notFound('Class', '培训班');
    requireAccess(user, 'claim.create', { institutionId: cls.institutionId }); // only the institution that ran the class
    if (dto.category !== cls.category && !SUPPLEMENTARY.includes(dto.category)) {
      throw new ApiError(
        422,
        'CATEGORY_MISMATCH',
        `This class is a ${cls.category} class; claim that category, CERTIFICATE or POOR_LABOURER.`,
        '补贴类别须与培训班类别一致（或为证书补贴、生活费补贴）。',
        [{ field: 'category', problem: `class category is ${cls.category}`, problemZh: '与培训班类别不一致' }],
      );
    }
    const endDate = cls.endDate.toISOString().slice(0, 10);
    if (!trainingFinished(endDate, new Date())) {
      throw new ApiError(
        422,
        'TRAINING_NOT_FINISHED',
        `The class ends on ${endDate} (China time); claim after its last day.`,
        `该培训班 ${endDate} 结业，请在结业后申请补贴。`,
        [{ field: 'classId', problem: `the training ends on ${endDate}`, problemZh: `培训于 ${endDate} 结束` }],
      );
    }
    if (cls._count.enrolments === 0) throw new ApiError(422, 'EMPTY_ROSTER', 'The class has no roster yet.', '该培训班尚未上传花名册。');
    const open = await this.claims.openClaimOf(cls.id, dto.category);
    if (open)
      throw conflict(
        'CLAIM_EXISTS',
        `This class already has a ${dto.category} claim (${open.id}).`,
        `该培训班已有同类补贴申请（${open.id}）。`,
      );

    const id = crypto.randomUUID();
    const workflowId = claimWorkflowId(id);
    const commitment = dto.commitment
      ? { text: dto.commitment.text, signedBy: user.userId, signedAt: new Date().toISOString() }
      : undefined;
    await this.claims.createClaim({
      id,
      workflowId,
      classId: cls.id,
      institutionId: cls.institutionId,
      regionCode: cls.regionCode,
      category: dto.category,
      commitment,
      submittedBy: user.userId,
    });
    const input: ClaimWorkflowInput = {
      claimId: id,
      classId: cls.id,
      institutionId: cls.institutionId,
      regionCode: cls.regionCode,
      category: dto.category,
      withCommitment: !!commitment,
      submittedBy: user,
    };
    try {
      await this.temporal.workflow.start<typeof claimWorkflow>(WORKFLOW_TYPES.claim, {
        workflowId,
        taskQueue: this.config.TEMPORAL_TASK_QUEUE,
        args: [input],
      });
    } catch {
      await this.claims.deleteClaim(id);
      throw new ApiError(
        503,
        'WORKFLOW_UNAVAILABLE',
        'The workflow service is unavailable; nothing was claimed, try again.',
        '流程服务暂不可用，申请未提交，请稍后重试。',
      );
    }
    return this.get(user, id);
  }

  async get(user: AuthUser, id: string) {
    const claim = await this.claims.claimWithClass(id);
    if (!claim) throw notFound('Claim', '补贴申请');
    requireAccess(user, 'claim.read', claim);
    const { lines, tasks, audit, payments, objections, people } = await this.claims.claimRecord(id);
    const byId = new Map(people.map((p) => [p.id, p]));
    const fullIds = hasRole(user.roles, FULL_RESIDENT_ID_ROLES);
    return {
      id: claim.id,
      workflowId: claim.workflowId,
      status: claim.status,
      category: claim.category,
      class: {
        id: claim.class.id,
        occupationCode: claim.class.occupationCode,
        level: claim.class.level,
        startDate: claim.class.startDate,
        endDate: claim.class.endDate,
      },
      institutionId: claim.institutionId,
      regionCode: claim.regionCode,
      commitment: claim.commitment,
      regime: claim.regime, // R6.2 COMMITMENT (fast path) or FULL_REVIEW
      regimeReason: claim.regimeReason,
      policyVersionIds: claim.policyVersionIds,
      approvedFen: fenNumber(claim.approvedFen),
      paidFen: fenNumber(claim.paidFen),
      postingEndsAt: claim.postingEndsAt,
      postingEndsProvisional: claim.postingEndsProvisional,
      postAudit: claim.postAuditDraw,
      investigationFlag: claim.investigationFlag,
      createdAt: claim.createdAt,
      closedAt: claim.closedAt,
      lines: lines.map((l) => {
        const p = byId.get(l.traineeId);
        return {
          id: l.id,
          traineeId: l.traineeId,
          name: p?.name,
          residentId: p && (fullIds ? p.residentId : maskResidentId(p.residentId)),
          amountFen: fenNumber(l.amountFen),
          status: l.status,
          failures: l.failures,
          decisionReason: l.decisionReason,
          decidedBy: l.decidedBy,
          override: l.override,
        };
      }),
      tasks: tasks.map((t) => ({
        id: t.id,
        kind: t.kind,
        role: t.role,
        status: t.status,
        dueAt: t.dueAt,
        escalated: t.escalated,
        assignees: t.assignees,
        completedBy: t.completedBy,
      })),
      payments: payments.map((p) => ({
        id: p.id,
        kind: p.kind,
        at: p.createdAt,
        amountFen: fenNumber(p.entries.find((e) => e.amountFen > 0n)?.amountFen ?? 0n),
      })),
      objectionCount: objections.length,
      objections: objections.map((o) => ({
        id: o.id,
        status: o.status,
        text: o.text,
        lineIds: o.lineIds,
        taskId: o.taskId,
        resolution: o.resolution,
        resolvedBy: o.resolvedBy,
        upheldLineIds: o.upheldLineIds,
        createdAt: o.createdAt,
        resolvedAt: o.resolvedAt,
      })),
      audit: audit.map((a) => ({
        at: a.at,
        actorId: a.actorId,
        action: a.action,
        reason: a.reason,
        runId: a.runId,
        ...(a.action === 'CLAIM_LINES_OVERRIDDEN' ? { details: a.details } : {}),
      })),
    };
  }

  async list(user: AuthUser, q: ListClaimsQuery) {
    requireAccess(user, 'claim.read', q.region ? { regionCode: q.region } : undefined);
    const isStaff = isStaffFor(user, 'claim.read');
    const rows = await this.claims.list({
      scope: isStaff ? { regionCode: q.region ?? user.regionCode } : { institutionId: user.institutionId },
      status: q.status,
      after: decodeCursor(q.cursor),
      take: q.limit + 1,
    });
    return page(rows, q.limit, (c) => ({
      id: c.id,
      classId: c.classId,
      category: c.category,
      status: c.status,
      approvedFen: fenNumber(c.approvedFen),
      paidFen: fenNumber(c.paidFen),
      regionCode: c.regionCode,
      withCommitment: c.commitment !== null,
      createdAt: c.createdAt,
    }));
  }
}
