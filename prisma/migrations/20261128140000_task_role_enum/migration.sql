-- The schema enforces what the code assumes: a human task is for one of the roles of workflows/contracts/common.ts
-- (ROLES), so a task no user can ever hold cannot be stored. The inbox indexes on "role" are rebuilt with the column.
CREATE TYPE "TaskRole" AS ENUM ('reviewer', 'lead_reviewer', 'procurement', 'evaluator', 'inspector', 'lead_inspector', 'finance', 'finance_supervisor', 'institution', 'worker', 'admin');
ALTER TABLE "HumanTask" ALTER COLUMN "role" TYPE "TaskRole" USING "role"::"TaskRole";
