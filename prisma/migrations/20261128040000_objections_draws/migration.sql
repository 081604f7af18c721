-- R10.2: every objection is kept and answered on its own (its task, its answer, the lines it names).
-- Objections filed before this migration named no lines: they concern the whole claim.
ALTER TABLE "Objection" ADD COLUMN "lineIds" UUID[] DEFAULT ARRAY[]::UUID[];
ALTER TABLE "Objection" ADD COLUMN "upheldLineIds" UUID[] DEFAULT ARRAY[]::UUID[];
ALTER TABLE "Objection" ADD COLUMN "taskId" UUID;
ALTER TABLE "Objection" ADD COLUMN "resolvedBy" TEXT;

-- R10.3: the result of each post-audit inspection is published (GET /public/inspections).
ALTER TABLE "Claim" ADD COLUMN "inspectionOutcome" TEXT;
ALTER TABLE "Claim" ADD COLUMN "inspectedAt" TIMESTAMPTZ(3);

-- Public pages list postings and inspections newest first.
CREATE INDEX "Claim_postingEndsAt_id_idx" ON "Claim"("postingEndsAt", "id");
CREATE INDEX "Claim_inspectedAt_id_idx" ON "Claim"("inspectedAt", "id");
