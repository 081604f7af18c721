-- Every reference column is a foreign key with an explicit ON DELETE, and every foreign key has an index
-- (the code assumed these references, the schema now enforces them).
ALTER TABLE "Filing" ADD CONSTRAINT "Filing_qualificationId_fkey" FOREIGN KEY ("qualificationId") REFERENCES "Qualification"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "TrainingClass" ADD CONSTRAINT "TrainingClass_institutionId_fkey" FOREIGN KEY ("institutionId") REFERENCES "Institution"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "TrainingClass" ADD CONSTRAINT "TrainingClass_qualificationId_fkey" FOREIGN KEY ("qualificationId") REFERENCES "Qualification"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "Claim" ADD CONSTRAINT "Claim_institutionId_fkey" FOREIGN KEY ("institutionId") REFERENCES "Institution"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "ClaimLine" ADD CONSTRAINT "ClaimLine_enrolmentId_fkey" FOREIGN KEY ("enrolmentId") REFERENCES "Enrolment"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "ClaimLine" ADD CONSTRAINT "ClaimLine_traineeId_fkey" FOREIGN KEY ("traineeId") REFERENCES "Trainee"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "SubsidyGrant" ADD CONSTRAINT "SubsidyGrant_claimLineId_fkey" FOREIGN KEY ("claimLineId") REFERENCES "ClaimLine"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "LedgerTransaction" ADD CONSTRAINT "LedgerTransaction_claimId_fkey" FOREIGN KEY ("claimId") REFERENCES "Claim"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "LedgerAccount" ADD CONSTRAINT "LedgerAccount_institutionId_fkey" FOREIGN KEY ("institutionId") REFERENCES "Institution"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "Objection" ADD CONSTRAINT "Objection_claimId_fkey" FOREIGN KEY ("claimId") REFERENCES "Claim"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
CREATE INDEX "Filing_qualificationId_idx" ON "Filing"("qualificationId");
CREATE INDEX "ClaimLine_enrolmentId_idx" ON "ClaimLine"("enrolmentId");
CREATE INDEX "LedgerAccount_institutionId_idx" ON "LedgerAccount"("institutionId");
