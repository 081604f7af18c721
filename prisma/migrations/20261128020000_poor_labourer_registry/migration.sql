-- R4.3 living allowance. Poor-labourer status is a registry fact kept on "Trainee" and written only by bureau
-- staff. A roster's column of that name is the institution's declaration, kept on the enrolment, never counted.
ALTER TABLE "Enrolment" ADD COLUMN "declaredPoorLabourer" BOOLEAN;

-- R4.3 one allowance per person per day across all classes: the primary key refuses a second claim for a day,
-- whichever class or concurrent claim it comes from. A day goes with its grant (rejection, upheld objection).
CREATE TABLE "AllowanceDay" (
    "traineeId" UUID NOT NULL,
    "day" DATE NOT NULL,
    "grantId" UUID NOT NULL,
    "classId" UUID NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "AllowanceDay_pkey" PRIMARY KEY ("traineeId", "day")
);

CREATE INDEX "AllowanceDay_grantId_idx" ON "AllowanceDay"("grantId");

ALTER TABLE "AllowanceDay" ADD CONSTRAINT "AllowanceDay_traineeId_fkey" FOREIGN KEY ("traineeId") REFERENCES "Trainee"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

ALTER TABLE "AllowanceDay" ADD CONSTRAINT "AllowanceDay_grantId_fkey" FOREIGN KEY ("grantId") REFERENCES "SubsidyGrant"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- R4.3 a class's training days fit in the calendar days from its start to its end (both counted).
-- NOT VALID: classes created before this rule stay readable, every new or changed class is checked.
ALTER TABLE "TrainingClass" ADD CONSTRAINT "TrainingClass_training_days_within_dates"
    CHECK ("trainingDays" >= 1 AND "trainingDays" <= ("endDate" - "startDate") + 1) NOT VALID;

-- R4.3 days attended are a count.
ALTER TABLE "Enrolment" ADD CONSTRAINT "Enrolment_days_attended_not_negative"
    CHECK ("daysAttended" IS NULL OR "daysAttended" >= 0) NOT VALID;
