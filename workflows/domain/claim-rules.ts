// Subsidy amounts (R4) and per-line eligibility checks (R4.3, R4.4, R5.1, R5.2, R10.1, R2.3). Pure: the
// claim activity applies them to facts read from PostgreSQL in one set-based query.
import type { SubsidyCategory } from '../contracts/claim';
import { allowanceDates, allowanceDayCount, calendarDays } from './allowance';
import type { PolicyParameters, RotationLookback } from './policy';

export interface RuleFailure {
  rule: string;
  problem: string;
  problemZh: string;
}

/** What the checks need to know about one person on the roster (one row of the facts query). */
export interface LineFacts {
  attendancePercent: number | null;
  daysAttended: number | null;
  certificateNumber: string | null;
  certificateLevel: string | null;
  certificateDate: string | null; // ISO date
  /** R4.3 the registry's fact (bureau staff), never the roster's declaration */
  poorLabourer: boolean;
  /** R4.3 days within the class's dates already covered by another allowance of the person */
  allowanceDaysTaken: readonly string[];
  /** R5.1 training subsidies already granted to the person in the class's year */
  trainingsThisYear: number;
  /** R5.1 training subsidies ever granted to the person (for a lifetime cap, when switched on) */
  trainingsLifetime: number;
  /** R5.1 registry fact: staff on a public establishment (机关事业单位在编人员) */
  publicEstablishmentStaff: boolean;
  /** R5.2 a training subsidy for this occupation and level already granted */
  sameOccupationLevelGranted: boolean;
  /** R4.4 this certificate already subsidised */
  certificateGranted: boolean;
}

export interface ClassFacts {
  occupationCode: string;
  level: number;
  startDate: string;
  endDate: string;
  /** R4.3 the class's scheduled training days */
  trainingDays: number;
  catalogueStandardFen: number | null;
  /** R2.3 the qualification was valid, in scope and not suspended on the training dates */
  qualificationValid: boolean;
}

/** Which register a granted line goes into: training counts towards R5.1/R5.2. */
export function grantKind(category: SubsidyCategory): 'TRAINING' | 'ALLOWANCE' | 'CERTIFICATE' {
  if (category === 'POOR_LABOURER') return 'ALLOWANCE';
  if (category === 'CERTIFICATE') return 'CERTIFICATE';
  return 'TRAINING';
}

/** The amount of one line in fen, or null when the policy defines none (R4.4 intermediate level). */
export function lineAmountFen(category: SubsidyCategory, cls: ClassFacts, line: LineFacts, p: PolicyParameters): number | null {
  switch (category) {
    case 'ENTERPRISE_EMPLOYEE': // R4.1
      return p.subsidy.enterpriseEmployeeFen;
    case 'WORKER': // R4.2: the catalogue standard, never above the cap; without one a reviewer sets it (0 until then)
      return cls.catalogueStandardFen === null ? 0 : Math.min(cls.catalogueStandardFen, p.subsidy.workerCapFen);
    case 'POOR_LABOURER': // R4.3: 15 per day attended, never more days than the class's training days
      return p.subsidy.poorLabourerDailyFen * allowanceDayCount(line.daysAttended, cls);
    case 'CERTIFICATE': {
      // R4.4
      const level = line.certificateLevel as keyof PolicyParameters['subsidy']['certificateFen'] | null;
      return level ? (p.subsidy.certificateFen[level] ?? null) : null;
    }
  }
}

const fail = (rule: string, problem: string, problemZh: string): RuleFailure => ({ rule, problem, problemZh });

/** Every rule the line breaks, each with its number. An empty list means the line passes. */
export function lineFailures(category: SubsidyCategory, cls: ClassFacts, line: LineFacts, p: PolicyParameters): RuleFailure[] {
  const out: RuleFailure[] = [];
  if (!cls.qualificationValid) {
    out.push(fail('R2.3', 'the institution was not qualified for this training on its dates', '培训期间机构不具备该项目的有效培训资质'));
  }
  if (category === 'WORKER' && cls.catalogueStandardFen === null) {
    // R4.2 sets a cap, not an amount: without a catalogue standard a reviewer decides, never the cap by default.
    out.push(
      fail(
        'R4.2',
        'no catalogue standard applies to this class: a reviewer sets the amount',
        '该培训班无目录补贴标准，须由审核人员核定补贴金额',
      ),
    );
  }
  const kind = grantKind(category);
  if (kind === 'TRAINING') {
    if (line.trainingsThisYear >= p.eligibility.maxTrainingsPerYear) {
      out.push(
        fail(
          'R5.1',
          `already ${line.trainingsThisYear} subsidised trainings this year (at most ${p.eligibility.maxTrainingsPerYear})`,
          `本年度已享受 ${line.trainingsThisYear} 次培训补贴（每年最多 ${p.eligibility.maxTrainingsPerYear} 次）`,
        ),
      );
    }
    const lifetimeCap = p.eligibility.maxTrainingsLifetime;
    if (lifetimeCap !== null && lifetimeCap !== undefined && line.trainingsLifetime >= lifetimeCap) {
      out.push(
        fail(
          'R5.1',
          `already ${line.trainingsLifetime} subsidised trainings in total (at most ${lifetimeCap} in a lifetime)`,
          `已累计享受 ${line.trainingsLifetime} 次培训补贴（终身最多 ${lifetimeCap} 次）`,
        ),
      );
    }
    if (p.eligibility.excludePublicEstablishmentStaff && line.publicEstablishmentStaff) {
      out.push(
        fail(
          'R5.1',
          'staff on a public establishment (机关事业单位在编人员) get no training subsidy',
          '机关事业单位在编人员不享受培训补贴',
        ),
      );
    }
    if (line.sameOccupationLevelGranted) {
      out.push(fail('R5.2', 'already subsidised for this occupation at this level', '同一职业同一等级不得重复享受培训补贴'));
    }
  }
  if (kind !== 'CERTIFICATE' && p.eligibility.attendanceRuleEnabled) {
    const pct = line.attendancePercent;
    if (pct === null || pct < p.eligibility.minAttendancePercent) {
      out.push(
        fail(
          'R10.1',
          `attendance ${pct ?? 'not recorded'}${pct === null ? '' : '%'} is under ${p.eligibility.minAttendancePercent}%`,
          `出勤率${pct === null ? '未记录' : ` ${pct}%`}，低于 ${p.eligibility.minAttendancePercent}%`,
        ),
      );
    }
  }
  if (category === 'POOR_LABOURER') {
    out.push(...allowanceFailures(cls, line));
  }
  if (category === 'CERTIFICATE') out.push(...certificateFailures(cls, line, p));
  if (out.length === 0 && lineAmountFen(category, cls, line, p) === null) {
    out.push(fail('R4.4', 'the policy sets no subsidy for this certificate level', '政策未规定该等级证书的补贴标准'));
  }
  return out;
}

/** R4.3: the registry says the person is a poor labourer, and the days attended fit the class and are free. */
function allowanceFailures(cls: ClassFacts, line: LineFacts): RuleFailure[] {
  const out: RuleFailure[] = [];
  if (!line.poorLabourer)
    out.push(fail('R4.3', 'not a registered poor labourer (建档立卡) in the registry', '未在建档立卡贫困劳动力名册中登记'));
  if (!line.daysAttended) return [...out, fail('R4.3', 'no days attended recorded', '未记录出勤天数')];
  const most = Math.min(cls.trainingDays, calendarDays(cls.startDate, cls.endDate));
  if (line.daysAttended > most) {
    out.push(
      fail(
        'R4.3',
        `${line.daysAttended} days attended exceed the class's ${most} training days`,
        `出勤 ${line.daysAttended} 天，超过培训天数 ${most} 天`,
      ),
    );
  } else if (allowanceDates(cls, line.daysAttended, line.allowanceDaysTaken) === null) {
    out.push(
      fail(
        'R4.3',
        `the class's dates ${cls.startDate}–${cls.endDate} do not leave ${line.daysAttended} days free of the person's other living allowances (one a day)`,
        `培训期间 ${cls.startDate}至${cls.endDate} 中未享受其他生活费补贴的天数不足 ${line.daysAttended} 天（每人每天限一份）`,
      ),
    );
  }
  return out;
}

function certificateFailures(cls: ClassFacts, line: LineFacts, p: PolicyParameters): RuleFailure[] {
  const out: RuleFailure[] = [];
  if (!line.certificateNumber || !line.certificateDate || !line.certificateLevel) {
    return [fail('R4.4', 'no certificate recorded', '未记录取得的证书')];
  }
  if (line.certificateDate < p.subsidy.certificateEarliestDate) {
    out.push(
      fail(
        'R4.4',
        `certificate obtained before ${p.subsidy.certificateEarliestDate}`,
        `证书取得时间早于 ${p.subsidy.certificateEarliestDate}`,
      ),
    );
  }
  if (line.certificateLevel !== 'SPECIAL' && line.certificateLevel !== String(cls.level)) {
    out.push(
      fail(
        'R4.4',
        `certificate level ${line.certificateLevel} is not the class level ${cls.level}`,
        `证书等级 ${line.certificateLevel} 与培训等级 ${cls.level} 不符`,
      ),
    );
  }
  if (line.certificateGranted) out.push(fail('R4.4', 'this certificate was already subsidised', '该证书已享受过补贴'));
  return out;
}

// ---------------------------------------------------------------------------------------------------
// R10.3 post-audit draws. The random values come from a cryptographic source inside an activity
// (activities/claim.activities.ts drawPostAudit) and are recorded with the claim; these helpers only turn
// given values into a result, so anyone can check a recorded draw but nobody can predict one.
// ---------------------------------------------------------------------------------------------------

/** Draw values are integers in [0, DRAW_SCALE): a rate in whole percent compares exactly. */
export const DRAW_SCALE = 1_000_000;

/** R10.3 a claim is sampled when its drawn value falls under the rate: value < rate% of the scale. */
export function isSampled(value: number, ratePercent: number): boolean {
  return value < (ratePercent * DRAW_SCALE) / 100;
}

/** One level of the inspector pool: the claim's own region first, then its parents (county → city → province). */
export interface PoolLevel {
  regionCode: string;
  inspectors: string[];
}

/**
 * R10.3 whom a team can be drawn from: the claim's region's pool without the claim's deciders (recusal,
 * 行政处罚法 art. 43), widened level by level to the parent regions' pools until it holds `count` people.
 * Never wider than the last level given (the province): null when even that is too small.
 */
export function eligibleInspectors(
  levels: PoolLevel[],
  excluded: string[],
  count: number,
): { widenedTo: string; eligible: string[] } | null {
  const out = new Set<string>();
  for (const level of levels) {
    for (const u of level.inspectors) if (!excluded.includes(u)) out.add(u);
    if (out.size >= count) return { widenedTo: level.regionCode, eligible: [...out].sort() };
  }
  return null;
}

/**
 * Picks a team from the (sorted) eligible list with given random picks: pick i is an integer in
 * [0, eligible.length - i) and takes that position among those still left. Pure: a recorded draw replays.
 */
export function teamFromPicks(eligible: string[], picks: number[]): string[] {
  const left = [...eligible];
  return picks.map((p, i) => {
    if (!Number.isInteger(p) || p < 0 || p >= left.length) throw new RangeError(`pick ${i} (${p}) is outside 0..${left.length - 1}`);
    return left.splice(p, 1)[0];
  });
}

/** R10.3 an earlier post-audit team of the same institution: its claim, when it was drawn, who was on it. */
export interface PriorTeam {
  claimId: string;
  drawnAt: string; // ISO instant
  inspectors: string[];
}

/**
 * R10.3 the previous teams that rotate out of the institution's next draw: the last `claims` sampled claims
 * that had a team, and every one drawn within `period` before `now` (SECONDS or DAYS). Pure: the caller
 * passes the clock.
 */
export function rotationRecent(prior: PriorTeam[], lookback: RotationLookback, now: Date): { claimIds: string[]; inspectors: string[] } {
  const teams = prior
    .filter((t) => t.inspectors.length > 0)
    .sort((a, b) => b.drawnAt.localeCompare(a.drawnAt) || b.claimId.localeCompare(a.claimId));
  const p = lookback.period;
  const sinceMs = p ? now.getTime() - p.amount * (p.unit === 'SECONDS' ? 1_000 : p.unit === 'DAYS' ? 86_400_000 : NaN) : null;
  if (sinceMs !== null && Number.isNaN(sinceMs)) throw new RangeError(`rotation period in ${p!.unit}: only SECONDS or DAYS`);
  const chosen = teams.filter((t, i) => i < lookback.claims || (sinceMs !== null && Date.parse(t.drawnAt) >= sinceMs));
  return { claimIds: chosen.map((t) => t.claimId), inspectors: [...new Set(chosen.flatMap((t) => t.inspectors))].sort() };
}

/**
 * R10.3 the pool a team is drawn from once inspectors rotate. `seats` picks are made from `eligible`
 * (sorted); `certain` go on the team without a draw.
 */
export interface TeamPool {
  widenedTo: string;
  eligible: string[];
  seats: number;
  certain: string[];
  /** left out because they were on one of the institution's previous teams */
  rotatedOut: string[];
  /** too few inspectors without the previous teams, up to the province: some of them are drawn again */
  relaxed: boolean;
}

/**
 * R10.3 "inspectors rotate": `recent` (the institution's previous teams) are left out like the deciders,
 * and the pool widens county → city → province until it holds `count` others. If even the province does
 * not, the rotation is relaxed, never the recusal: everyone eligible who was not on a previous team goes on
 * the team, and the seats left are drawn among the previous teams' members. Null when the province's
 * pool without the deciders is too small (the lead inspector assigns the team).
 */
export function rotatedTeamPool(levels: PoolLevel[], excluded: string[], recent: string[], count: number): TeamPool | null {
  const rotating = [...new Set(recent)].filter((u) => !excluded.includes(u));
  const found = eligibleInspectors(levels, [...excluded, ...rotating], count);
  if (found) {
    const reached = levels.slice(0, levels.findIndex((l) => l.regionCode === found.widenedTo) + 1);
    const rotatedOut = [...new Set(reached.flatMap((l) => l.inspectors))].filter((u) => rotating.includes(u)).sort();
    return { widenedTo: found.widenedTo, eligible: found.eligible, seats: count, certain: [], rotatedOut, relaxed: false };
  }
  if (!eligibleInspectors(levels, excluded, count)) return null;
  // The whole pool was searched for inspectors off the previous teams: every one of them is needed.
  const everyone = [...new Set(levels.flatMap((l) => l.inspectors))].filter((u) => !excluded.includes(u)).sort();
  const certain = everyone.filter((u) => !rotating.includes(u));
  const eligible = everyone.filter((u) => rotating.includes(u));
  return {
    widenedTo: levels[levels.length - 1].regionCode,
    eligible,
    seats: count - certain.length,
    certain,
    rotatedOut: [],
    relaxed: true,
  };
}

/** R10.3 the team a rotated pool and its picks give, and who of the previous teams stays out of it. */
export function teamFromPool(pool: TeamPool, picks: number[]): { inspectors: string[]; rotatedOut: string[] } {
  if (picks.length !== pool.seats) throw new RangeError(`${picks.length} picks for ${pool.seats} seats`);
  const drawn = teamFromPicks(pool.eligible, picks);
  const inspectors = [...pool.certain, ...drawn];
  return { inspectors, rotatedOut: pool.relaxed ? pool.eligible.filter((u) => !drawn.includes(u)) : pool.rotatedOut };
}

/**
 * LEGACY, for claims opened before the random draw (patch 'post-audit-random-draw') only, so their
 * workflows replay: a number in [0, 1) from the claim id alone (FNV-1a). Predictable, never used for a new draw.
 */
export function legacyAuditDraw(claimId: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < claimId.length; i++) {
    h ^= claimId.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  h = Math.imul(h ^ (h >>> 16), 0x45d9f3b) >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x45d9f3b) >>> 0;
  return ((h ^ (h >>> 16)) >>> 0) / 2 ** 32;
}

/** LEGACY companion of legacyAuditDraw (claims opened before the random draw only). */
export function legacyDrawInspectors(claimId: string, pool: string[], excluded: string[], count: number): string[] | null {
  const eligible = [...new Set(pool)].filter((u) => !excluded.includes(u)).sort();
  if (eligible.length < count) return null;
  const picked: string[] = [];
  for (let i = 0; picked.length < count; i++) {
    const idx = Math.floor(legacyAuditDraw(`${claimId}#${i}`) * eligible.length);
    const [u] = eligible.splice(idx, 1);
    picked.push(u);
  }
  return picked;
}
