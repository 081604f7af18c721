-- R9.9 the official calendar as data. Versions of a year's arrangement are append-only, the newest wins.
-- The data package's years are seeded as version 1 each by prisma/seed.ts (idempotent, on every start).
CREATE TABLE "CalendarVersion" (
    "id" UUID NOT NULL,
    "year" INTEGER NOT NULL,
    "version" INTEGER NOT NULL,
    "source" TEXT NOT NULL,
    "loadedBy" TEXT NOT NULL,
    "loadedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "days" JSONB NOT NULL,

    CONSTRAINT "CalendarVersion_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "CalendarVersion_year_check" CHECK ("year" BETWEEN 2000 AND 2100 AND "version" >= 1)
);

CREATE UNIQUE INDEX "CalendarVersion_year_version_key" ON "CalendarVersion"("year", "version");

CREATE FUNCTION calendar_version_is_append_only() RETURNS trigger LANGUAGE plpgsql AS
    E'BEGIN RAISE EXCEPTION ''CalendarVersion is append-only (%)'', TG_OP\073 END\073';

CREATE TRIGGER "CalendarVersion_append_only"
    BEFORE UPDATE OR DELETE ON "CalendarVersion"
    FOR EACH ROW EXECUTE FUNCTION calendar_version_is_append_only();

-- A task's due date computed over days no calendar version covers is provisional until one arrives.
ALTER TABLE "HumanTask" ADD COLUMN "dueProvisional" BOOLEAN NOT NULL DEFAULT false;
