-- CreateEnum
CREATE TYPE "EvaluationInstitutionStatus" AS ENUM ('ACTIVE', 'WITHDRAWN');

-- CreateTable
CREATE TABLE "EvaluationInstitution" (
    "id" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "creditCode" TEXT NOT NULL,
    "regionCode" VARCHAR(6) NOT NULL,
    "scope" JSONB NOT NULL,
    "validFrom" TIMESTAMPTZ(3) NOT NULL,
    "validTo" TIMESTAMPTZ(3) NOT NULL,
    "status" "EvaluationInstitutionStatus" NOT NULL DEFAULT 'ACTIVE',
    "createdBy" TEXT NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "EvaluationInstitution_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "CatalogueEvaluator" (
    "id" BIGSERIAL NOT NULL,
    "versionId" UUID NOT NULL,
    "evaluationInstitutionId" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "creditCode" TEXT NOT NULL,
    "regionCode" VARCHAR(6) NOT NULL,
    "scope" JSONB NOT NULL,
    "validFrom" TIMESTAMPTZ(3) NOT NULL,
    "validTo" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "CatalogueEvaluator_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "EvaluationInstitution_creditCode_key" ON "EvaluationInstitution"("creditCode");

-- CreateIndex
CREATE INDEX "EvaluationInstitution_status_idx" ON "EvaluationInstitution"("status");

-- CreateIndex
CREATE INDEX "CatalogueEvaluator_evaluationInstitutionId_idx" ON "CatalogueEvaluator"("evaluationInstitutionId");

-- CreateIndex
CREATE UNIQUE INDEX "CatalogueEvaluator_versionId_evaluationInstitutionId_key" ON "CatalogueEvaluator"("versionId", "evaluationInstitutionId");

-- AddForeignKey
ALTER TABLE "CatalogueEvaluator" ADD CONSTRAINT "CatalogueEvaluator_versionId_fkey" FOREIGN KEY ("versionId") REFERENCES "CatalogueVersion"("id") ON DELETE RESTRICT ON UPDATE CASCADE;


-- Hand-written below this line (not expressible in the Prisma schema).
-- An evaluation institution's validity is a non-empty interval.
ALTER TABLE "EvaluationInstitution" ADD CONSTRAINT "EvaluationInstitution_valid_interval" CHECK ("validFrom" < "validTo");

-- Rows of a published catalogue version are immutable, like its projects and institutions (the function is
-- defined in 20261127020000_catalogues).
CREATE TRIGGER "CatalogueEvaluator_frozen_when_published"
    BEFORE UPDATE OR DELETE ON "CatalogueEvaluator"
    FOR EACH ROW EXECUTE FUNCTION catalogue_rows_are_frozen();
