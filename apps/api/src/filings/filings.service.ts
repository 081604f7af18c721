// Filing applications: stored in PostgreSQL, driven by one filingWorkflow each.
import { Inject, Injectable } from '@nestjs/common';
import { Client, WorkflowExecutionAlreadyStartedError } from '@temporalio/client';
import { isUniqueViolation } from '../../../../repositories/errors';
import { FilingRepository } from '../../../../repositories/filing.repository';
import { InstitutionRepository, type InstitutionRow } from '../../../../repositories/institution.repository';
import {
  filingResubmitUpdate,
  filingWorkflowId,
  type FilingResubmissionResult,
  type FilingWorkflowInput,
} from '../../../../workflows/contracts/filing';
import { WORKFLOW_TYPES } from '../../../../workflows/contracts/common';
import type { filingWorkflow } from '../../../../workflows/filing.workflow';
import { normaliseScope } from '../../../../workflows/domain/scope';
import { ApiError, conflict, forbidden, notFound } from '../common/api-error';
import { decodeCursor, page } from '../common/pagination';
import { APP_CONFIG, type AppConfig } from '../../../../platform/config';
import { isStaffFor, requireAccess } from '../auth/access';
import type { AuthUser } from '../auth/auth';
import { TEMPORAL } from '../infra/infra.module';
import type { FilingApplicationDto, ListFilingsQuery } from './filing.dto';

@Injectable()
export class FilingsService {
  constructor(
    private readonly filings: FilingRepository,
    private readonly institutions: InstitutionRepository,
    @Inject(TEMPORAL) private readonly temporal: Client,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async create(user: AuthUser, dto: FilingApplicationDto) {
    if (!user.institutionId) {
      throw forbidden('Only an institution user (a token with an institution id) can file.', '只有培训机构用户可以提交备案申请。');
    }
    const application = { ...dto, scope: normaliseScope(dto.scope) };
    const institution = await this.institutionFor(user.institutionId, application);
    const open = await this.filings.openFilingOf(application.creditCode);
    if (open) {
      throw conflict(
        'FILING_ALREADY_OPEN',
        `This institution already has an open application (${open.id}).`,
        `该机构已有一份正在办理的备案申请（${open.id}）。`,
      );
    }
    const sequence = await this.filings.nextSequence(application.creditCode);
    const workflowId = filingWorkflowId(application.creditCode, sequence);
    let filing;
    try {
      filing = await this.filings.createFiling({
        institutionId: institution.id,
        creditCode: application.creditCode,
        sequence,
        workflowId,
        regionCode: application.regionCode,
        submittedBy: user.userId,
        application,
      });
    } catch (err) {
      if (isUniqueViolation(err)) {
        throw conflict('FILING_ALREADY_OPEN', 'This institution already has an open application.', '该机构已有一份正在办理的备案申请。');
      }
      throw err;
    }
    const input: FilingWorkflowInput = {
      filingId: filing.id,
      institutionId: institution.id,
      creditCode: application.creditCode,
      regionCode: application.regionCode,
      submittedBy: user,
    };
    try {
      await this.temporal.workflow.start<typeof filingWorkflow>(WORKFLOW_TYPES.filing, {
        workflowId,
        taskQueue: this.config.TEMPORAL_TASK_QUEUE,
        args: [input],
      });
    } catch (err) {
      // Nothing is left half-done: without its workflow the application is removed again.
      await this.filings.deleteFiling(filing.id);
      if (err instanceof WorkflowExecutionAlreadyStartedError) {
        throw conflict('FILING_ALREADY_OPEN', 'This institution already has an open application.', '该机构已有一份正在办理的备案申请。');
      }
      throw new ApiError(
        503,
        'WORKFLOW_UNAVAILABLE',
        'The workflow service is unavailable; nothing was filed, try again.',
        '流程服务暂不可用，申请未提交，请稍后重试。',
      );
    }
    return this.get(user, filing.id);
  }

  /** The institution behind an institution user's token, created on its first filing. */
  private async institutionFor(institutionId: string, app: FilingApplicationDto): Promise<InstitutionRow> {
    const byCode = await this.institutions.byCreditCode(app.creditCode);
    if (byCode && byCode.id !== institutionId) {
      throw forbidden('This credit code belongs to another institution.', '该统一社会信用代码属于其他机构。');
    }
    const existing = byCode ?? (await this.institutions.byId(institutionId));
    if (existing && existing.creditCode !== app.creditCode) {
      throw new ApiError(
        422,
        'CREDIT_CODE_MISMATCH',
        'The credit code differs from the one registered for your institution.',
        '统一社会信用代码与本机构登记的不一致。',
        [{ field: 'creditCode', problem: 'differs from the registered code', problemZh: '与登记的代码不一致' }],
      );
    }
    if (existing) return existing;
    try {
      return await this.institutions.register({
        id: institutionId,
        creditCode: app.creditCode,
        name: app.institutionName,
        type: app.institutionType,
        regionCode: app.regionCode,
      });
    } catch (err) {
      if (isUniqueViolation(err)) return this.institutionFor(institutionId, app);
      throw err;
    }
  }

  async resubmit(user: AuthUser, filingId: string, dto: FilingApplicationDto): Promise<FilingResubmissionResult> {
    const filing = await this.load(filingId);
    requireAccess(user, 'filing.resubmit', filing); // only the institution that filed
    if (dto.creditCode !== filing.creditCode) {
      throw new ApiError(
        422,
        'CREDIT_CODE_MISMATCH',
        'A resubmission keeps the credit code of the application.',
        '重新提交不能更改统一社会信用代码。',
        [{ field: 'creditCode', problem: 'differs from the application', problemZh: '与原申请不一致' }],
      );
    }
    if (filing.status !== 'RETURNED') {
      throw conflict(
        'CASE_STATE_CONFLICT',
        `Only a filing returned for amendment can be resubmitted; this one is ${filing.status}.`,
        '只有被退回补正的备案申请可以重新提交。',
      );
    }
    const handle = this.temporal.workflow.getHandle(filing.workflowId);
    return handle.executeUpdate(filingResubmitUpdate, {
      args: [{ actor: user, application: { ...dto, scope: normaliseScope(dto.scope) } }],
    });
  }

  async get(user: AuthUser, filingId: string) {
    const filing = await this.load(filingId);
    requireAccess(user, 'filing.read', filing);
    const { revisions, tasks, audit, institution } = await this.filings.filingRecord(filingId, filing.institutionId);
    return {
      id: filing.id,
      workflowId: filing.workflowId,
      status: filing.status,
      revision: filing.revision,
      institution: { id: institution.id, name: institution.name, creditCode: institution.creditCode, type: institution.type },
      regionCode: filing.regionCode,
      policyVersionIds: filing.policyVersionIds,
      reviewDueAt: filing.reviewDueAt,
      amendmentDueAt: filing.amendmentDueAt,
      amendmentDueProvisional: filing.amendmentDueProvisional,
      decisionReason: filing.decisionReason,
      grantedScope: filing.grantedScope,
      qualificationId: filing.qualificationId,
      createdAt: filing.createdAt,
      closedAt: filing.closedAt,
      revisions: revisions.map((r) => ({
        revision: r.revision,
        submittedAt: r.submittedAt,
        submittedBy: r.submittedBy,
        application: r.application,
        completenessProblems: r.completenessProblems,
      })),
      tasks: tasks.map((t) => ({
        id: t.id,
        kind: t.kind,
        role: t.role,
        status: t.status,
        dueAt: t.dueAt,
        dueProvisional: t.dueProvisional,
        escalated: t.escalated,
        completedBy: t.completedBy,
        completedAt: t.completedAt,
      })),
      audit: audit.map((a) => ({ at: a.at, actorId: a.actorId, action: a.action, reason: a.reason, runId: a.runId, details: a.details })),
    };
  }

  async list(user: AuthUser, q: ListFilingsQuery) {
    requireAccess(user, 'filing.read', q.region ? { regionCode: q.region } : undefined);
    const rows = await this.filings.list({
      scope: isStaffFor(user, 'filing.read') ? { regionCode: q.region ?? user.regionCode } : { institutionId: user.institutionId },
      status: q.status,
      after: decodeCursor(q.cursor),
      take: q.limit + 1,
    });
    return page(rows, q.limit, (f) => ({
      id: f.id,
      institutionName: f.institution.name,
      creditCode: f.creditCode,
      status: f.status,
      regionCode: f.regionCode,
      reviewDueAt: f.reviewDueAt,
      amendmentDueAt: f.amendmentDueAt,
      createdAt: f.createdAt,
    }));
  }

  private async load(filingId: string) {
    const filing = await this.filings.filing(filingId);
    if (!filing) throw notFound('Filing', '备案申请');
    return filing;
  }
}
