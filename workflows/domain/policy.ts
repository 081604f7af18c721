// Policy parameters (POLICY.md): every amount, cap, period and rate is effective-dated and may be
// overridden per region (province → city → county). The notice itself allows standards to be adjusted
// (§3.8) and leaves implementation to cities (§4.1), so nothing here is a constant of the code.
import type { PolicyPeriod } from './calendar';
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
  // Published a month ahead, so workers can choose before the year starts (R3.1).
  catalogue: { annualPublication: { month: 12, day: 1 }, amendmentDelaySeconds: 10 },
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
