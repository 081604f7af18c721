// The training-class repository (培训班, R2.3): classes within a qualification's scope and their rosters
// (花名册, R5.4 实名制), stored set-based whatever the roster's size.
import type { Db, Prisma } from '../prisma/client';
import type { Actor } from '../workflows/contracts/common';
import type { RosterRow, RowError } from '../workflows/domain/roster';
import { appendAudit } from './audit.repository';
import { LotCapacityExceeded } from './errors';
import { certificateLevelOf } from './certificate-level';

export class TrainingClassRepository {
  constructor(private readonly db: Db) {}

  trainingClass(id: string) {
    return this.db.trainingClass.findUnique({ where: { id } });
  }

  createClass(data: Prisma.TrainingClassUncheckedCreateInput) {
    return this.db.trainingClass.create({ data });
  }

  /**
   * R6.2 records that the class is delivered under a commissioned project, audited; false (nothing written)
   * when it was recorded already.
   */
  async commission(classId: string, c: { reference: string; note?: string; actor: Actor }): Promise<boolean> {
    return this.db.$transaction(async (tx) => {
      const updated = await tx.trainingClass.updateMany({
        where: { id: classId, commissionRef: null },
        data: { commissionRef: c.reference, commissionedBy: c.actor.userId, commissionedAt: new Date() },
      });
      if (updated.count === 0) return false;
      await appendAudit(tx, {
        dedupeKey: `class-commission:${classId}`,
        actor: c.actor,
        action: 'CLASS_COMMISSIONED',
        caseType: 'TRAINING_CLASS',
        caseId: classId,
        reason: c.note,
        details: { reference: c.reference },
      });
      return true;
    });
  }

  /** The class's roster with each trainee's name and resident ID, in upload order. */
  async roster(classId: string) {
    const rows = await this.db.enrolment.findMany({
      where: { classId },
      include: { trainee: { select: { id: true, residentId: true, name: true } } },
      orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
    });
    return rows.map((e) => ({ ...e, certificateLevel: certificateLevelOf(e.certificateLevel) }));
  }

  /**
   * Set-based, whatever the size (no query per row): new people are inserted, flags given are updated, then
   * one select finds everyone and one INSERT … ON CONFLICT upserts the enrolments. A poor-labourer column is
   * the institution's declaration (R4.3): kept on the enrolment, never written to the registry. A resident ID
   * registered under another name is a row error, never an overwrite (R5.4); checked after the insert, so two
   * uploads racing with different names cannot both win. Returns those errors.
   */
  async storeRoster(c: { id: string; regionCode: string; qualificationId: string }, rows: RosterRow[]): Promise<RowError[]> {
    if (rows.length === 0) return [];
    const col = <K extends keyof RosterRow>(k: K) => rows.map((r) => r[k]);
    const ids = col('residentId');
    return this.db.$transaction(
      async (tx) => {
        await tx.$executeRaw`
          INSERT INTO "Trainee" ("id", "residentId", "name", "birthDate", "regionCode", "inServiceEmployee", "updatedAt")
          SELECT gen_random_uuid(), v.rid, v.name, v.birth, ${c.regionCode}, COALESCE(v.insvc, false), now()
          FROM unnest(${ids}::text[], ${col('name')}::text[], ${col('birthDate')}::date[], ${col('inServiceEmployee')}::boolean[])
            AS v(rid, name, birth, insvc)
          ON CONFLICT ("residentId") DO NOTHING`;
        // R4.3: the roster never touches "poorLabourer", a registry fact only bureau staff write.
        await tx.$executeRaw`
          UPDATE "Trainee" t
          SET "inServiceEmployee" = v.insvc, "updatedAt" = now()
          FROM unnest(${ids}::text[], ${col('name')}::text[], ${col('inServiceEmployee')}::boolean[]) AS v(rid, name, insvc)
          WHERE t."residentId" = v.rid AND t."name" = v.name
            AND v.insvc <> t."inServiceEmployee" -- NULL (not given) changes nothing
        `;
        const people = await tx.trainee.findMany({
          where: { residentId: { in: ids } },
          select: { id: true, residentId: true, name: true },
        });
        const byId = new Map(people.map((p) => [p.residentId, p]));
        const errors: RowError[] = [];
        const good = rows.filter((r) => {
          if (byId.get(r.residentId)?.name === r.name) return true;
          errors.push({
            row: r.row,
            field: 'name',
            problem: 'this resident ID is registered under another name (R5.4 real-name system)',
            problemZh: '该公民身份号码已登记为其他姓名（R5.4 实名制）',
          });
          return false;
        });
        if (good.length === 0) return errors;
        const pick = <K extends keyof RosterRow>(k: K) => good.map((r) => r[k]);
        await tx.$executeRaw`
          INSERT INTO "Enrolment" ("id", "classId", "traineeId", "attendancePercent", "daysAttended", "certificateNumber", "certificateLevel", "certificateDate", "declaredPoorLabourer", "phone", "updatedAt")
          SELECT gen_random_uuid(), ${c.id}::uuid, v.tid, v.att, v.days, v.cno, v.clevel::"CertificateLevel", v.cdate, v.poor, v.phone, now()
          FROM unnest(${good.map((r) => byId.get(r.residentId)!.id)}::uuid[], ${pick('attendancePercent')}::int[], ${pick('daysAttended')}::int[],
                      ${pick('certificateNumber')}::text[], ${pick('certificateLevel')}::text[], ${pick('certificateDate')}::date[], ${pick('poorLabourer')}::boolean[],
                      ${pick('phone')}::text[])
            AS v(tid, att, days, cno, clevel, cdate, poor, phone)
          ON CONFLICT ("classId", "traineeId") DO UPDATE SET
            "attendancePercent" = COALESCE(EXCLUDED."attendancePercent", "Enrolment"."attendancePercent"),
            "daysAttended" = COALESCE(EXCLUDED."daysAttended", "Enrolment"."daysAttended"),
            "certificateNumber" = COALESCE(EXCLUDED."certificateNumber", "Enrolment"."certificateNumber"),
            "certificateLevel" = COALESCE(EXCLUDED."certificateLevel", "Enrolment"."certificateLevel"),
            "certificateDate" = COALESCE(EXCLUDED."certificateDate", "Enrolment"."certificateDate"),
            "declaredPoorLabourer" = COALESCE(EXCLUDED."declaredPoorLabourer", "Enrolment"."declaredPoorLabourer"),
            "phone" = COALESCE(EXCLUDED."phone", "Enrolment"."phone"),
            "updatedAt" = now()`;
        await withinLotCapacity(tx, c);
        return errors;
      },
      { timeout: 30_000 },
    );
  }
}

/**
 * R2.4 a procured lot buys so many trainees: the classes under its qualification draw on them, and a roster
 * that would take more is refused whole (the qualification row is locked, so two uploads cannot both fit).
 */
async function withinLotCapacity(tx: Prisma.TransactionClient, c: { qualificationId: string }): Promise<void> {
  const [q] = await tx.$queryRaw<{ traineeCapacity: number | null }[]>`
    SELECT "traineeCapacity" FROM "Qualification" WHERE "id" = ${c.qualificationId}::uuid FOR UPDATE`;
  if (q?.traineeCapacity === null || q?.traineeCapacity === undefined) return;
  const [{ n }] = await tx.$queryRaw<{ n: number }[]>`
    SELECT count(*)::int AS n FROM "Enrolment" e JOIN "TrainingClass" k ON k."id" = e."classId" WHERE k."qualificationId" = ${c.qualificationId}::uuid`;
  if (n > q.traineeCapacity) throw new LotCapacityExceeded(q.traineeCapacity, n);
}
