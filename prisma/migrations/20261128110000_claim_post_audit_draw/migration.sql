-- R10.3 the post-audit draw of a claim (its value, rate, whether sampled, the inspectors) is named for what it
-- holds: Claim.audit becomes Claim.postAuditDraw. A rename keeps every stored draw.
ALTER TABLE "Claim" RENAME COLUMN "audit" TO "postAuditDraw";
