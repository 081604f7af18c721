-- The schema enforces what the code assumes: a human task's kind and case type, and an objection's status, are
-- enums (workflows/contracts/tasks.ts TASK_KINDS and the case types), so a value no code knows cannot be stored.
CREATE TYPE "TaskKind" AS ENUM ('FILING_REVIEW', 'FILING_REVIEW_ESCALATED', 'CLAIM_REVIEW', 'CLAIM_REVIEW_ESCALATED', 'CLAIM_OBJECTION', 'CLAIM_INSPECTION', 'CLAIM_INSPECTION_TEAM', 'CATALOGUE_REVIEW', 'PROCUREMENT_SCORING', 'PROCUREMENT_AWARD_CHOICE', 'PROCUREMENT_FAILURE', 'PROCUREMENT_FAILURE_APPROVAL', 'PROCUREMENT_INQUIRY', 'PROCUREMENT_CHALLENGE', 'PROCUREMENT_COMPLAINT');
CREATE TYPE "TaskCaseType" AS ENUM ('FILING', 'CLAIM', 'CATALOGUE', 'PROCUREMENT');
CREATE TYPE "ObjectionStatus" AS ENUM ('OPEN', 'UPHELD', 'DISMISSED', 'LATE');
ALTER TABLE "HumanTask" ALTER COLUMN "kind" TYPE "TaskKind" USING "kind"::"TaskKind";
ALTER TABLE "HumanTask" ALTER COLUMN "caseType" TYPE "TaskCaseType" USING "caseType"::"TaskCaseType";
ALTER TABLE "Objection" ALTER COLUMN "status" DROP DEFAULT;
ALTER TABLE "Objection" ALTER COLUMN "status" TYPE "ObjectionStatus" USING "status"::"ObjectionStatus";
ALTER TABLE "Objection" ALTER COLUMN "status" SET DEFAULT 'OPEN';
