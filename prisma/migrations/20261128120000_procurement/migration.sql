-- Competitive selection (R2.2, R2.4, R9): processes, lots, sealed bids, the expert pool and committees,
-- supplier bans (R9.8) and the events public notices and OCDS releases are built from.
-- R9.10 procurement records are kept: no row of a process, a bid or an event is ever deleted.

-- CreateEnum
CREATE TYPE "ProcurementMethod" AS ENUM ('OPEN_TENDER', 'COMPETITIVE_NEGOTIATION', 'COMPETITIVE_CONSULTATION');

-- CreateEnum
CREATE TYPE "ProcurementStatus" AS ENUM ('DRAFT', 'PUBLISHED', 'EVALUATION', 'AWARDED', 'CLOSED', 'FAILED');

-- CreateEnum
CREATE TYPE "LotStatus" AS ENUM ('OPEN', 'EVALUATING', 'FAILED', 'AWARDED', 'CONTRACTED');

-- CreateEnum
CREATE TYPE "BidStatus" AS ENUM ('RECEIVED', 'REFUSED', 'SUBMITTED', 'WITHDRAWN', 'REPLACED');

-- CreateEnum
CREATE TYPE "CommitteeSeatStatus" AS ENUM ('DRAWN', 'SCORED', 'RECUSED', 'ABSENT');

-- AlterTable
ALTER TABLE "Qualification" ADD COLUMN     "pricePerPersonFen" BIGINT,
ADD COLUMN     "traineeCapacity" INTEGER;

-- CreateTable
CREATE TABLE "Procurement" (
    "id" UUID NOT NULL,
    "title" TEXT NOT NULL,
    "method" "ProcurementMethod" NOT NULL,
    "status" "ProcurementStatus" NOT NULL DEFAULT 'DRAFT',
    "regionCode" VARCHAR(6) NOT NULL,
    "budgetFen" BIGINT NOT NULL,
    "servicesPurchase" BOOLEAN NOT NULL DEFAULT true,
    "complex" BOOLEAN NOT NULL DEFAULT false,
    "requirements" JSONB NOT NULL,
    "criteria" JSONB NOT NULL,
    "priceWeightPercent" INTEGER NOT NULL,
    "tieRule" TEXT NOT NULL,
    "documentsFrom" TIMESTAMPTZ(3) NOT NULL,
    "documentsUntil" TIMESTAMPTZ(3) NOT NULL,
    "responseDeadline" TIMESTAMPTZ(3) NOT NULL,
    "publishedAt" TIMESTAMPTZ(3),
    "openedAt" TIMESTAMPTZ(3),
    "followsId" UUID,
    "invitedInstitutionIds" UUID[],
    "policyVersionIds" TEXT[],
    "createdBy" TEXT NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "Procurement_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ProcurementLot" (
    "id" UUID NOT NULL,
    "procurementId" UUID NOT NULL,
    "number" INTEGER NOT NULL,
    "title" TEXT NOT NULL,
    "occupationCode" TEXT NOT NULL,
    "levels" TEXT[],
    "trainees" INTEGER NOT NULL,
    "regionCode" VARCHAR(6) NOT NULL,
    "ceilingPricePerPersonFen" BIGINT NOT NULL,
    "serviceMonths" INTEGER NOT NULL,
    "serviceMonthsReason" TEXT,
    "status" "LotStatus" NOT NULL DEFAULT 'OPEN',
    "failureReasons" JSONB,
    "ranking" JSONB,
    "awardedBidId" UUID,
    "awardedAt" TIMESTAMPTZ(3),
    "contractSignedAt" TIMESTAMPTZ(3),
    "qualificationId" UUID,

    CONSTRAINT "ProcurementLot_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Bid" (
    "id" UUID NOT NULL,
    "procurementId" UUID NOT NULL,
    "lotId" UUID NOT NULL,
    "institutionId" UUID NOT NULL,
    "status" "BidStatus" NOT NULL DEFAULT 'RECEIVED',
    "needsReconfirmation" BOOLEAN NOT NULL DEFAULT false,
    "sme" BOOLEAN NOT NULL,
    "smeDerived" BOOLEAN NOT NULL,
    "sealed" BYTEA NOT NULL,
    "submittedBy" TEXT NOT NULL,
    "submittedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "openedAt" TIMESTAMPTZ(3),
    "priceFen" BIGINT,
    "valid" BOOLEAN,
    "invalidReasons" JSONB,
    "finalPriceFen" BIGINT,

    CONSTRAINT "Bid_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Expert" (
    "id" UUID NOT NULL,
    "userId" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "fields" TEXT[],
    "regionCode" VARCHAR(6) NOT NULL,
    "representative" BOOLEAN NOT NULL DEFAULT false,
    "employerRegionCode" VARCHAR(6),
    "active" BOOLEAN NOT NULL DEFAULT true,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Expert_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ExpertRelationship" (
    "id" UUID NOT NULL,
    "expertId" UUID NOT NULL,
    "institutionId" UUID NOT NULL,
    "endedOn" DATE,
    "nature" TEXT NOT NULL,
    "declaredAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ExpertRelationship_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "CommitteeMember" (
    "id" UUID NOT NULL,
    "procurementId" UUID NOT NULL,
    "expertId" UUID NOT NULL,
    "draw" INTEGER NOT NULL,
    "status" "CommitteeSeatStatus" NOT NULL DEFAULT 'DRAWN',
    "scores" JSONB,
    "signed" BOOLEAN NOT NULL DEFAULT false,
    "dissent" TEXT,
    "reason" TEXT,
    "taskId" UUID,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "CommitteeMember_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "SupplierBan" (
    "id" UUID NOT NULL,
    "institutionId" UUID NOT NULL,
    "kind" TEXT NOT NULL,
    "reason" TEXT NOT NULL,
    "decisionRef" TEXT NOT NULL,
    "startsOn" DATE NOT NULL,
    "endsOn" DATE,
    "recordedBy" TEXT NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "SupplierBan_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ProcurementEvent" (
    "id" UUID NOT NULL,
    "dedupeKey" TEXT NOT NULL,
    "procurementId" UUID NOT NULL,
    "kind" TEXT NOT NULL,
    "lotNumber" INTEGER,
    "at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "details" JSONB NOT NULL,

    CONSTRAINT "ProcurementEvent_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ProcurementChallenge" (
    "id" UUID NOT NULL,
    "procurementId" UUID NOT NULL,
    "institutionId" UUID NOT NULL,
    "subject" TEXT NOT NULL,
    "lotNumber" INTEGER,
    "text" TEXT NOT NULL,
    "submittedBy" TEXT NOT NULL,
    "submittedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "answerDueAt" TIMESTAMPTZ(3) NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'OPEN',
    "answer" TEXT,
    "remedy" TEXT,
    "answeredBy" TEXT,
    "answeredAt" TIMESTAMPTZ(3),
    "complaintText" TEXT,
    "complaintAt" TIMESTAMPTZ(3),
    "complaintDueAt" TIMESTAMPTZ(3),
    "complaintStatus" TEXT,
    "complaintDecision" TEXT,
    "suspendedUntil" TIMESTAMPTZ(3),

    CONSTRAINT "ProcurementChallenge_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Quotation" (
    "id" UUID NOT NULL,
    "procurementId" UUID NOT NULL,
    "bidId" UUID NOT NULL,
    "round" INTEGER NOT NULL,
    "priceFen" BIGINT NOT NULL,
    "submittedBy" TEXT NOT NULL,
    "submittedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Quotation_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ProcurementInquiry" (
    "id" UUID NOT NULL,
    "procurementId" UUID NOT NULL,
    "institutionId" UUID NOT NULL,
    "text" TEXT NOT NULL,
    "askedBy" TEXT NOT NULL,
    "askedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "answerDueAt" TIMESTAMPTZ(3) NOT NULL,
    "taskId" UUID,
    "answer" TEXT,
    "answeredBy" TEXT,
    "answeredAt" TIMESTAMPTZ(3),

    CONSTRAINT "ProcurementInquiry_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "Procurement_regionCode_status_idx" ON "Procurement"("regionCode", "status");

-- CreateIndex
CREATE INDEX "Procurement_followsId_idx" ON "Procurement"("followsId");

-- CreateIndex
CREATE INDEX "ProcurementLot_occupationCode_idx" ON "ProcurementLot"("occupationCode");

-- CreateIndex
CREATE INDEX "ProcurementLot_qualificationId_idx" ON "ProcurementLot"("qualificationId");

-- CreateIndex
CREATE UNIQUE INDEX "ProcurementLot_procurementId_number_key" ON "ProcurementLot"("procurementId", "number");

-- CreateIndex
CREATE INDEX "Bid_procurementId_lotId_status_idx" ON "Bid"("procurementId", "lotId", "status");

-- CreateIndex
CREATE INDEX "Bid_institutionId_idx" ON "Bid"("institutionId");

-- CreateIndex
CREATE UNIQUE INDEX "Expert_userId_key" ON "Expert"("userId");

-- CreateIndex
CREATE INDEX "Expert_regionCode_active_idx" ON "Expert"("regionCode", "active");

-- CreateIndex
CREATE INDEX "ExpertRelationship_expertId_idx" ON "ExpertRelationship"("expertId");

-- CreateIndex
CREATE INDEX "ExpertRelationship_institutionId_idx" ON "ExpertRelationship"("institutionId");

-- CreateIndex
CREATE INDEX "CommitteeMember_procurementId_status_idx" ON "CommitteeMember"("procurementId", "status");

-- CreateIndex
CREATE UNIQUE INDEX "CommitteeMember_procurementId_expertId_key" ON "CommitteeMember"("procurementId", "expertId");

-- CreateIndex
CREATE INDEX "SupplierBan_institutionId_idx" ON "SupplierBan"("institutionId");

-- CreateIndex
CREATE UNIQUE INDEX "ProcurementEvent_dedupeKey_key" ON "ProcurementEvent"("dedupeKey");

-- CreateIndex
CREATE INDEX "ProcurementEvent_procurementId_at_idx" ON "ProcurementEvent"("procurementId", "at");

-- CreateIndex
CREATE INDEX "ProcurementChallenge_procurementId_idx" ON "ProcurementChallenge"("procurementId");

-- CreateIndex
CREATE INDEX "ProcurementChallenge_institutionId_idx" ON "ProcurementChallenge"("institutionId");

-- CreateIndex
CREATE INDEX "Quotation_procurementId_round_idx" ON "Quotation"("procurementId", "round");

-- CreateIndex
CREATE UNIQUE INDEX "Quotation_bidId_round_key" ON "Quotation"("bidId", "round");

-- CreateIndex
CREATE INDEX "ProcurementInquiry_procurementId_idx" ON "ProcurementInquiry"("procurementId");

-- CreateIndex
CREATE INDEX "ProcurementInquiry_institutionId_idx" ON "ProcurementInquiry"("institutionId");

-- AddForeignKey
ALTER TABLE "Procurement" ADD CONSTRAINT "Procurement_followsId_fkey" FOREIGN KEY ("followsId") REFERENCES "Procurement"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ProcurementLot" ADD CONSTRAINT "ProcurementLot_procurementId_fkey" FOREIGN KEY ("procurementId") REFERENCES "Procurement"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ProcurementLot" ADD CONSTRAINT "ProcurementLot_occupationCode_fkey" FOREIGN KEY ("occupationCode") REFERENCES "Occupation"("code") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ProcurementLot" ADD CONSTRAINT "ProcurementLot_qualificationId_fkey" FOREIGN KEY ("qualificationId") REFERENCES "Qualification"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Bid" ADD CONSTRAINT "Bid_procurementId_fkey" FOREIGN KEY ("procurementId") REFERENCES "Procurement"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Bid" ADD CONSTRAINT "Bid_lotId_fkey" FOREIGN KEY ("lotId") REFERENCES "ProcurementLot"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Bid" ADD CONSTRAINT "Bid_institutionId_fkey" FOREIGN KEY ("institutionId") REFERENCES "Institution"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ExpertRelationship" ADD CONSTRAINT "ExpertRelationship_expertId_fkey" FOREIGN KEY ("expertId") REFERENCES "Expert"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ExpertRelationship" ADD CONSTRAINT "ExpertRelationship_institutionId_fkey" FOREIGN KEY ("institutionId") REFERENCES "Institution"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "CommitteeMember" ADD CONSTRAINT "CommitteeMember_procurementId_fkey" FOREIGN KEY ("procurementId") REFERENCES "Procurement"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "CommitteeMember" ADD CONSTRAINT "CommitteeMember_expertId_fkey" FOREIGN KEY ("expertId") REFERENCES "Expert"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "SupplierBan" ADD CONSTRAINT "SupplierBan_institutionId_fkey" FOREIGN KEY ("institutionId") REFERENCES "Institution"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ProcurementEvent" ADD CONSTRAINT "ProcurementEvent_procurementId_fkey" FOREIGN KEY ("procurementId") REFERENCES "Procurement"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ProcurementChallenge" ADD CONSTRAINT "ProcurementChallenge_procurementId_fkey" FOREIGN KEY ("procurementId") REFERENCES "Procurement"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ProcurementChallenge" ADD CONSTRAINT "ProcurementChallenge_institutionId_fkey" FOREIGN KEY ("institutionId") REFERENCES "Institution"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Quotation" ADD CONSTRAINT "Quotation_procurementId_fkey" FOREIGN KEY ("procurementId") REFERENCES "Procurement"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Quotation" ADD CONSTRAINT "Quotation_bidId_fkey" FOREIGN KEY ("bidId") REFERENCES "Bid"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ProcurementInquiry" ADD CONSTRAINT "ProcurementInquiry_procurementId_fkey" FOREIGN KEY ("procurementId") REFERENCES "Procurement"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ProcurementInquiry" ADD CONSTRAINT "ProcurementInquiry_institutionId_fkey" FOREIGN KEY ("institutionId") REFERENCES "Institution"("id") ON DELETE RESTRICT ON UPDATE CASCADE;


-- A region filter matches a city and the counties below it by prefix.
CREATE INDEX "Procurement_region_prefix" ON "Procurement" ("regionCode" varchar_pattern_ops, "status");

-- R9.10 records are kept for at least 15 years: deleting a process, a lot, a bid or an event is refused.
CREATE FUNCTION procurement_record_is_kept() RETURNS trigger LANGUAGE plpgsql AS
    E'BEGIN RAISE EXCEPTION ''procurement records are kept (%)'', TG_OP\073 END\073';

CREATE TRIGGER "Procurement_kept" BEFORE DELETE ON "Procurement" FOR EACH ROW EXECUTE FUNCTION procurement_record_is_kept();
CREATE TRIGGER "ProcurementLot_kept" BEFORE DELETE ON "ProcurementLot" FOR EACH ROW EXECUTE FUNCTION procurement_record_is_kept();
CREATE TRIGGER "Bid_kept" BEFORE DELETE ON "Bid" FOR EACH ROW EXECUTE FUNCTION procurement_record_is_kept();
CREATE TRIGGER "ProcurementEvent_kept" BEFORE UPDATE OR DELETE ON "ProcurementEvent" FOR EACH ROW EXECUTE FUNCTION procurement_record_is_kept();
CREATE TRIGGER "ProcurementChallenge_kept" BEFORE DELETE ON "ProcurementChallenge" FOR EACH ROW EXECUTE FUNCTION procurement_record_is_kept();
CREATE TRIGGER "Quotation_kept" BEFORE UPDATE OR DELETE ON "Quotation" FOR EACH ROW EXECUTE FUNCTION procurement_record_is_kept();
CREATE TRIGGER "ProcurementInquiry_kept" BEFORE DELETE ON "ProcurementInquiry" FOR EACH ROW EXECUTE FUNCTION procurement_record_is_kept();
