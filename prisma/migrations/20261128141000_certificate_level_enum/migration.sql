-- The schema enforces what the code assumes: an enrolment's certificate level is a special vocational ability or
-- one of the skill levels 5 to 1 (workflows/domain/roster.ts CertificateLevel), stored as the roster writes it.
CREATE TYPE "CertificateLevel" AS ENUM ('SPECIAL', '5', '4', '3', '2', '1');
ALTER TABLE "Enrolment" ALTER COLUMN "certificateLevel" TYPE "CertificateLevel" USING "certificateLevel"::"CertificateLevel";
