-- R2.3: training done before a suspension stays claimable, so the suspension's instant is kept.
ALTER TABLE "Qualification" ADD COLUMN "suspendedAt" TIMESTAMPTZ(3);
