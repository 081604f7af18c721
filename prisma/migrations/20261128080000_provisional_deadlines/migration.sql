-- R9.9: deadlines that are not tasks carry the provisional flag too, so the API can tell the workflows that
-- wait on them when a calendar version for their days arrives: a returned filing's amendment deadline
-- and a claim's posting end.
ALTER TABLE "Filing" ADD COLUMN "amendmentDueProvisional" BOOLEAN NOT NULL DEFAULT false;
ALTER TABLE "Claim" ADD COLUMN "postingEndsProvisional" BOOLEAN NOT NULL DEFAULT false;
