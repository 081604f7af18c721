// Human task kinds (HumanTask.kind), written once: the workflows open tasks of these kinds, the activities
// store them, the API routes a decision on a task by its kind, and the tests look tasks up by them.

export const TASK_KINDS = {
  /** R2.1 a reviewer decides a filing */
  filingReview: 'FILING_REVIEW',
  /** R2.1 the region's lead reviewer takes an overdue filing review */
  filingReviewEscalated: 'FILING_REVIEW_ESCALATED',
  /** R6.2 a reviewer decides the lines of a claim not approved automatically */
  claimReview: 'CLAIM_REVIEW',
  /** the region's lead reviewer takes an overdue claim review */
  claimReviewEscalated: 'CLAIM_REVIEW_ESCALATED',
  /** R10.2 a reviewer answers an objection to a posted claim */
  claimObjection: 'CLAIM_OBJECTION',
  /** R10.3 the drawn team inspects a sampled claim */
  claimInspection: 'CLAIM_INSPECTION',
  /** R10.3 the lead inspector names a team when none could be drawn */
  claimInspectionTeam: 'CLAIM_INSPECTION_TEAM',
  /** R3.1 a reviewer approves or rejects the annual catalogues */
  catalogueReview: 'CATALOGUE_REVIEW',
  /** R9.5 a committee member scores the valid bids and signs the report or records a dissent */
  procurementScoring: 'PROCUREMENT_SCORING',
  /** R9.6 the purchaser confirms the first-ranked candidate (late: chosen automatically) */
  procurementAwardChoice: 'PROCUREMENT_AWARD_CHOICE',
  /** R9.2 the officer decides what follows a failed lot */
  procurementFailure: 'PROCUREMENT_FAILURE',
  /** R9.2 the finance department approves a switch of method or a negotiation with two */
  procurementFailureApproval: 'PROCUREMENT_FAILURE_APPROVAL',
  /** R9.7 the purchaser answers an inquiry within 3 working days */
  procurementInquiry: 'PROCUREMENT_INQUIRY',
  /** R9.7 the purchaser answers a challenge within 7 working days */
  procurementChallenge: 'PROCUREMENT_CHALLENGE',
  /** R9.7 the finance department decides a complaint */
  procurementComplaint: 'PROCUREMENT_COMPLAINT',
} as const;
export type TaskKind = (typeof TASK_KINDS)[keyof typeof TASK_KINDS];

/** A claim's review tasks, the reviewer's and the escalated one: a decision completes both. */
export const CLAIM_REVIEW_KINDS: readonly TaskKind[] = [TASK_KINDS.claimReview, TASK_KINDS.claimReviewEscalated];
