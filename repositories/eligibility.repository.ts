// The facts every line check needs, for a whole roster in one set-based query (no N+1): each person's
// training subsidies in the class's year and in all (R5.1), the same occupation and level (R5.2), the certificate (R4.4),
// the registry's poor-labourer fact and the days of the class's dates already covered by an allowance (R4.3).
import type { Prisma } from '../prisma/client';
import type { LineFacts } from '../workflows/domain/claim-rules';

export interface LineFactsRow extends LineFacts {
  enrolmentId: string;
  traineeId: string;
}

type Sql = Pick<Prisma.TransactionClient, '$queryRaw'>;

export async function rosterFacts(
  db: Sql,
  cls: { id: string; occupationCode: string; level: number; year: number; startDate: Date; endDate: Date },
): Promise<LineFactsRow[]> {
  const [start, end] = [cls.startDate, cls.endDate].map((d) => d.toISOString().slice(0, 10)); // DATE columns: UTC midnight
  return db.$queryRaw<LineFactsRow[]>`
    SELECT e."id"                          AS "enrolmentId",
           e."traineeId"                   AS "traineeId",
           e."attendancePercent"           AS "attendancePercent",
           e."daysAttended"                AS "daysAttended",
           e."certificateNumber"           AS "certificateNumber",
           e."certificateLevel"::text      AS "certificateLevel",
           to_char(e."certificateDate", 'YYYY-MM-DD') AS "certificateDate",
           t."poorLabourer"                AS "poorLabourer",
           t."publicEstablishmentStaff"    AS "publicEstablishmentStaff",
           (SELECT count(*) FROM "SubsidyGrant" g
             WHERE g."traineeId" = e."traineeId" AND g."kind" = 'TRAINING')::int
                                           AS "trainingsLifetime",
           ARRAY(SELECT to_char(a."day", 'YYYY-MM-DD') FROM "AllowanceDay" a
                  WHERE a."traineeId" = e."traineeId" AND a."day" BETWEEN ${start}::date AND ${end}::date
                  ORDER BY a."day")        AS "allowanceDaysTaken",
           (SELECT count(*) FROM "SubsidyGrant" g
             WHERE g."traineeId" = e."traineeId" AND g."kind" = 'TRAINING' AND g."year" = ${cls.year})::int
                                           AS "trainingsThisYear",
           EXISTS (SELECT 1 FROM "SubsidyGrant" g
                    WHERE g."traineeId" = e."traineeId" AND g."kind" = 'TRAINING'
                      AND g."occupationCode" = ${cls.occupationCode} AND g."level" = ${cls.level})
                                           AS "sameOccupationLevelGranted",
           (e."certificateNumber" IS NOT NULL AND EXISTS (
              SELECT 1 FROM "SubsidyGrant" g WHERE g."kind" = 'CERTIFICATE' AND g."certificateNumber" = e."certificateNumber"))
                                           AS "certificateGranted"
      FROM "Enrolment" e
      JOIN "Trainee" t ON t."id" = e."traineeId"
     WHERE e."classId" = ${cls.id}::uuid
     ORDER BY e."id"`;
}

/** Locks the people on a roster (in id order, so concurrent claims cannot deadlock) until the transaction ends. */
export async function lockRoster(db: Sql, classId: string): Promise<void> {
  await db.$queryRaw`
    SELECT t."id" FROM "Trainee" t JOIN "Enrolment" e ON e."traineeId" = t."id"
     WHERE e."classId" = ${classId}::uuid ORDER BY t."id" FOR UPDATE OF t`;
}
