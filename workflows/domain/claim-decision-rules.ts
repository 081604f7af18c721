// What a reviewer may decide on a claim's lines (R6.2 full review, R10.1 override). Pure, for the
// workflow's Update validators.
import type { Problem } from '../contracts/common';
import type { ClaimLineDecision } from '../contracts/claim';
import type { Refusal } from './filing-rules';

/** Rules a reviewer may override with evidence (attendance records); every other failure is binding. */
export const OVERRIDABLE_RULES = ['R10.1'];

export interface OpenLines {
  /** lines awaiting a decision, with the rules each breaks (empty for a line that passed) */
  pending: Map<string, string[]>;
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
  });
  const missing = [...open.pending.keys()].filter((id) => !seen.has(id));
  if (missing.length > 0) {
    problems.push({ field: 'lines', problem: `${missing.length} lines awaiting a decision are missing`, problemZh: `尚有 ${missing.length} 条明细未作决定` });
  }
  if (problems.length === 0) return null;
  return { code: 'INVALID_DECISION', message: 'The line decisions are not valid for this claim.', messageZh: '补贴明细审核决定无效。', problems };
}
