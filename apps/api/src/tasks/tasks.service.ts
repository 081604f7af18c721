// The inbox of the caller's roles and region. A decision goes to the task's workflow as an Update; the
// workflow's validator refuses an invalid one synchronously and nothing changes.
import { Inject, Injectable } from '@nestjs/common';
import type { Client } from '@temporalio/client';
import { TaskRepository, type HumanTaskRow } from '../../../../repositories/task.repository';
import {
  CLAIM_CASE_TYPE,
  claimDecisionUpdate,
  inspectionReportUpdate,
  inspectionTeamUpdate,
  objectionResolutionUpdate,
} from '../../../../workflows/contracts/claim';
import { CATALOGUE_CASE_TYPE, catalogueDecisionUpdate } from '../../../../workflows/contracts/catalogue';
import { FILING_CASE_TYPE, filingDecisionUpdate } from '../../../../workflows/contracts/filing';
import { claimDecisionSchema, inspectionReportSchema, inspectionTeamSchema, objectionResolutionSchema } from '../claims/claim.dto';
import { normaliseScope } from '../../../../workflows/domain/scope';
import { ApiError, conflict, notFound } from '../common/api-error';
import { decodeCursor, page } from '../common/pagination';
import { ZodPipe } from '../common/zod';
import { requireAccess } from '../auth/access';
import { assertRegion, type AuthUser } from '../auth/auth';
import { TEMPORAL } from '../infra/infra.module';
import { catalogueDecisionSchema, filingDecisionSchema, type ListTasksQuery } from './task.dto';
import { CLAIM_REVIEW_KINDS, TASK_KINDS } from '../../../../workflows/contracts/tasks';

type Task = HumanTaskRow;

@Injectable()
export class TasksService {
  constructor(
    private readonly tasks: TaskRepository,
    @Inject(TEMPORAL) private readonly temporal: Client,
  ) {}

  async list(user: AuthUser, q: ListTasksQuery) {
    if (q.region) assertRegion(user, q.region);
    const rows = await this.tasks.inbox({
      roles: user.roles,
      userId: user.userId,
      regionCode: q.region ?? user.regionCode,
      status: q.status,
      kind: q.kind,
      overdue: q.overdue,
      after: decodeCursor(q.cursor),
      take: q.limit + 1,
    });
    return page(rows, q.limit, toDto);
  }

  async get(user: AuthUser, id: string) {
    return toDto(await this.loadVisible(user, id));
  }

  async decide(user: AuthUser, id: string, body: unknown) {
    const task = await this.loadVisible(user, id);
    if (task.status !== 'OPEN') {
      throw conflict('TASK_NOT_OPEN', `This task is ${task.status.toLowerCase()}.`, '该任务已处理或已取消。');
    }
    const handle = this.temporal.workflow.getHandle(task.workflowId);
    switch (task.caseType) {
      case FILING_CASE_TYPE: {
        const decision = new ZodPipe(filingDecisionSchema).transform(body);
        if (decision.outcome === 'APPROVE') decision.grantedScope = normaliseScope(decision.grantedScope);
        return handle.executeUpdate(filingDecisionUpdate, { args: [{ taskId: task.id, actor: user, decision }] });
      }
      case CLAIM_CASE_TYPE: {
        if ((CLAIM_REVIEW_KINDS as readonly string[]).includes(task.kind)) {
          const { lines } = new ZodPipe(claimDecisionSchema).transform(body);
          return handle.executeUpdate(claimDecisionUpdate, { args: [{ taskId: task.id, actor: user, lines }] });
        }
        if (task.kind === TASK_KINDS.claimObjection) {
          const r = new ZodPipe(objectionResolutionSchema).transform(body);
          return handle.executeUpdate(objectionResolutionUpdate, { args: [{ taskId: task.id, actor: user, ...r }] });
        }
        if (task.kind === TASK_KINDS.claimInspection) {
          const r = new ZodPipe(inspectionReportSchema).transform(body);
          return handle.executeUpdate(inspectionReportUpdate, { args: [{ taskId: task.id, actor: user, ...r }] });
        }
        if (task.kind === TASK_KINDS.claimInspectionTeam) {
          // R10.3 only registered, active inspectors; the workflow refuses deciders of the claim and a short team.
          const { inspectors } = new ZodPipe(inspectionTeamSchema).transform(body);
          const known = await this.tasks.activeInspectors(inspectors);
          const unknown = inspectors.filter((u) => !known.some((k) => k.userId === u));
          if (unknown.length)
            throw new ApiError(
              422,
              'INVALID_DECISION',
              'Name active inspectors only.',
              '只能指派在册的检查人员。',
              unknown.map((u) => ({ field: 'inspectors', problem: `${u} is not an active inspector`, problemZh: `${u} 不是在册检查人员` })),
            );
          return handle.executeUpdate(inspectionTeamUpdate, { args: [{ taskId: task.id, actor: user, inspectors }] });
        }
        throw new ApiError(422, 'UNSUPPORTED_TASK', 'This kind of task takes no decision here.', '此类任务不能在此处决定。');
      }
      case CATALOGUE_CASE_TYPE: {
        const d = new ZodPipe(catalogueDecisionSchema).transform(body);
        return handle.executeUpdate(catalogueDecisionUpdate, { args: [{ taskId: task.id, actor: user, ...d }] });
      }
      default:
        throw new ApiError(422, 'UNSUPPORTED_TASK', 'This kind of task takes no decision here.', '此类任务不能在此处决定。');
    }
  }

  private async loadVisible(user: AuthUser, id: string): Promise<Task> {
    const task = await this.tasks.task(id);
    if (!task) throw notFound('Task', '任务');
    requireAccess(user, 'task.act', { role: task.role, assignees: task.assignees, regionCode: task.regionCode });
    return task;
  }
}

function toDto(t: Task) {
  return {
    id: t.id,
    kind: t.kind,
    title: t.title,
    caseType: t.caseType,
    caseId: t.caseId,
    role: t.role,
    regionCode: t.regionCode,
    status: t.status,
    dueAt: t.dueAt,
    /** R9.9: computed over days no calendar version covers (Mon–Fri); recomputed when one arrives */
    dueProvisional: t.dueProvisional,
    overdue: t.status === 'OPEN' && t.dueAt !== null && t.dueAt.getTime() < Date.now(),
    escalated: t.escalated,
    escalatedFromId: t.escalatedFromId,
    assignees: t.assignees,
    createdAt: t.createdAt,
    completedAt: t.completedAt,
    completedBy: t.completedBy,
    outcome: t.outcome,
  };
}
