// Policy parameters (POLICY.md): every amount, cap, period and rate is effective-dated and may be
// overridden per region (province → city → county). The notice itself allows standards to be adjusted
// (§3.8) and leaves implementation to cities (§4.1), so nothing here is a constant of the code.
import type { PolicyPeriod } from './calendar';
import type { ProcurementMethod } from '../contracts/procurement';
import { regionAncestors } from './region';

export interface PolicyParameters {
  filing: {
    /** Time a reviewer has to decide a filing (审核期限); overdue tasks escalate. R2.1 */
    reviewPeriod: PolicyPeriod;
    /** Default time an institution has to resubmit a returned filing (补正期限). */
    amendmentPeriod: PolicyPeriod;
    /** Time the region's lead reviewer has once a review escalates. */
    escalatedReviewPeriod: PolicyPeriod;
  };
  qualification: {
    /** How long a filed qualification stays valid (资质有效期). R2.3 */
    validity: PolicyPeriod;
    /** How long before expiry the institution is reminded. Only SECONDS or DAYS. */
    expiryReminderLead: PolicyPeriod;
  };
  subsidy: {
    /** R4.1 enterprise employee training, per person. */
    enterpriseEmployeeFen: number;
    /** R4.2 cap for workers' training, per person; the exact amount comes from the catalogue. */
    workerCapFen: number;
    /** R4.3 living allowance for poor labourers, per day of training. */
    poorLabourerDailyFen: number;
    /** R4.4 certificate subsidy by certificate kind; null where the notice names no amount. */
    certificateFen: Record<'SPECIAL' | '5' | '4' | '3' | '2' | '1', number | null>;
    /** R4.4 certificates count only from this date. */
    certificateEarliestDate: string;
  };
  eligibility: {
    /** R5.1 subsidised trainings per person per calendar year. */
    maxTrainingsPerYear: number;
    /** R5.1 (later national fund rules) subsidised trainings per person in a lifetime; null = no such cap. */
    maxTrainingsLifetime: number | null;
    /** R5.1 (later national fund rules) staff on a public establishment (机关事业单位在编人员) get no training subsidy. */
    excludePublicEstablishmentStaff: boolean;
    /** R10.1 minimum attendance, percent. */
    minAttendancePercent: number;
    /** R10.1 can be switched off by a bureau. */
    attendanceRuleEnabled: boolean;
  };
  claim: {
    /** Time a reviewer has to decide a claim's lines; overdue tasks escalate. */
    reviewPeriod: PolicyPeriod;
    /** R10.2 public posting (公示) of the approved list before payment. */
    postingEnabled: boolean;
    postingPeriod: PolicyPeriod;
    /** How often a claim waiting for funds looks again, besides being told of an allocation. */
    fundsRecheckInterval: PolicyPeriod;
    /**
     * R6.2 which claims may take the notification-commitment fast path (告知承诺制): the notice applies it to
     * project-based training (项目制培训, §3.4). A signed claim outside this scope goes to full review.
     */
    commitmentRegime: {
      /** qualifications obtained by these routes (TENDER = a procured lot) */
      qualificationRoutes: ('FILING' | 'TENDER')[];
      /** classes a bureau recorded as delivered under a project it commissioned */
      commissionedProjects: boolean;
      categories: ('ENTERPRISE_EMPLOYEE' | 'WORKER' | 'POOR_LABOURER' | 'CERTIFICATE')[];
    };
  };
  postAudit: {
    /**
     * R6.2/R10.3 share of claims drawn for inspection, percent, per kind of claim: under a commitment
     * (告知承诺制) or under full review. Versions stored before the rate was per kind hold one number: it
     * applies to both kinds (see sampleRateFor).
     */
    sampleRatePercent: SampleRates | number;
    /** R10.3 at least 2 inspectors per team. */
    inspectorsPerTeam: number;
    /** Time the team has to report. */
    inspectionPeriod: PolicyPeriod;
    /**
     * R10.3 "inspectors rotate": who was on the team of one of the institution's previous sampled claims is
     * left out of its next draw, unless that leaves fewer inspectors than a team needs up to the province
     * (then the rotation is relaxed and the draw records it). "Previous" means the last `claims` sampled
     * claims of the institution that had a team, and also every one drawn within `period` before this draw
     * (SECONDS or DAYS; null: no period). `{ claims: 0, period: null }` switches rotation off. Versions
     * stored before rotation existed lack it: the default applies (rotationLookbackOf).
     */
    rotationLookback?: RotationLookback;
  };
  catalogue: {
    /** R3.1 the day each year (Asia/Shanghai, 00:00) the next year's catalogue is compiled for review. */
    annualPublication: { month: number; day: number };
    /** Qualification changes within this many seconds of the first one go into one amendment (debounce). */
    amendmentDelaySeconds: number;
  };
  /** R9 competitive selection (政府采购): periods, committee sizes, weights and deductions. */
  procurement: ProcurementParameters;
  /**
   * Issue 10 item 1: thresholds of the anomaly rules that propose investigations (they never decide).
   * Versions stored before the rules existed lack it: the default applies (anomalyParametersOf).
   */
  anomalies?: AnomalyParameters;
}

/** Thresholds of the anomaly rules (workflows/domain/anomaly-rules.ts). */
export interface AnomalyParameters {
  /** (f) this many or more trainees of one class sharing a phone number propose a case (R7.3) */
  sharedPhoneThreshold: number;
  /** (e) R10.4 a class over its size cap: trainees on one roster above this propose a case; null: no cap set */
  maxClassSize: number | null;
}

/** The anomaly thresholds in force: the policy's, or the default for versions stored before they existed. */
export function anomalyParametersOf(p: PolicyParameters): AnomalyParameters {
  return { ...DEFAULT_POLICY.anomalies!, ...p.anomalies };
}

/** R9, with the figures of the procurement law, its regulations and the Ministry of Finance orders. */
export interface ProcurementParameters {
  /** R9.1 the tender announcement stays up (招标公告期限) */
  tenderAnnouncement: PolicyPeriod;
  /** R9.1/R9.3/R9.4 least time from the first issue of the documents to the bid or response deadline */
  minResponsePeriod: Record<ProcurementMethod, PolicyPeriod>;
  /** R9.1/R9.4 least time the documents are on offer; null: no such rule (negotiation) */
  minDocumentsPeriod: Record<ProcurementMethod, PolicyPeriod | null>;
  /** R9.1/R9.3/R9.4 a clarification that affects responses comes at least this long before the deadline, else the deadline moves */
  clarificationLead: Record<ProcurementMethod, PolicyPeriod>;
  /** R9.2 fewer valid bids than this fails a lot (废标) */
  minValidBids: number;
  /** R9.4 (财库〔2015〕124号) a consultation for purchased services may continue with this many qualifying suppliers */
  consultationServicesMinSuppliers: number;
  committee: {
    /** R9.5 open tender: an odd number, at least this many */
    openTenderMinMembers: number;
    /** R9.5 open tender with a budget at or over largeProjectFen: at least this many */
    largeProjectMinMembers: number;
    largeProjectFen: number;
    /** R9.3/R9.4 negotiation and consultation: an odd number, at least this many */
    otherMinMembers: number;
    /** R9.3 negotiation of a project at or over the open-tender threshold: at least this many */
    otherAtThresholdMinMembers: number;
    openTenderThresholdFen: number;
    /** R9.3–R9.5 experts' least share of the committee, a fraction (2/3): the expert count rounds up */
    expertShare: { numerator: number; denominator: number };
    /** R9.5 (Regs 9) a relationship with a bidder within this period excludes an expert */
    relationshipLookback: PolicyPeriod;
  };
  /** R9.4/R9.5 the price weight a service procurement may set, percent, per method */
  priceWeightPercent: Record<ProcurementMethod, { min: number; max: number }>;
  /** R9.10 small and micro enterprises' price deduction in evaluation, percent (10–20) */
  smeDeductionPercent: number;
  /** R9.8 (Regs 19) a major illegal record within this period bars bidding */
  majorIllegalLookback: PolicyPeriod;
  /** R2.4 a lot's service period, years: at most `standard`, or `extended` with a reason */
  serviceYears: { standard: number; extended: number };
  periods: {
    /** R9.7 an inquiry (询问) is answered within */
    inquiryAnswer: PolicyPeriod;
    /** R9.7 a challenge (质疑) comes within, from the start its subject gives */
    challengeWindow: PolicyPeriod;
    /** R9.7 a challenge is answered within */
    challengeAnswer: PolicyPeriod;
    /** R9.7 a complaint (投诉) to the finance department comes within, from the answer's deadline */
    complaintWindow: PolicyPeriod;
    /** R9.7 the finance department decides a complaint within */
    complaintDecision: PolicyPeriod;
    /** R9.7 the finance department may suspend the purchase at most */
    maxSuspension: PolicyPeriod;
    /** R9.6 the committee's report reaches the purchaser within */
    evaluationReport: PolicyPeriod;
    /** R9.6 the purchaser chooses the winner within (late: the first-ranked) */
    winnerChoice: PolicyPeriod;
    /** R9.6 award notice and result announcement within */
    awardAnnouncement: PolicyPeriod;
    /** R9.6 the result stays announced */
    resultAnnouncement: PolicyPeriod;
    /** R9.6 the contract is signed within, from the award notice */
    contractSigning: PolicyPeriod;
    /** R9.6 the contract is published within, from signing */
    contractPublication: PolicyPeriod;
  };
}

/** R10.3 how far back an institution's earlier post-audit teams are rotated out of its next draw. */
export interface RotationLookback {
  claims: number;
  period: PolicyPeriod | null;
}

export interface SampleRates {
  COMMITMENT: number;
  FULL_REVIEW: number;
}

/** R10.3 the sampling rate of a claim, percent: its kind's rate, or the one plain number of an older version. */
export function sampleRateFor(p: PolicyParameters, withCommitment: boolean): number {
  const rates = p.postAudit.sampleRatePercent;
  if (typeof rates === 'number') return rates;
  const kind = withCommitment ? 'COMMITMENT' : 'FULL_REVIEW';
  // A local version naming only one kind merged over an older plain number: the other kind keeps the default.
  return rates[kind] ?? (DEFAULT_POLICY.postAudit.sampleRatePercent as SampleRates)[kind];
}

/** R10.3 the rotation in force: the policy's, or the default for versions stored before rotation existed. */
export function rotationLookbackOf(p: PolicyParameters): RotationLookback {
  return p.postAudit.rotationLookback ?? DEFAULT_POLICY.postAudit.rotationLookback!;
}

/** The province's first version: the amounts of 晋政办发〔2019〕68号 and the periods a bureau starts with. */
export const DEFAULT_POLICY: PolicyParameters = {
  filing: {
    reviewPeriod: { unit: 'WORKING_DAYS', amount: 10 },
    amendmentPeriod: { unit: 'WORKING_DAYS', amount: 10 },
    escalatedReviewPeriod: { unit: 'WORKING_DAYS', amount: 5 },
  },
  qualification: {
    validity: { unit: 'YEARS', amount: 3 },
    expiryReminderLead: { unit: 'DAYS', amount: 30 },
  },
  subsidy: {
    enterpriseEmployeeFen: 30_000,
    workerCapFen: 100_000,
    poorLabourerDailyFen: 1_500,
    certificateFen: { SPECIAL: 15_000, '5': 30_000, '4': null, '3': 60_000, '2': null, '1': null },
    certificateEarliestDate: '2019-07-01',
  },
  // The lifetime cap and the exclusion of public-establishment staff are off until a bureau, having checked
  // the fund rules in force, switches them on (POLICY R5.1).
  eligibility: {
    maxTrainingsPerYear: 3,
    maxTrainingsLifetime: null,
    excludePublicEstablishmentStaff: false,
    minAttendancePercent: 80,
    attendanceRuleEnabled: true,
  },
  claim: {
    reviewPeriod: { unit: 'WORKING_DAYS', amount: 10 },
    postingEnabled: true,
    postingPeriod: { unit: 'WORKING_DAYS', amount: 5 },
    fundsRecheckInterval: { unit: 'DAYS', amount: 1 },
    commitmentRegime: {
      qualificationRoutes: ['TENDER'],
      commissionedProjects: true,
      categories: ['ENTERPRISE_EMPLOYEE', 'WORKER', 'POOR_LABOURER', 'CERTIFICATE'],
    },
  },
  postAudit: {
    // Commitment claims had fewer documents checked up front (R6.2), so they are sampled more often.
    sampleRatePercent: { COMMITMENT: 10, FULL_REVIEW: 5 },
    inspectorsPerTeam: 2,
    inspectionPeriod: { unit: 'WORKING_DAYS', amount: 20 },
    // R10.3 the team of the institution's previous sampled claim does not inspect its next one.
    rotationLookback: { claims: 1, period: null },
  },
  // R10.4 names a size cap without a figure: none until a bureau sets one.
  anomalies: { sharedPhoneThreshold: 3, maxClassSize: null },
  // Published a month ahead, so workers can choose before the year starts (R3.1).
  catalogue: { annualPublication: { month: 12, day: 1 }, amendmentDelaySeconds: 10 },
  procurement: {
    tenderAnnouncement: { unit: 'WORKING_DAYS', amount: 5 },
    minResponsePeriod: {
      OPEN_TENDER: { unit: 'DAYS', amount: 20 },
      COMPETITIVE_NEGOTIATION: { unit: 'WORKING_DAYS', amount: 3 },
      COMPETITIVE_CONSULTATION: { unit: 'DAYS', amount: 10 },
    },
    minDocumentsPeriod: {
      OPEN_TENDER: { unit: 'WORKING_DAYS', amount: 5 },
      COMPETITIVE_NEGOTIATION: null,
      COMPETITIVE_CONSULTATION: { unit: 'WORKING_DAYS', amount: 5 },
    },
    clarificationLead: {
      OPEN_TENDER: { unit: 'DAYS', amount: 15 },
      COMPETITIVE_NEGOTIATION: { unit: 'WORKING_DAYS', amount: 3 },
      COMPETITIVE_CONSULTATION: { unit: 'DAYS', amount: 5 },
    },
    minValidBids: 3,
    consultationServicesMinSuppliers: 2,
    committee: {
      openTenderMinMembers: 5,
      largeProjectMinMembers: 7,
      largeProjectFen: 1_000_000_000, // 10 million yuan (MoF Order 87 art. 47)
      otherMinMembers: 3,
      otherAtThresholdMinMembers: 5,
      openTenderThresholdFen: 400_000_000, // 4 million yuan, the services threshold a bureau checks
      expertShare: { numerator: 2, denominator: 3 },
      relationshipLookback: { unit: 'YEARS', amount: 3 },
    },
    priceWeightPercent: {
      OPEN_TENDER: { min: 10, max: 100 },
      COMPETITIVE_NEGOTIATION: { min: 100, max: 100 },
      COMPETITIVE_CONSULTATION: { min: 10, max: 30 },
    },
    smeDeductionPercent: 10,
    majorIllegalLookback: { unit: 'YEARS', amount: 3 },
    serviceYears: { standard: 1, extended: 3 },
    periods: {
      inquiryAnswer: { unit: 'WORKING_DAYS', amount: 3 },
      challengeWindow: { unit: 'WORKING_DAYS', amount: 7 },
      challengeAnswer: { unit: 'WORKING_DAYS', amount: 7 },
      complaintWindow: { unit: 'WORKING_DAYS', amount: 15 },
      complaintDecision: { unit: 'WORKING_DAYS', amount: 30 },
      maxSuspension: { unit: 'DAYS', amount: 30 },
      evaluationReport: { unit: 'WORKING_DAYS', amount: 2 },
      winnerChoice: { unit: 'WORKING_DAYS', amount: 5 },
      awardAnnouncement: { unit: 'WORKING_DAYS', amount: 2 },
      resultAnnouncement: { unit: 'WORKING_DAYS', amount: 1 },
      contractSigning: { unit: 'DAYS', amount: 30 },
      contractPublication: { unit: 'WORKING_DAYS', amount: 2 },
    },
  },
};

export interface StoredPolicyVersion {
  id: string;
  regionCode: string;
  version: number;
  effectiveFrom: string; // ISO instant
  parameters: unknown; // a (partial) PolicyParameters
}

export interface ResolvedPolicy {
  parameters: PolicyParameters;
  /** The versions that were merged, province first: what a case records. */
  versionIds: string[];
}

/**
 * The parameters in force for a region at an instant: for each level (province, city, county) the newest
 * version effective at `at` (latest effectiveFrom, ties by number), merged so that the more local level wins field by field.
 */
export function resolvePolicy(versions: StoredPolicyVersion[], regionCode: string, at: Date): ResolvedPolicy {
  let parameters: unknown = DEFAULT_POLICY;
  const versionIds: string[] = [];
  for (const level of regionAncestors(regionCode)) {
    const inForce = versions
      .filter((v) => v.regionCode === level && Date.parse(v.effectiveFrom) <= at.getTime())
      // The latest effectiveFrom not after `at` wins, whatever order the versions were added in; ties go to
      // the higher number.
      .sort((a, b) => Date.parse(b.effectiveFrom) - Date.parse(a.effectiveFrom) || b.version - a.version)[0];
    if (inForce) {
      parameters = deepMerge(parameters, inForce.parameters);
      versionIds.push(inForce.id);
    }
  }
  return { parameters: parameters as PolicyParameters, versionIds };
}

function isPlainObject(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

/** Objects merge key by key; anything else (numbers, periods' fields, arrays, null) is replaced. */
export function deepMerge(base: unknown, override: unknown): unknown {
  if (!isPlainObject(base) || !isPlainObject(override)) return override === undefined ? base : override;
  const out: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(override)) out[key] = deepMerge(base[key], value);
  return out;
}
