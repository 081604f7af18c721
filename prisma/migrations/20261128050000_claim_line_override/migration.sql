-- R10.1 and R4.2 overrides by a reviewer are kept on the line, beside the recorded facts.
ALTER TABLE "ClaimLine" ADD COLUMN "override" JSONB;
