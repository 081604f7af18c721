-- CreateEnum
CREATE TYPE "SubsidyCategory" AS ENUM ('ENTERPRISE_EMPLOYEE', 'WORKER', 'POOR_LABOURER', 'CERTIFICATE');

-- CreateEnum
CREATE TYPE "ClaimStatus" AS ENUM ('CHECKING', 'UNDER_REVIEW', 'POSTED', 'HELD', 'AWAITING_FUNDS', 'PAID', 'REJECTED');

-- CreateEnum
CREATE TYPE "ClaimLineStatus" AS ENUM ('PASSED', 'FLAGGED', 'APPROVED', 'REJECTED');

-- CreateEnum
CREATE TYPE "GrantKind" AS ENUM ('TRAINING', 'ALLOWANCE', 'CERTIFICATE');

-- CreateEnum
CREATE TYPE "LedgerAccountKind" AS ENUM ('FUND', 'SOURCE', 'PAYEE');

-- CreateEnum
CREATE TYPE "LedgerTransactionKind" AS ENUM ('ALLOCATION', 'PAYMENT', 'RECOVERY');

-- CreateTable
CREATE TABLE "Trainee" (
    "id" UUID NOT NULL,
    "residentId" VARCHAR(18) NOT NULL,
    "name" TEXT NOT NULL,
    "birthDate" DATE NOT NULL,
    "regionCode" VARCHAR(6) NOT NULL,
    "poorLabourer" BOOLEAN NOT NULL DEFAULT false,
    "inServiceEmployee" BOOLEAN NOT NULL DEFAULT false,
    "employedAfterTraining" BOOLEAN,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "Trainee_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "TrainingClass" (
    "id" UUID NOT NULL,
    "institutionId" UUID NOT NULL,
    "qualificationId" UUID NOT NULL,
    "occupationCode" TEXT NOT NULL,
    "level" INTEGER NOT NULL,
    "category" "SubsidyCategory" NOT NULL,
    "startDate" DATE NOT NULL,
    "endDate" DATE NOT NULL,
    "hours" INTEGER NOT NULL,
    "trainingDays" INTEGER NOT NULL,
    "regionCode" VARCHAR(6) NOT NULL,
    "catalogueStandardFen" INTEGER,
    "createdBy" TEXT NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "TrainingClass_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Enrolment" (
    "id" UUID NOT NULL,
    "classId" UUID NOT NULL,
    "traineeId" UUID NOT NULL,
    "attendancePercent" INTEGER,
    "daysAttended" INTEGER,
    "certificateNumber" TEXT,
    "certificateLevel" TEXT,
    "certificateDate" DATE,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "Enrolment_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Claim" (
    "id" UUID NOT NULL,
    "workflowId" TEXT NOT NULL,
    "classId" UUID NOT NULL,
    "institutionId" UUID NOT NULL,
    "regionCode" VARCHAR(6) NOT NULL,
    "category" "SubsidyCategory" NOT NULL,
    "status" "ClaimStatus" NOT NULL DEFAULT 'CHECKING',
    "commitment" JSONB,
    "policyVersionIds" TEXT[],
    "approvedFen" INTEGER NOT NULL DEFAULT 0,
    "paidFen" INTEGER NOT NULL DEFAULT 0,
    "postingEndsAt" TIMESTAMPTZ(3),
    "audit" JSONB,
    "investigationFlag" BOOLEAN NOT NULL DEFAULT false,
    "submittedBy" TEXT NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,
    "closedAt" TIMESTAMPTZ(3),

    CONSTRAINT "Claim_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ClaimLine" (
    "id" UUID NOT NULL,
    "claimId" UUID NOT NULL,
    "enrolmentId" UUID NOT NULL,
    "traineeId" UUID NOT NULL,
    "amountFen" INTEGER NOT NULL,
    "status" "ClaimLineStatus" NOT NULL,
    "failures" JSONB NOT NULL,
    "decisionReason" TEXT,
    "decidedBy" TEXT,

    CONSTRAINT "ClaimLine_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "SubsidyGrant" (
    "id" UUID NOT NULL,
    "traineeId" UUID NOT NULL,
    "claimLineId" UUID,
    "kind" "GrantKind" NOT NULL,
    "category" "SubsidyCategory" NOT NULL,
    "year" INTEGER NOT NULL,
    "occupationCode" TEXT NOT NULL,
    "level" INTEGER NOT NULL,
    "certificateNumber" TEXT,
    "amountFen" INTEGER NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "SubsidyGrant_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "LedgerAccount" (
    "id" UUID NOT NULL,
    "code" TEXT NOT NULL,
    "kind" "LedgerAccountKind" NOT NULL,
    "regionCode" VARCHAR(6),
    "institutionId" UUID,
    "balanceFen" BIGINT NOT NULL DEFAULT 0,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "LedgerAccount_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "LedgerTransaction" (
    "id" UUID NOT NULL,
    "kind" "LedgerTransactionKind" NOT NULL,
    "businessKey" TEXT NOT NULL,
    "memo" TEXT NOT NULL,
    "claimId" UUID,
    "createdBy" TEXT NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "LedgerTransaction_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "LedgerEntry" (
    "id" BIGSERIAL NOT NULL,
    "transactionId" UUID NOT NULL,
    "accountId" UUID NOT NULL,
    "amountFen" BIGINT NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "LedgerEntry_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Objection" (
    "id" UUID NOT NULL,
    "claimId" UUID NOT NULL,
    "text" TEXT NOT NULL,
    "contact" TEXT,
    "sourceHash" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'OPEN',
    "resolution" TEXT,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "resolvedAt" TIMESTAMPTZ(3),

    CONSTRAINT "Objection_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Inspector" (
    "userId" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "regionCode" VARCHAR(6) NOT NULL,
    "active" BOOLEAN NOT NULL DEFAULT true,

    CONSTRAINT "Inspector_pkey" PRIMARY KEY ("userId")
);

-- CreateIndex
CREATE UNIQUE INDEX "Trainee_residentId_key" ON "Trainee"("residentId");

-- CreateIndex
CREATE INDEX "TrainingClass_institutionId_createdAt_idx" ON "TrainingClass"("institutionId", "createdAt");

-- CreateIndex
CREATE INDEX "TrainingClass_qualificationId_idx" ON "TrainingClass"("qualificationId");

-- CreateIndex
CREATE INDEX "Enrolment_traineeId_idx" ON "Enrolment"("traineeId");

-- CreateIndex
CREATE UNIQUE INDEX "Enrolment_classId_traineeId_key" ON "Enrolment"("classId", "traineeId");

-- CreateIndex
CREATE UNIQUE INDEX "Claim_workflowId_key" ON "Claim"("workflowId");

-- CreateIndex
CREATE INDEX "Claim_classId_category_idx" ON "Claim"("classId", "category");

-- CreateIndex
CREATE INDEX "Claim_institutionId_createdAt_idx" ON "Claim"("institutionId", "createdAt");

-- CreateIndex
CREATE INDEX "Claim_regionCode_status_idx" ON "Claim"("regionCode", "status");

-- CreateIndex
CREATE INDEX "ClaimLine_traineeId_idx" ON "ClaimLine"("traineeId");

-- CreateIndex
CREATE UNIQUE INDEX "ClaimLine_claimId_enrolmentId_key" ON "ClaimLine"("claimId", "enrolmentId");

-- CreateIndex
CREATE UNIQUE INDEX "SubsidyGrant_claimLineId_key" ON "SubsidyGrant"("claimLineId");

-- CreateIndex
CREATE INDEX "SubsidyGrant_traineeId_year_idx" ON "SubsidyGrant"("traineeId", "year");

-- CreateIndex
CREATE UNIQUE INDEX "LedgerAccount_code_key" ON "LedgerAccount"("code");

-- CreateIndex
CREATE UNIQUE INDEX "LedgerTransaction_businessKey_key" ON "LedgerTransaction"("businessKey");

-- CreateIndex
CREATE INDEX "LedgerTransaction_claimId_idx" ON "LedgerTransaction"("claimId");

-- CreateIndex
CREATE INDEX "LedgerEntry_accountId_id_idx" ON "LedgerEntry"("accountId", "id");

-- CreateIndex
CREATE INDEX "LedgerEntry_transactionId_idx" ON "LedgerEntry"("transactionId");

-- CreateIndex
CREATE INDEX "Objection_claimId_idx" ON "Objection"("claimId");

-- CreateIndex
CREATE INDEX "Objection_sourceHash_createdAt_idx" ON "Objection"("sourceHash", "createdAt");

-- CreateIndex
CREATE INDEX "Inspector_regionCode_active_idx" ON "Inspector"("regionCode", "active");

-- AddForeignKey
ALTER TABLE "Enrolment" ADD CONSTRAINT "Enrolment_classId_fkey" FOREIGN KEY ("classId") REFERENCES "TrainingClass"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Enrolment" ADD CONSTRAINT "Enrolment_traineeId_fkey" FOREIGN KEY ("traineeId") REFERENCES "Trainee"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Claim" ADD CONSTRAINT "Claim_classId_fkey" FOREIGN KEY ("classId") REFERENCES "TrainingClass"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ClaimLine" ADD CONSTRAINT "ClaimLine_claimId_fkey" FOREIGN KEY ("claimId") REFERENCES "Claim"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "SubsidyGrant" ADD CONSTRAINT "SubsidyGrant_traineeId_fkey" FOREIGN KEY ("traineeId") REFERENCES "Trainee"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "LedgerEntry" ADD CONSTRAINT "LedgerEntry_transactionId_fkey" FOREIGN KEY ("transactionId") REFERENCES "LedgerTransaction"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "LedgerEntry" ADD CONSTRAINT "LedgerEntry_accountId_fkey" FOREIGN KEY ("accountId") REFERENCES "LedgerAccount"("id") ON DELETE RESTRICT ON UPDATE CASCADE;


-- R5.2: the same occupation at the same level is subsidised once per person (training grants).
CREATE UNIQUE INDEX "SubsidyGrant_training_once_per_occupation_level"
    ON "SubsidyGrant" ("traineeId", "occupationCode", "level")
    WHERE "kind" = 'TRAINING';

-- R4.4: a certificate is subsidised once.
CREATE UNIQUE INDEX "SubsidyGrant_certificate_once"
    ON "SubsidyGrant" ("certificateNumber")
    WHERE "kind" = 'CERTIFICATE';

-- R7.1: a special account never goes below zero.
ALTER TABLE "LedgerAccount" ADD CONSTRAINT "LedgerAccount_fund_not_negative"
    CHECK ("kind" <> 'FUND' OR "balanceFen" >= 0);

-- Money and counts are whole and sane.
ALTER TABLE "ClaimLine" ADD CONSTRAINT "ClaimLine_amount_not_negative" CHECK ("amountFen" >= 0);
ALTER TABLE "Enrolment" ADD CONSTRAINT "Enrolment_attendance_percent" CHECK ("attendancePercent" BETWEEN 0 AND 100);

-- The ledger is append-only, like the audit trail.
CREATE TRIGGER "LedgerEntry_append_only"
    BEFORE UPDATE OR DELETE ON "LedgerEntry"
    FOR EACH ROW EXECUTE FUNCTION audit_event_is_append_only();

CREATE INDEX "Claim_region_prefix" ON "Claim" ("regionCode" varchar_pattern_ops, "status");

-- Tasks for named users (a post-audit team, R10.3).
ALTER TABLE "HumanTask" ADD COLUMN "assignees" TEXT[] DEFAULT ARRAY[]::TEXT[];
