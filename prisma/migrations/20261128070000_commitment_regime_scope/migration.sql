-- R6.2: the commitment regime covers project-based training. A bureau records a class delivered under a
-- project it commissioned, and each claim records the regime that handles it and why.
ALTER TABLE "TrainingClass" ADD COLUMN "commissionRef" TEXT,
  ADD COLUMN "commissionedBy" TEXT,
  ADD COLUMN "commissionedAt" TIMESTAMPTZ(3);
ALTER TABLE "Claim" ADD COLUMN "regime" TEXT,
  ADD COLUMN "regimeReason" TEXT;
