// Shared by the API, the worker and the workflows: no name string is written twice.

/** The task queue every skillflow workflow and activity runs on (override per deployment/test). */
export const DEFAULT_TASK_QUEUE = 'skillflow';

/** Activity failures that retrying cannot fix (activities/errors.ts), by name: the workflows' retry policy. */
export const NON_RETRYABLE_ERROR_TYPES = ['RecordNotFoundError'];

/**
 * Workflow type names, written once: the names of the functions workflows/index.ts exports, which the worker
 * registers. Clients start workflows by these names, typed by the function (`start<typeof claimWorkflow>`).
 */
export const WORKFLOW_TYPES = {
  filing: 'filingWorkflow',
  institution: 'institutionWorkflow',
  claim: 'claimWorkflow',
  catalogue: 'catalogueWorkflow',
  procurement: 'procurementWorkflow',
} as const;

/** Who acted: copied from the caller's token, kept in history and the audit trail. */
export interface Actor {
  userId: string;
  roles: string[];
  regionCode: string;
  institutionId?: string;
}

/** The system itself (completeness checks, timers), as an actor in the audit trail. */
export const SYSTEM_ACTOR: Actor = { userId: 'system', roles: ['system'], regionCode: '140000' };

/**
 * Business refusals raised by workflows (as ApplicationFailure types) and what HTTP status the API gives
 * them. A refused Update changes nothing.
 */
export const FAILURE_HTTP_STATUS = {
  INVALID_DECISION: 422,
  INVALID_RESUBMISSION: 422,
  TASK_NOT_OPEN: 409,
  CASE_STATE_CONFLICT: 409,
  DEADLINE_PASSED: 409,
  FORBIDDEN: 403,
  // R9.8, R7.4, issue 9 item 3: a bid refused for who bids or what it offers
  BIDDER_BANNED: 422,
  BIDDER_MAJOR_ILLEGAL_RECORD: 422,
  BIDDER_BLACKLISTED: 422,
  REQUIREMENTS_NOT_MET: 422,
  PRICE_ABOVE_CEILING: 422,
} as const;
export type FailureCode = keyof typeof FAILURE_HTTP_STATUS;

/** A field-level problem, in both languages. */
export interface Problem {
  field: string;
  problem: string;
  problemZh: string;
}

/** Extra payload of a business ApplicationFailure: the Chinese message and the field problems. */
export interface FailureDetails {
  messageZh: string;
  problems?: Problem[];
}

/** Roles from POLICY.md's actors, plus the region's lead reviewer who takes escalated reviews. */
export const ROLES = [
  'reviewer',
  'lead_reviewer',
  'procurement',
  'evaluator',
  'inspector',
  /** R10.3 names a post-audit team when no team could be drawn (API.md) */
  'lead_inspector',
  'finance',
  /** the finance department's procurement supervision (R9.2 approvals, R9.7 complaints, R9.8 bans) */
  'finance_supervisor',
  'institution',
  'worker',
  'admin',
] as const;
export type Role = (typeof ROLES)[number];

/**
 * Role groups, named once (the access policy in apps/api/src/auth/access.ts and the masking rules use them).
 * HR staff (人社部门) see the filings and cases of their region and below; the finance department's officers
 * (财政/基金经办) join them for cases that involve money or people paid (classes, claims, trainees), not for
 * institution filings.
 */
export const HR_STAFF = ['reviewer', 'lead_reviewer', 'inspector', 'admin'] as const satisfies readonly Role[];
/** Bureau staff who read the cases of their region that involve money: HR staff and finance officers. */
export const BUREAU_STAFF = [...HR_STAFF, 'finance'] as const satisfies readonly Role[];
/** Who decides on reviews and commissions classes (R6.2), and reads catalogue drafts (R3.1). */
export const REVIEWERS = ['reviewer', 'lead_reviewer', 'admin'] as const satisfies readonly Role[];
/** Who keeps the poor-labourer registry (R4.3), each for their own region and below. */
export const REGISTRY_KEEPERS = ['reviewer', 'admin'] as const satisfies readonly Role[];
/** Who reads a fund's balance and entries (R7.2). */
export const LEDGER_READERS = ['finance', 'admin', 'inspector', 'reviewer'] as const satisfies readonly Role[];
/** Who moves money in a fund: allocations and repayments (R7.1, R7.4). */
export const FINANCE = ['finance'] as const satisfies readonly Role[];
/** Who sees resident ID numbers in full (R7.3 checks, API.md masking); everyone else sees them masked. */
export const FULL_RESIDENT_ID_ROLES = ['inspector', 'admin'] as const satisfies readonly Role[];

/** Who runs competitive selection (R9): procurement officers, and admins. */
export const PROCUREMENT_STAFF = ['procurement', 'admin'] as const satisfies readonly Role[];
/** Who reads a procurement process's internal record (bids only after the opening): its staff, the finance department's supervisors. */
export const PROCUREMENT_READERS = ['procurement', 'admin', 'finance_supervisor', 'evaluator'] as const satisfies readonly Role[];
/** The finance department's procurement supervision (R9.2 approvals, R9.7 complaints, R9.8 bans). */
export const FINANCE_SUPERVISORS = ['finance_supervisor'] as const satisfies readonly Role[];
/** Issue 10: who reads the anomaly rules' proposals and acts on suspicion (R7.7, R10.3) */
export const INSPECTORS = ['inspector', 'lead_inspector', 'admin'] as const satisfies readonly Role[];

/** Does the user hold one of these roles? */
export function hasRole(roles: readonly string[], group: readonly Role[]): boolean {
  return roles.some((r) => (group as readonly string[]).includes(r));
}
