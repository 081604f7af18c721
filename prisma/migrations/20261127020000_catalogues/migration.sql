-- CreateEnum
CREATE TYPE "CatalogueKind" AS ENUM ('ANNUAL', 'AMENDMENT');

-- CreateEnum
CREATE TYPE "CatalogueStatus" AS ENUM ('DRAFT', 'PUBLISHED', 'REJECTED');

-- CreateTable
CREATE TABLE "ProjectStandard" (
    "id" UUID NOT NULL,
    "occupationCode" TEXT NOT NULL,
    "level" INTEGER NOT NULL,
    "standardFen" INTEGER NOT NULL,
    "hours" INTEGER NOT NULL,
    "regionCode" VARCHAR(6) NOT NULL DEFAULT '140000',
    "effectiveFrom" TIMESTAMPTZ(3) NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ProjectStandard_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "CatalogueVersion" (
    "id" UUID NOT NULL,
    "number" INTEGER,
    "kind" "CatalogueKind" NOT NULL,
    "year" INTEGER NOT NULL,
    "status" "CatalogueStatus" NOT NULL DEFAULT 'DRAFT',
    "effectiveFrom" TIMESTAMPTZ(3),
    "basedOnNumber" INTEGER,
    "reason" TEXT,
    "diff" JSONB,
    "dedupeKey" TEXT NOT NULL,
    "workflowId" TEXT NOT NULL,
    "requestedBy" TEXT NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "publishedAt" TIMESTAMPTZ(3),
    "approvedBy" TEXT,
    "decisionReason" TEXT,

    CONSTRAINT "CatalogueVersion_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "CatalogueProject" (
    "id" BIGSERIAL NOT NULL,
    "versionId" UUID NOT NULL,
    "occupationCode" TEXT NOT NULL,
    "occupationNameZh" TEXT NOT NULL,
    "level" INTEGER NOT NULL,
    "regionCode" VARCHAR(6) NOT NULL,
    "standardFen" INTEGER NOT NULL,
    "hours" INTEGER NOT NULL,
    "institutionIds" TEXT[],

    CONSTRAINT "CatalogueProject_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "CatalogueInstitution" (
    "id" BIGSERIAL NOT NULL,
    "versionId" UUID NOT NULL,
    "institutionId" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "type" "InstitutionType" NOT NULL,
    "regionCode" VARCHAR(6) NOT NULL,
    "route" "QualificationRoute" NOT NULL,
    "scope" JSONB NOT NULL,
    "validFrom" TIMESTAMPTZ(3) NOT NULL,
    "validTo" TIMESTAMPTZ(3) NOT NULL,
    "qualificationId" UUID NOT NULL,

    CONSTRAINT "CatalogueInstitution_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "ProjectStandard_occupationCode_level_regionCode_effectiveFr_key" ON "ProjectStandard"("occupationCode", "level", "regionCode", "effectiveFrom");

-- CreateIndex
CREATE UNIQUE INDEX "CatalogueVersion_number_key" ON "CatalogueVersion"("number");

-- CreateIndex
CREATE UNIQUE INDEX "CatalogueVersion_dedupeKey_key" ON "CatalogueVersion"("dedupeKey");

-- CreateIndex
CREATE INDEX "CatalogueVersion_status_effectiveFrom_idx" ON "CatalogueVersion"("status", "effectiveFrom");

-- CreateIndex
CREATE INDEX "CatalogueVersion_year_status_idx" ON "CatalogueVersion"("year", "status");

-- CreateIndex
CREATE INDEX "CatalogueProject_occupationCode_level_regionCode_idx" ON "CatalogueProject"("occupationCode", "level", "regionCode");

-- CreateIndex
CREATE UNIQUE INDEX "CatalogueProject_versionId_occupationCode_level_regionCode_key" ON "CatalogueProject"("versionId", "occupationCode", "level", "regionCode");

-- CreateIndex
CREATE INDEX "CatalogueInstitution_institutionId_idx" ON "CatalogueInstitution"("institutionId");

-- CreateIndex
CREATE UNIQUE INDEX "CatalogueInstitution_versionId_qualificationId_key" ON "CatalogueInstitution"("versionId", "qualificationId");

-- AddForeignKey
ALTER TABLE "CatalogueProject" ADD CONSTRAINT "CatalogueProject_versionId_fkey" FOREIGN KEY ("versionId") REFERENCES "CatalogueVersion"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "CatalogueInstitution" ADD CONSTRAINT "CatalogueInstitution_versionId_fkey" FOREIGN KEY ("versionId") REFERENCES "CatalogueVersion"("id") ON DELETE RESTRICT ON UPDATE CASCADE;


-- Hand-written below this line (not expressible in the Prisma schema).
-- A standard is a positive amount of money and hours (R4.2). The cap is a policy parameter, applied at compile time.
ALTER TABLE "ProjectStandard" ADD CONSTRAINT "ProjectStandard_positive" CHECK ("standardFen" > 0 AND "hours" > 0 AND "level" BETWEEN 1 AND 5);

-- A published catalogue version is immutable: its own row and its project and institution rows can be neither
-- changed nor deleted. Bodies spell their semicolons as \073 (the migration runner splits at every semicolon).
CREATE FUNCTION catalogue_version_is_frozen() RETURNS trigger LANGUAGE plpgsql AS
    E'BEGIN IF OLD."status" = ''PUBLISHED'' THEN RAISE EXCEPTION ''published catalogue version % is immutable (%)'', OLD."number", TG_OP\073 END IF\073 IF TG_OP = ''DELETE'' THEN RETURN OLD\073 END IF\073 RETURN NEW\073 END\073';

CREATE TRIGGER "CatalogueVersion_frozen_when_published"
    BEFORE UPDATE OR DELETE ON "CatalogueVersion"
    FOR EACH ROW EXECUTE FUNCTION catalogue_version_is_frozen();

CREATE FUNCTION catalogue_rows_are_frozen() RETURNS trigger LANGUAGE plpgsql AS
    E'BEGIN IF EXISTS (SELECT 1 FROM "CatalogueVersion" v WHERE v."id" = OLD."versionId" AND v."status" = ''PUBLISHED'') THEN RAISE EXCEPTION ''rows of a published catalogue version are immutable (%)'', TG_OP\073 END IF\073 IF TG_OP = ''DELETE'' THEN RETURN OLD\073 END IF\073 RETURN NEW\073 END\073';

CREATE TRIGGER "CatalogueProject_frozen_when_published"
    BEFORE UPDATE OR DELETE ON "CatalogueProject"
    FOR EACH ROW EXECUTE FUNCTION catalogue_rows_are_frozen();

CREATE TRIGGER "CatalogueInstitution_frozen_when_published"
    BEFORE UPDATE OR DELETE ON "CatalogueInstitution"
    FOR EACH ROW EXECUTE FUNCTION catalogue_rows_are_frozen();
