-- Issue 10 item 1: anomaly rules propose investigations (R7.3), never decide (PIPL art. 24).
CREATE TYPE "AnomalyRule" AS ENUM ('OVERLAPPING_CLASSES', 'REPEATED_TRAINING', 'CERTIFICATE_DATE', 'ALLOWANCE_DAYS', 'OVER_CAPACITY', 'SHARED_PHONE');
CREATE TYPE "AnomalySource" AS ENUM ('ROSTER', 'CLAIM');
CREATE TYPE "ProposalStatus" AS ENUM ('PROPOSED', 'OPENED', 'DISMISSED');

-- The roster's phone column, kept for the shared-phone rule only: never published, logged or returned.
ALTER TABLE "Enrolment" ADD COLUMN "phone" VARCHAR(20);

CREATE TABLE "InvestigationProposal" (
    "id" UUID NOT NULL,
    "dedupeKey" TEXT NOT NULL,
    "rule" "AnomalyRule" NOT NULL,
    "institutionId" UUID NOT NULL,
    "regionCode" VARCHAR(6) NOT NULL,
    "seen" JSONB NOT NULL,
    "source" "AnomalySource" NOT NULL,
    "sourceId" UUID NOT NULL,
    "status" "ProposalStatus" NOT NULL DEFAULT 'PROPOSED',
    "decidedBy" TEXT,
    "decisionReason" TEXT,
    "decidedAt" TIMESTAMPTZ(3),
    "detectedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "InvestigationProposal_pkey" PRIMARY KEY ("id"),
    -- a person acts with a reason: OPENED or DISMISSED carries who, why and when
    CONSTRAINT "InvestigationProposal_decision_check" CHECK (("status" = 'PROPOSED') = ("decidedBy" IS NULL AND "decidedAt" IS NULL))
);

CREATE UNIQUE INDEX "InvestigationProposal_dedupeKey_key" ON "InvestigationProposal"("dedupeKey");
CREATE INDEX "InvestigationProposal_regionCode_status_createdAt_id_idx" ON "InvestigationProposal"("regionCode", "status", "createdAt", "id");
CREATE INDEX "InvestigationProposal_regionCode_rule_createdAt_id_idx" ON "InvestigationProposal"("regionCode", "rule", "createdAt", "id");
CREATE INDEX "InvestigationProposal_institutionId_createdAt_idx" ON "InvestigationProposal"("institutionId", "createdAt");
CREATE INDEX "InvestigationProposal_sourceId_idx" ON "InvestigationProposal"("sourceId");

ALTER TABLE "InvestigationProposal" ADD CONSTRAINT "InvestigationProposal_institutionId_fkey" FOREIGN KEY ("institutionId") REFERENCES "Institution"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
