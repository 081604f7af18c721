// The trainee repository: the real-name registry (实名制, R5.4), the poor-labourer registry (建档立卡贫困劳动力, R4.3)
// whose every change is audited, and each person's electronic training archive (电子培训档案, R6.3).
// Privacy: resident IDs are never logged and never put in the audit trail (trainee ids are).
import { randomUUID } from 'node:crypto';
import type { Db, Prisma } from '../prisma/client';
import type { Actor } from '../workflows/contracts/common';
import type { RegistryRow } from '../workflows/domain/poor-labourer-registry';
import { regionCovers } from '../workflows/domain/region';
import { birthDateFromResidentId, type RowError } from '../workflows/domain/roster';
import { certificateLevelOf } from './certificate-level';

const REGISTRY_CASE_TYPE = 'POOR_LABOURER_REGISTRY';

type Tx = Prisma.TransactionClient;

interface RegistryChange {
  traineeId: string;
  poorLabourer: boolean;
}

/** Audits registry changes, one event per person (the trainee's case) — the one way a change is recorded. */
async function auditRegistryChanges(
  tx: Tx,
  user: Pick<Actor, 'userId' | 'roles'>,
  importId: string,
  source: 'JSON' | 'CSV' | 'TRAINEE',
  changes: (RegistryChange & { row?: number })[],
) {
  if (changes.length === 0) return;
  await tx.auditEvent.createMany({
    data: changes.map((c) => ({
      dedupeKey: `poor-labourer:${importId}:${c.traineeId}`,
      actorId: user.userId,
      actorRoles: user.roles,
      action: c.poorLabourer ? 'POOR_LABOURER_REGISTERED' : 'POOR_LABOURER_REMOVED',
      caseType: 'TRAINEE',
      caseId: c.traineeId,
      details: { importId, source, ...(c.row ? { row: c.row } : {}) },
    })),
  });
}

type Flags = {
  poorLabourer?: boolean;
  inServiceEmployee?: boolean;
  employedAfterTraining?: boolean | null;
  publicEstablishmentStaff?: boolean;
};

export class TraineeRepository {
  constructor(private readonly db: Db) {}

  trainee(id: string) {
    return this.db.trainee.findUnique({ where: { id } });
  }

  byResidentId(residentId: string) {
    return this.db.trainee.findUnique({ where: { residentId } });
  }

  /** Registers a person (a concurrent registration loses on the unique resident ID); a poor labourer is audited. */
  async register(user: Pick<Actor, 'userId' | 'roles'>, dto: { residentId: string; name: string; regionCode: string }, flags: Flags) {
    return this.db.$transaction(async (tx) => {
      const created = await tx.trainee.create({
        data: {
          residentId: dto.residentId,
          name: dto.name,
          birthDate: new Date(birthDateFromResidentId(dto.residentId)),
          regionCode: dto.regionCode,
          ...flags,
        },
      });
      if (created.poorLabourer)
        await auditRegistryChanges(tx, user, randomUUID(), 'TRAINEE', [{ traineeId: created.id, poorLabourer: true }]);
      return created;
    });
  }

  /**
   * Updates a registered person: a changed name is audited (TRAINEE_NAME_CORRECTED), the person's row is locked
   * so a poor-labourer change is audited in order, and `staffOnly` fields (name, region) are written as given.
   */
  async update(
    user: Pick<Actor, 'userId' | 'roles'>,
    existing: { id: string; name: string },
    dto: { name: string; poorLabourer?: boolean },
    staffOnly: { name?: string; regionCode?: string },
    flags: Flags,
  ) {
    return this.db.$transaction(async (tx) => {
      if (existing.name !== dto.name) {
        await tx.auditEvent.create({
          data: {
            dedupeKey: `trainee-name:${existing.id}:${randomUUID()}`,
            actorId: user.userId,
            actorRoles: user.roles,
            action: 'TRAINEE_NAME_CORRECTED',
            caseType: 'TRAINEE',
            caseId: existing.id,
          },
        });
      }
      const [locked] = await tx.$queryRaw<
        { poorLabourer: boolean }[]
      >`SELECT "poorLabourer" FROM "Trainee" WHERE "id" = ${existing.id}::uuid FOR UPDATE`;
      if (dto.poorLabourer !== undefined && dto.poorLabourer !== locked.poorLabourer) {
        await auditRegistryChanges(tx, user, randomUUID(), 'TRAINEE', [{ traineeId: existing.id, poorLabourer: dto.poorLabourer }]);
      }
      return tx.trainee.update({ where: { id: existing.id }, data: { ...staffOnly, ...flags } });
    });
  }

  /** Whether the person is on a roster of one of the institution's classes. */
  async onRosterOf(traineeId: string, institutionId: string): Promise<boolean> {
    return (await this.db.enrolment.findFirst({ where: { traineeId, class: { institutionId } }, select: { id: true } })) !== null;
  }

  /**
   * A person's archive: enrolments with their classes, the classes' institutions and occupations, and the
   * subsidies granted. With `institutionId`, only what happened in that institution's classes.
   */
  async archive(traineeId: string, institutionId: string | undefined) {
    const classFilter = institutionId ? { class: { institutionId } } : {};
    const [stored, lineIds] = await Promise.all([
      this.db.enrolment.findMany({ where: { traineeId, ...classFilter }, include: { class: true }, orderBy: { createdAt: 'asc' } }),
      institutionId ? this.db.claimLine.findMany({ where: { traineeId, claim: { institutionId } }, select: { id: true } }) : null,
    ]);
    const enrolments = stored.map((e) => ({ ...e, certificateLevel: certificateLevelOf(e.certificateLevel) }));
    const [institutions, occupations, grants] = await Promise.all([
      this.db.institution.findMany({
        where: { id: { in: [...new Set(enrolments.map((e) => e.class.institutionId))] } },
        select: { id: true, name: true },
      }),
      this.db.occupation.findMany({
        where: { code: { in: [...new Set(enrolments.map((e) => e.class.occupationCode))] } },
        select: { code: true, nameZh: true, nameEn: true },
      }),
      this.db.subsidyGrant.findMany({
        where: { traineeId, ...(lineIds ? { claimLineId: { in: lineIds.map((l) => l.id) } } : {}) },
        orderBy: { createdAt: 'asc' },
      }),
    ]);
    return { enrolments, institutions, occupations, grants };
  }

  /**
   * Applies a registry import's rows in one transaction (set-based): registers people not yet in the real-name
   * registry where a row gives their region, refuses rows that do not match the person or lie outside the
   * importer's region (`outside`), changes and audits the poor-labourer flag, and audits the import.
   */
  async applyRegistryImport(
    user: Pick<Actor, 'userId' | 'roles' | 'regionCode'>,
    importId: string,
    source: 'JSON' | 'CSV',
    rows: RegistryRow[],
    outside: (row: number, region: string) => RowError,
  ) {
    const ids = rows.map((r) => r.residentId);
    return this.db.$transaction(
      async (tx) => {
        const toCreate = rows.filter((r) => r.regionCode);
        const created =
          toCreate.length === 0
            ? 0
            : await tx.$executeRaw`
          INSERT INTO "Trainee" ("id", "residentId", "name", "birthDate", "regionCode", "updatedAt")
          SELECT gen_random_uuid(), v.rid, v.name, v.birth, v.region, now()
          FROM unnest(${toCreate.map((r) => r.residentId)}::text[], ${toCreate.map((r) => r.name)}::text[], ${toCreate.map((r) => r.birthDate)}::date[], ${toCreate.map((r) => r.regionCode)}::text[])
            AS v(rid, name, birth, region)
          ON CONFLICT ("residentId") DO NOTHING`;
        // Locked, so two imports (or an import and POST /trainees) changing one person are audited in order.
        const people = await tx.$queryRaw<{ id: string; residentId: string; name: string; regionCode: string; poorLabourer: boolean }[]>`
          SELECT "id", "residentId", "name", "regionCode", "poorLabourer" FROM "Trainee"
           WHERE "residentId" = ANY(${ids}::text[]) ORDER BY "id" FOR UPDATE`;
        const byResidentId = new Map(people.map((p) => [p.residentId, p]));
        const errors: RowError[] = [];
        const applied: { row: RegistryRow; traineeId: string; was: boolean }[] = [];
        for (const r of rows) {
          const p = byResidentId.get(r.residentId);
          if (!p) {
            errors.push({
              row: r.row,
              field: 'regionCode',
              problem: 'the person is not in the real-name registry yet: give the region code where they are registered',
              problemZh: '该人员尚未实名登记：请填写其登记地行政区划代码',
            });
          } else if (p.name !== r.name) {
            errors.push({
              row: r.row,
              field: 'name',
              problem: 'this resident ID is registered under another name (R5.4 real-name system)',
              problemZh: '该公民身份号码已登记为其他姓名（R5.4 实名制）',
            });
          } else if (!regionCovers(user.regionCode, p.regionCode)) {
            errors.push(outside(r.row, p.regionCode));
          } else if (r.regionCode && r.regionCode !== p.regionCode) {
            errors.push({
              row: r.row,
              field: 'regionCode',
              problem: `the person is registered in region ${p.regionCode}; correct that through POST /trainees first`,
              problemZh: `该人员登记在 ${p.regionCode}，如需更正请先通过人员登记修改`,
            });
          } else {
            applied.push({ row: r, traineeId: p.id, was: p.poorLabourer });
          }
        }
        const changes = applied
          .filter((a) => a.was !== a.row.poorLabourer)
          .map((a) => ({ traineeId: a.traineeId, poorLabourer: a.row.poorLabourer, row: a.row.row }));
        for (const value of [true, false]) {
          const traineeIds = changes.filter((c) => c.poorLabourer === value).map((c) => c.traineeId);
          if (traineeIds.length > 0) await tx.trainee.updateMany({ where: { id: { in: traineeIds } }, data: { poorLabourer: value } });
        }
        await auditRegistryChanges(tx, user, importId, source, changes);
        await tx.auditEvent.create({
          data: {
            dedupeKey: `poor-labourer-import:${importId}`,
            actorId: user.userId,
            actorRoles: user.roles,
            action: 'POOR_LABOURER_REGISTRY_IMPORTED',
            caseType: REGISTRY_CASE_TYPE,
            caseId: importId,
            details: { source, rows: rows.length, applied: applied.length, changed: changes.length, rejected: errors.length },
          },
        });
        return { applied, changes, created, errors };
      },
      { timeout: 60_000 },
    );
  }
}
