-- CreateEnum
CREATE TYPE "InstitutionType" AS ENUM ('ENTERPRISE', 'VOCATIONAL_COLLEGE', 'GOVERNMENT_CENTRE', 'TRAINING_INSTITUTION');

-- CreateEnum
CREATE TYPE "FilingStatus" AS ENUM ('SUBMITTED', 'UNDER_REVIEW', 'RETURNED', 'APPROVED', 'REJECTED', 'WITHDRAWN');

-- CreateEnum
CREATE TYPE "QualificationRoute" AS ENUM ('FILING', 'TENDER');

-- CreateEnum
CREATE TYPE "QualificationStatus" AS ENUM ('ACTIVE', 'SUSPENDED', 'REVOKED', 'EXPIRED');

-- CreateEnum
CREATE TYPE "TaskStatus" AS ENUM ('OPEN', 'COMPLETED', 'CANCELLED');

-- CreateTable
CREATE TABLE "Region" (
    "code" VARCHAR(6) NOT NULL,
    "nameZh" TEXT NOT NULL,
    "nameEn" TEXT NOT NULL,
    "level" TEXT NOT NULL,
    "parentCode" VARCHAR(6),

    CONSTRAINT "Region_pkey" PRIMARY KEY ("code")
);

-- CreateTable
CREATE TABLE "Occupation" (
    "code" TEXT NOT NULL,
    "nameZh" TEXT NOT NULL,
    "nameEn" TEXT NOT NULL,
    "lowestLevel" INTEGER NOT NULL,
    "highestLevel" INTEGER NOT NULL,
    "codeConfirmed" BOOLEAN NOT NULL,

    CONSTRAINT "Occupation_pkey" PRIMARY KEY ("code")
);

-- CreateTable
CREATE TABLE "PolicyVersion" (
    "id" UUID NOT NULL,
    "regionCode" VARCHAR(6) NOT NULL,
    "version" INTEGER NOT NULL,
    "effectiveFrom" TIMESTAMPTZ(3) NOT NULL,
    "parameters" JSONB NOT NULL,
    "note" TEXT NOT NULL,
    "createdBy" TEXT NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "PolicyVersion_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Institution" (
    "id" UUID NOT NULL,
    "creditCode" VARCHAR(18) NOT NULL,
    "name" TEXT NOT NULL,
    "type" "InstitutionType" NOT NULL,
    "regionCode" VARCHAR(6) NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "Institution_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Filing" (
    "id" UUID NOT NULL,
    "institutionId" UUID NOT NULL,
    "creditCode" VARCHAR(18) NOT NULL,
    "sequence" INTEGER NOT NULL,
    "workflowId" TEXT NOT NULL,
    "regionCode" VARCHAR(6) NOT NULL,
    "status" "FilingStatus" NOT NULL DEFAULT 'SUBMITTED',
    "revision" INTEGER NOT NULL DEFAULT 1,
    "policyVersionIds" TEXT[],
    "reviewDueAt" TIMESTAMPTZ(3),
    "amendmentDueAt" TIMESTAMPTZ(3),
    "decisionReason" TEXT,
    "grantedScope" JSONB,
    "qualificationId" UUID,
    "submittedBy" TEXT NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,
    "closedAt" TIMESTAMPTZ(3),

    CONSTRAINT "Filing_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "FilingRevision" (
    "id" UUID NOT NULL,
    "filingId" UUID NOT NULL,
    "revision" INTEGER NOT NULL,
    "application" JSONB NOT NULL,
    "completenessProblems" JSONB,
    "submittedBy" TEXT NOT NULL,
    "submittedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "FilingRevision_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Qualification" (
    "id" UUID NOT NULL,
    "institutionId" UUID NOT NULL,
    "route" "QualificationRoute" NOT NULL,
    "sourceId" TEXT NOT NULL,
    "regionCode" VARCHAR(6) NOT NULL,
    "scope" JSONB NOT NULL,
    "validFrom" TIMESTAMPTZ(3) NOT NULL,
    "validTo" TIMESTAMPTZ(3) NOT NULL,
    "status" "QualificationStatus" NOT NULL DEFAULT 'ACTIVE',
    "statusReason" TEXT,
    "reminderSentAt" TIMESTAMPTZ(3),
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "Qualification_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "HumanTask" (
    "id" UUID NOT NULL,
    "dedupeKey" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "caseType" TEXT NOT NULL,
    "caseId" UUID NOT NULL,
    "workflowId" TEXT NOT NULL,
    "role" TEXT NOT NULL,
    "regionCode" VARCHAR(6) NOT NULL,
    "institutionId" UUID,
    "title" TEXT NOT NULL,
    "status" "TaskStatus" NOT NULL DEFAULT 'OPEN',
    "dueAt" TIMESTAMPTZ(3),
    "escalated" BOOLEAN NOT NULL DEFAULT false,
    "escalatedAt" TIMESTAMPTZ(3),
    "escalatedFromId" UUID,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "completedAt" TIMESTAMPTZ(3),
    "completedBy" TEXT,
    "outcome" JSONB,

    CONSTRAINT "HumanTask_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "AuditEvent" (
    "id" BIGSERIAL NOT NULL,
    "dedupeKey" TEXT NOT NULL,
    "at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "actorId" TEXT NOT NULL,
    "actorRoles" TEXT[],
    "action" TEXT NOT NULL,
    "caseType" TEXT NOT NULL,
    "caseId" TEXT NOT NULL,
    "workflowId" TEXT,
    "runId" TEXT,
    "reason" TEXT,
    "details" JSONB,

    CONSTRAINT "AuditEvent_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Notification" (
    "id" UUID NOT NULL,
    "dedupeKey" TEXT NOT NULL,
    "institutionId" UUID,
    "kind" TEXT NOT NULL,
    "caseType" TEXT NOT NULL,
    "caseId" TEXT NOT NULL,
    "message" TEXT NOT NULL,
    "messageZh" TEXT NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Notification_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "IdempotencyRecord" (
    "userId" TEXT NOT NULL,
    "key" TEXT NOT NULL,
    "method" TEXT NOT NULL,
    "path" TEXT NOT NULL,
    "requestHash" TEXT NOT NULL,
    "statusCode" INTEGER,
    "response" JSONB,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "IdempotencyRecord_pkey" PRIMARY KEY ("userId","key")
);

-- CreateIndex
CREATE INDEX "PolicyVersion_regionCode_effectiveFrom_idx" ON "PolicyVersion"("regionCode", "effectiveFrom");

-- CreateIndex
CREATE UNIQUE INDEX "PolicyVersion_regionCode_version_key" ON "PolicyVersion"("regionCode", "version");

-- CreateIndex
CREATE UNIQUE INDEX "Institution_creditCode_key" ON "Institution"("creditCode");

-- CreateIndex
CREATE INDEX "Institution_regionCode_idx" ON "Institution"("regionCode");

-- CreateIndex
CREATE UNIQUE INDEX "Filing_workflowId_key" ON "Filing"("workflowId");

-- CreateIndex
CREATE INDEX "Filing_institutionId_idx" ON "Filing"("institutionId");

-- CreateIndex
CREATE INDEX "Filing_regionCode_status_idx" ON "Filing"("regionCode", "status");

-- CreateIndex
CREATE UNIQUE INDEX "Filing_creditCode_sequence_key" ON "Filing"("creditCode", "sequence");

-- CreateIndex
CREATE UNIQUE INDEX "FilingRevision_filingId_revision_key" ON "FilingRevision"("filingId", "revision");

-- CreateIndex
CREATE INDEX "Qualification_institutionId_idx" ON "Qualification"("institutionId");

-- CreateIndex
CREATE INDEX "Qualification_regionCode_status_idx" ON "Qualification"("regionCode", "status");

-- CreateIndex
CREATE UNIQUE INDEX "Qualification_route_sourceId_key" ON "Qualification"("route", "sourceId");

-- CreateIndex
CREATE UNIQUE INDEX "HumanTask_dedupeKey_key" ON "HumanTask"("dedupeKey");

-- CreateIndex
CREATE INDEX "HumanTask_role_status_regionCode_dueAt_idx" ON "HumanTask"("role", "status", "regionCode", "dueAt");

-- CreateIndex
CREATE INDEX "HumanTask_caseId_idx" ON "HumanTask"("caseId");

-- CreateIndex
CREATE INDEX "HumanTask_workflowId_idx" ON "HumanTask"("workflowId");

-- CreateIndex
CREATE UNIQUE INDEX "AuditEvent_dedupeKey_key" ON "AuditEvent"("dedupeKey");

-- CreateIndex
CREATE INDEX "AuditEvent_caseType_caseId_at_idx" ON "AuditEvent"("caseType", "caseId", "at");

-- CreateIndex
CREATE UNIQUE INDEX "Notification_dedupeKey_key" ON "Notification"("dedupeKey");

-- CreateIndex
CREATE INDEX "Notification_institutionId_createdAt_idx" ON "Notification"("institutionId", "createdAt");

-- AddForeignKey
ALTER TABLE "Filing" ADD CONSTRAINT "Filing_institutionId_fkey" FOREIGN KEY ("institutionId") REFERENCES "Institution"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "FilingRevision" ADD CONSTRAINT "FilingRevision_filingId_fkey" FOREIGN KEY ("filingId") REFERENCES "Filing"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Qualification" ADD CONSTRAINT "Qualification_institutionId_fkey" FOREIGN KEY ("institutionId") REFERENCES "Institution"("id") ON DELETE RESTRICT ON UPDATE CASCADE;


-- One open application per institution (R2.1): a second one while one is under way is refused.
CREATE UNIQUE INDEX "Filing_one_open_per_institution"
    ON "Filing" ("creditCode")
    WHERE "status" IN ('SUBMITTED', 'UNDER_REVIEW', 'RETURNED');

-- Region scoping uses prefix matches (a city user sees its counties): LIKE '1401%'.
CREATE INDEX "HumanTask_inbox_region_prefix"
    ON "HumanTask" ("status", "role", "regionCode" varchar_pattern_ops, "dueAt");
CREATE INDEX "Filing_region_prefix" ON "Filing" ("regionCode" varchar_pattern_ops, "status");
CREATE INDEX "Qualification_region_prefix" ON "Qualification" ("regionCode" varchar_pattern_ops, "status");

-- The audit trail is append-only: every decision stays as it was recorded.
-- The body spells its semicolons as \073 because the migration runner splits statements at every semicolon.
CREATE FUNCTION audit_event_is_append_only() RETURNS trigger LANGUAGE plpgsql AS
    E'BEGIN RAISE EXCEPTION ''AuditEvent is append-only (%)'', TG_OP\073 END\073';

CREATE TRIGGER "AuditEvent_append_only"
    BEFORE UPDATE OR DELETE ON "AuditEvent"
    FOR EACH ROW EXECUTE FUNCTION audit_event_is_append_only();
