// What a reviewer may decide on a claim's lines (R6.2 full review, R10.1 and R4.2 overrides), and which
// claims may take the commitment fast path (R6.2). Pure, for the workflow and its Update validators.
import type { Problem } from '../contracts/common';
import type { ClaimLineDecision } from '../contracts/claim';
import type { Refusal } from './filing-rules';
import type { PolicyParameters } from './policy';

/**
 * Rules a reviewer may override, each with what the override needs: R10.1 attendance with a reason and a
 * reference to the evidence (sign-in sheets, video…); R4.2 without a catalogue standard with the amount per
 * person (≤ the cap) and its basis. Every other failure is binding.
 */
export const OVERRIDABLE_RULES = ['R10.1', 'R4.2'];

export interface OpenLines {
  /** lines awaiting a decision, with the rules each breaks (empty for a line that passed) */
  pending: Map<string, string[]>;
  /** R4.2 cap per person, for amounts a reviewer sets */
  workerCapFen?: number;
}

/** The overridable rules an approval of a line with these failures overrides (what the audit and posting show). */
export function overriddenRules(rules: string[]): string[] {
  return rules.filter((r) => OVERRIDABLE_RULES.includes(r));
}

export function refuseLineDecisions(decisions: ClaimLineDecision[], open: OpenLines): Refusal | null {
  const problems: Problem[] = [];
  const seen = new Set<string>();
  decisions.forEach((d, i) => {
    const rules = open.pending.get(d.lineId);
    if (rules === undefined) {
      problems.push({ field: `lines[${i}].lineId`, problem: 'not a line awaiting a decision', problemZh: '该明细不在待审核之列' });
      return;
    }
    if (seen.has(d.lineId)) problems.push({ field: `lines[${i}].lineId`, problem: 'decided twice', problemZh: '重复决定' });
    seen.add(d.lineId);
    if (!d.approve && !d.reason?.trim()) {
      problems.push({ field: `lines[${i}].reason`, problem: 'a rejected line needs a reason', problemZh: '不予补贴须说明理由' });
    }
    const binding = rules.filter((r) => !OVERRIDABLE_RULES.includes(r));
    if (d.approve && binding.length > 0) {
      problems.push({ field: `lines[${i}].approve`, problem: `breaks ${binding.join(', ')}, which cannot be overridden`, problemZh: `违反 ${binding.join('、')}，不能批准` });
    }
    if (d.approve && rules.includes('R10.1')) {
      if (!d.reason?.trim()) problems.push({ field: `lines[${i}].reason`, problem: 'approving a line under 80% attendance needs a reason (R10.1)', problemZh: '批准出勤不足的明细须说明理由（R10.1）' });
      if (!d.evidence?.trim()) problems.push({ field: `lines[${i}].evidence`, problem: 'approving a line under 80% attendance needs a reference to the evidence: sign-in sheets, video… (R10.1)', problemZh: '批准出勤不足的明细须注明证明材料（签到表、视频等，R10.1）' });
    }
    if (d.amountFen !== undefined && !(d.approve && rules.includes('R4.2'))) {
      problems.push({ field: `lines[${i}].amountFen`, problem: 'an amount is set only when approving a line without a catalogue standard (R4.2)', problemZh: '仅在批准无目录标准的明细时核定金额（R4.2）' });
    } else if (d.approve && rules.includes('R4.2')) {
      const cap = open.workerCapFen ?? Number.MAX_SAFE_INTEGER;
      if (d.amountFen === undefined || !Number.isInteger(d.amountFen) || d.amountFen < 1 || d.amountFen > cap) {
        problems.push({ field: `lines[${i}].amountFen`, problem: `no catalogue standard applies: set the amount per person in fen, 1 to ${cap} (R4.2)`, problemZh: `无目录补贴标准：须核定每人补贴金额（分），1 至 ${cap}（R4.2）` });
      }
      if (!d.reason?.trim()) problems.push({ field: `lines[${i}].reason`, problem: 'give the basis of the amount, e.g. the local standard (R3.2, R4.2)', problemZh: '须说明金额依据，如地方标准（R3.2、R4.2）' });
    }
  });
  const missing = [...open.pending.keys()].filter((id) => !seen.has(id));
  if (missing.length > 0) {
    problems.push({ field: 'lines', problem: `${missing.length} lines awaiting a decision are missing`, problemZh: `尚有 ${missing.length} 条明细未作决定` });
  }
  if (problems.length === 0) return null;
  return { code: 'INVALID_DECISION', message: 'The line decisions are not valid for this claim.', messageZh: '补贴明细审核决定无效。', problems };
}

/** What decides whether a signed claim may take the commitment fast path (R6.2). */
export interface RegimeFacts {
  qualificationRoute: 'FILING' | 'TENDER' | null;
  /** a bureau recorded the class as delivered under a project it commissioned */
  commissioned: boolean;
  category: 'ENTERPRISE_EMPLOYEE' | 'WORKER' | 'POOR_LABOURER' | 'CERTIFICATE';
}

export type ClaimRegime = { regime: 'COMMITMENT' } | { regime: 'FULL_REVIEW'; reason: string; reasonZh: string };

/**
 * R6.2: the notification-commitment regime covers project-based training (项目制培训, §3.4) — by default a
 * class under a procured lot or a bureau-commissioned project. Any other claim, signed or not, is reviewed
 * in full; the commitment it signed stays on record.
 */
export function claimRegime(withCommitment: boolean, f: RegimeFacts, scope: PolicyParameters['claim']['commitmentRegime']): ClaimRegime {
  if (!withCommitment) return { regime: 'FULL_REVIEW', reason: 'no commitment signed', reasonZh: '未签署告知承诺' };
  if (!scope.categories.includes(f.category)) {
    return { regime: 'FULL_REVIEW', reason: `the commitment regime does not cover ${f.category} claims here (R6.2)`, reasonZh: '本地告知承诺制不适用于该补贴类别（R6.2）' };
  }
  const byRoute = f.qualificationRoute !== null && scope.qualificationRoutes.includes(f.qualificationRoute);
  const byCommission = scope.commissionedProjects && f.commissioned;
  if (byRoute || byCommission) return { regime: 'COMMITMENT' };
  return {
    regime: 'FULL_REVIEW',
    reason: 'the commitment regime covers project-based training: a procured lot or a bureau-commissioned project (R6.2, §3.4)',
    reasonZh: '告知承诺制适用于项目制培训（政府采购项目或人社部门委托项目），本申请按一般程序审核（R6.2）',
  };
}
