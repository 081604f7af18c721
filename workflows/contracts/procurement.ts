// Competitive selection (R2.2, R2.4, R9): the contract between the API, the worker and procurementWorkflow.

export const PROCUREMENT_CASE_TYPE = 'PROCUREMENT';

export function procurementWorkflowId(procurementId: string): string {
  return `procurement-${procurementId}`;
}

/** R9 the three methods: 公开招标, 竞争性谈判, 竞争性磋商. */
export const PROCUREMENT_METHODS = ['OPEN_TENDER', 'COMPETITIVE_NEGOTIATION', 'COMPETITIVE_CONSULTATION'] as const;
export type ProcurementMethod = (typeof PROCUREMENT_METHODS)[number];

export const PROCUREMENT_METHOD_ZH: Record<ProcurementMethod, string> = {
  OPEN_TENDER: '公开招标',
  COMPETITIVE_NEGOTIATION: '竞争性谈判',
  COMPETITIVE_CONSULTATION: '竞争性磋商',
};

/** A lot (包): one occupation and its levels, for so many trainees of a region, at a ceiling price per person. */
export interface LotSpec {
  /** the lot's number within the process, 1, 2, … */
  number: number;
  title: string;
  occupationCode: string;
  /** certificate levels the training leads to, '5' (初级) … '1' (高级技师) */
  levels: string[];
  trainees: number;
  regionCode: string;
  /** 最高限价: the most a bid may ask per person, fen */
  ceilingPricePerPersonFen: number;
  /** R2.4 service period in months: ≤ 12, or ≤ 36 with a reason */
  serviceMonths: number;
  serviceMonthsReason?: string;
}

/** An evaluation criterion other than price, with its weight (percent of the total score). */
export interface Criterion {
  key: string;
  name: string;
  weightPercent: number;
}

/**
 * The dates a process runs on (ISO instants). The documents are on offer from documentsFrom to documentsUntil;
 * bids or first responses are due at responseDeadline, when they open.
 */
export interface ProcurementSchedule {
  documentsFrom: string;
  documentsUntil: string;
  responseDeadline: string;
}

/** One rule a schedule breaks, and the date that would satisfy it (R9.1, R9.3, R9.4, R9.9). */
export interface ScheduleProblem {
  rule: string;
  field: keyof ProcurementSchedule | 'publishAt';
  problem: string;
  problemZh: string;
  /** the earliest valid value for the field */
  earliest: string;
}
