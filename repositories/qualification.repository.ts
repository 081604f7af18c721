// The qualification repository (培训资质, R2.3): who may deliver which subsidised training. Created by an approved
// filing (or, later, a procurement award), then kept by the institution's entity workflow: reminder, expiry,
// suspension, revocation.
import type { Db, Prisma } from '../prisma/client';
import type { Actor } from '../workflows/contracts/common';
import type { QualificationStatus } from '../workflows/contracts/institution';
import { regionPrefix } from '../workflows/domain/region';
import type { ScopeItem } from '../workflows/domain/scope';
import { appendAudit, notify, type WorkflowExecution } from './audit.repository';
import { RecordNotFoundError } from './errors';
import { afterCursor, type Cursor } from './pagination';

const QUALIFICATION_CASE_TYPE = 'QUALIFICATION';

export type QualificationRow = Prisma.QualificationGetPayload<object>;
export type QualificationWithInstitution = Prisma.QualificationGetPayload<{ include: { institution: true } }>;

export class QualificationRepository {
  constructor(private readonly db: Db) {}

  /** A page of qualifications in (createdAt, id) order; every filter given narrows it (`regionCode`: that region and below). */
  list(f: {
    /** an institution user's own institution */
    ownInstitutionId?: string;
    institutionId?: string;
    regionCode?: string;
    status?: 'ACTIVE' | 'SUSPENDED' | 'REVOKED' | 'EXPIRED';
    after?: Cursor;
    take: number;
  }): Promise<QualificationWithInstitution[]> {
    return this.db.qualification.findMany({
      where: {
        AND: [
          { institutionId: f.ownInstitutionId },
          f.regionCode ? { regionCode: { startsWith: regionPrefix(f.regionCode) } } : {},
          f.status ? { status: f.status } : {},
          f.institutionId ? { institutionId: f.institutionId } : {},
          afterCursor(f.after),
        ],
      },
      include: { institution: true },
      orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
      take: f.take,
    });
  }

  qualification(id: string) {
    return this.db.qualification.findUnique({ where: { id } });
  }

  withInstitution(id: string): Promise<QualificationWithInstitution | null> {
    return this.db.qualification.findUnique({ where: { id }, include: { institution: true } });
  }

  /** Creates the qualification of an approved filing; a retry finds the one already made. */
  async grantFilingQualification(
    input: {
      filingId: string;
      scope: ScopeItem[];
      validFrom: string;
      validTo: string;
      actor: Actor;
    },
    exec: WorkflowExecution,
  ): Promise<{ qualificationId: string; institutionId: string; creditCode: string }> {
    const { workflowId, runId } = exec;
    const filing = await this.db.filing.findUnique({ where: { id: input.filingId } });
    if (!filing) throw new RecordNotFoundError('Filing', input.filingId);
    const qualification = await this.db.$transaction(async (tx) => {
      const q = await tx.qualification.upsert({
        where: { route_sourceId: { route: 'FILING', sourceId: filing.id } },
        update: {},
        create: {
          institutionId: filing.institutionId,
          route: 'FILING',
          sourceId: filing.id,
          regionCode: filing.regionCode,
          scope: input.scope as unknown as Prisma.InputJsonValue,
          validFrom: new Date(input.validFrom),
          validTo: new Date(input.validTo),
        },
      });
      await tx.filing.update({ where: { id: filing.id }, data: { qualificationId: q.id } });
      await appendAudit(tx, {
        dedupeKey: `qualification:${q.id}:granted`,
        actor: input.actor,
        action: 'QUALIFICATION_GRANTED',
        caseType: QUALIFICATION_CASE_TYPE,
        caseId: q.id,
        workflowId,
        runId,
        details: { route: 'FILING', filingId: filing.id, validFrom: input.validFrom, validTo: input.validTo },
      });
      return q;
    });
    return { qualificationId: qualification.id, institutionId: filing.institutionId, creditCode: filing.creditCode };
  }

  /** Moves a qualification to a new status, once per business action id. */
  async setQualificationStatus(
    input: {
      qualificationId: string;
      status: QualificationStatus;
      reason: string;
      actorId: string;
      actionId: string;
    },
    exec: WorkflowExecution,
  ): Promise<void> {
    const { workflowId, runId } = exec;
    await this.db.$transaction(async (tx) => {
      const q = await tx.qualification.findUnique({ where: { id: input.qualificationId } });
      if (!q) throw new RecordNotFoundError('Qualification', input.qualificationId);
      await tx.qualification.update({
        where: { id: q.id },
        data: {
          status: input.status,
          statusReason: input.reason,
          suspendedAt: input.status === 'SUSPENDED' ? (q.suspendedAt ?? new Date()) : input.status === 'ACTIVE' ? null : q.suspendedAt,
        },
      });
      await appendAudit(tx, {
        dedupeKey: `qualification:${q.id}:${input.actionId}`,
        actor: { userId: input.actorId, roles: [], regionCode: q.regionCode },
        action: `QUALIFICATION_${input.status}`,
        caseType: QUALIFICATION_CASE_TYPE,
        caseId: q.id,
        workflowId,
        runId,
        reason: input.reason,
        details: { from: q.status, to: input.status },
      });
    });
  }

  /** Reminds the institution that a qualification expires soon (once). */
  async remindQualificationExpiry(input: { qualificationId: string }): Promise<void> {
    const q = await this.db.qualification.findUnique({ where: { id: input.qualificationId } });
    if (!q) throw new RecordNotFoundError('Qualification', input.qualificationId);
    const validTo = q.validTo.toISOString();
    await this.db.$transaction(async (tx) => {
      await notify(tx, {
        dedupeKey: `qualification:${q.id}:expiry-reminder`,
        institutionId: q.institutionId,
        kind: 'QUALIFICATION_EXPIRY_REMINDER',
        caseType: QUALIFICATION_CASE_TYPE,
        caseId: q.id,
        message: `Your training qualification expires at ${validTo}; file again in time to keep delivering subsidised training.`,
        messageZh: `您的培训资质将于 ${validTo} 到期，请及时重新申请备案。`,
      });
      await tx.qualification.update({ where: { id: q.id }, data: { reminderSentAt: new Date() } });
    });
  }
}
