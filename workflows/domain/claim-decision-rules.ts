// What a reviewer may decide on a claim's lines (R6.2 full review, R10.1 and R4.2 overrides), and which
// claims may take the commitment fast path (R6.2). Pure, for the workflow and its Update validators, which
// call the refuseX(claim, request) below with the workflow's own case object (issue 8.5).
import type { Problem } from '../contracts/common';
import type {
  ClaimDecisionRequest,
  ClaimLineDecision,
  ClaimState,
  InspectionReportRequest,
  InspectionTeamRequest,
  ObjectionResolutionRequest,
} from '../contracts/claim';
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
      problems.push({
        field: `lines[${i}].approve`,
        problem: `breaks ${binding.join(', ')}, which cannot be overridden`,
        problemZh: `违反 ${binding.join('、')}，不能批准`,
      });
    }
    if (d.approve && rules.includes('R10.1')) {
      if (!d.reason?.trim())
        problems.push({
          field: `lines[${i}].reason`,
          problem: 'approving a line under 80% attendance needs a reason (R10.1)',
          problemZh: '批准出勤不足的明细须说明理由（R10.1）',
        });
      if (!d.evidence?.trim())
        problems.push({
          field: `lines[${i}].evidence`,
          problem: 'approving a line under 80% attendance needs a reference to the evidence: sign-in sheets, video… (R10.1)',
          problemZh: '批准出勤不足的明细须注明证明材料（签到表、视频等，R10.1）',
        });
    }
    if (d.amountFen !== undefined && !(d.approve && rules.includes('R4.2'))) {
      problems.push({
        field: `lines[${i}].amountFen`,
        problem: 'an amount is set only when approving a line without a catalogue standard (R4.2)',
        problemZh: '仅在批准无目录标准的明细时核定金额（R4.2）',
      });
    } else if (d.approve && rules.includes('R4.2')) {
      const cap = open.workerCapFen ?? Number.MAX_SAFE_INTEGER;
      if (d.amountFen === undefined || !Number.isInteger(d.amountFen) || d.amountFen < 1 || d.amountFen > cap) {
        problems.push({
          field: `lines[${i}].amountFen`,
          problem: `no catalogue standard applies: set the amount per person in fen, 1 to ${cap} (R4.2)`,
          problemZh: `无目录补贴标准：须核定每人补贴金额（分），1 至 ${cap}（R4.2）`,
        });
      }
      if (!d.reason?.trim())
        problems.push({
          field: `lines[${i}].reason`,
          problem: 'give the basis of the amount, e.g. the local standard (R3.2, R4.2)',
          problemZh: '须说明金额依据，如地方标准（R3.2、R4.2）',
        });
    }
  });
  const missing = [...open.pending.keys()].filter((id) => !seen.has(id));
  if (missing.length > 0) {
    problems.push({
      field: 'lines',
      problem: `${missing.length} lines awaiting a decision are missing`,
      problemZh: `尚有 ${missing.length} 条明细未作决定`,
    });
  }
  if (problems.length === 0) return null;
  return {
    code: 'INVALID_DECISION',
    message: 'The line decisions are not valid for this claim.',
    messageZh: '补贴明细审核决定无效。',
    problems,
  };
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
    return {
      regime: 'FULL_REVIEW',
      reason: `the commitment regime does not cover ${f.category} claims here (R6.2)`,
      reasonZh: '本地告知承诺制不适用于该补贴类别（R6.2）',
    };
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

/** R10.2 one objection as the claim workflow follows it. */
export interface FiledObjection {
  objectionId: string;
  /** the posted lines it names; empty: the whole claim */
  lineIds: string[];
  /** its reviewer task, once taken up during the posting period */
  taskId?: string;
  resolved: boolean;
}

/**
 * What claimWorkflow keeps of its case, the very object its Update validators read: the queried state, the
 * policy in force when the claim opened, and the claims each handler makes before it awaits anything (so a
 * second Update racing the first is refused).
 */
export interface ClaimCase<O extends FiledObjection = FiledObjection> {
  state: ClaimState;
  /** resolved before any task opens (POLICY.md preamble) */
  policy?: PolicyParameters;
  /** lines awaiting a reviewer, with the rules they break */
  pending: Map<string, string[]>;
  /** the reviewer's decision was taken */
  decided: boolean;
  /** R10.2 objections in the order they arrived */
  filed: O[];
  /** R10.2 (objections-each-answered patch) each objection has its own task and answer */
  eachObjection: boolean;
  /** before that patch: the one objection task of the current round, and whether it was answered */
  objectionTaskId?: string;
  objectionResolved: boolean;
  /** R10.3 (post-audit-random-draw patch) the draw was made by an activity, with recusal */
  randomDraw: boolean;
  /** R10.3 who decided on the claim: never on its team */
  excluded: string[];
  /** R10.3 the post-audit team */
  inspectors: string[];
  inspected: boolean;
  /** R10.3 the lead inspector's task to name a team when none could be drawn */
  teamTaskId?: string;
  teamAssigned: boolean;
}

const notOpen = (message: string, messageZh: string): Refusal => ({ code: 'TASK_NOT_OPEN', message, messageZh });

/** R6.2 full review, R10.1, R4.2: why a reviewer's line decisions cannot be taken, or null. */
export function refuseClaimDecision(claim: ClaimCase, request: Pick<ClaimDecisionRequest, 'taskId' | 'lines'>): Refusal | null {
  if (claim.decided || claim.state.status !== 'UNDER_REVIEW' || !claim.state.openTaskIds.includes(request.taskId)) {
    return notOpen('This task is not open for a decision.', '该任务当前不可决定。');
  }
  return refuseLineDecisions(request.lines, { pending: claim.pending, workerCapFen: claim.policy?.subsidy.workerCapFen });
}

/** R10.2: why an answer to an objection cannot be given, or null. An objection upholds only the lines it names. */
export function refuseObjectionResolution(
  claim: ClaimCase,
  request: Pick<ObjectionResolutionRequest, 'taskId' | 'outcome' | 'reason' | 'lineIds'>,
): Refusal | null {
  const { taskId, outcome, reason, lineIds } = request;
  const objection = claim.eachObjection ? claim.filed.find((o) => o.taskId === taskId) : undefined;
  const awaiting = claim.eachObjection
    ? objection !== undefined && !objection.resolved
    : !claim.objectionResolved && claim.state.status === 'HELD' && taskId === claim.objectionTaskId;
  if (!awaiting) return notOpen('No objection of this claim awaits this task.', '该任务没有待处理的异议。');
  const problems: Problem[] = [];
  if (!reason.trim()) problems.push({ field: 'reason', problem: 'a reason is required', problemZh: '须填写理由' });
  if (outcome === 'UPHOLD' && !(lineIds && lineIds.length > 0))
    problems.push({ field: 'lineIds', problem: 'name the lines the objection is right about', problemZh: '须列明异议成立的明细' });
  // R10.2 lines no open objection named may already be paid: an objection upholds only the lines it names.
  if (outcome === 'UPHOLD' && objection && objection.lineIds.length > 0 && (lineIds ?? []).some((id) => !objection.lineIds.includes(id))) {
    problems.push({ field: 'lineIds', problem: 'only lines this objection names can be upheld', problemZh: '只能认定本异议所列明细' });
  }
  if (problems.length)
    return { code: 'INVALID_DECISION', message: 'The resolution is not valid.', messageZh: '异议处理决定无效。', problems };
  return null;
}

/** R10.3: why a post-audit report cannot be filed by this actor, or null (recusal, team membership, findings). */
export function refuseInspectionReport(
  claim: ClaimCase,
  request: Pick<InspectionReportRequest, 'taskId' | 'actor' | 'findings'>,
): Refusal | null {
  const { taskId, actor, findings } = request;
  if (claim.inspected || taskId !== claim.state.auditTaskId) return notOpen('This inspection is not open.', '该抽查任务不在办理中。');
  // R10.3 recusal: whoever decided on the claim never reports on it.
  if (claim.randomDraw && claim.excluded.includes(actor.userId)) {
    return {
      code: 'FORBIDDEN',
      message: 'You decided on this claim and cannot report on it (recusal).',
      messageZh: '您参与过该申请的审核决定，应当回避，不得提交检查结论。',
    };
  }
  if ((claim.randomDraw || claim.inspectors.length > 0) && !claim.inspectors.includes(actor.userId)) {
    return {
      code: 'FORBIDDEN',
      message: 'Only an inspector of the drawn team can report.',
      messageZh: '只有抽中的检查组成员可以提交结论。',
    };
  }
  if (!findings.trim()) {
    return {
      code: 'INVALID_DECISION',
      message: 'Findings are required.',
      messageZh: '须填写检查结论。',
      problems: [{ field: 'findings', problem: 'required', problemZh: '必填' }],
    };
  }
  return null;
}

/** R10.3: why the team the lead inspector names cannot be assigned, or null (size, duplicates, recusal). */
export function refuseInspectionTeam(claim: ClaimCase, request: Pick<InspectionTeamRequest, 'taskId' | 'inspectors'>): Refusal | null {
  const { taskId, inspectors: team } = request;
  if (claim.teamAssigned || !claim.teamTaskId || taskId !== claim.teamTaskId)
    return notOpen('No inspection team awaits this task.', '该任务没有待组建的检查组。');
  const perTeam = claim.policy!.postAudit.inspectorsPerTeam; // resolved before the draw that opened the task
  const problems: Problem[] = [];
  if (new Set(team).size !== team.length)
    problems.push({ field: 'inspectors', problem: 'each inspector once', problemZh: '检查人员不得重复' });
  if (new Set(team).size < perTeam)
    problems.push({ field: 'inspectors', problem: `at least ${perTeam} inspectors`, problemZh: `检查组至少 ${perTeam} 人` });
  const conflicted = team.filter((u) => claim.excluded.includes(u));
  if (conflicted.length)
    problems.push({
      field: 'inspectors',
      problem: `decided on this claim (recusal): ${conflicted.join(', ')}`,
      problemZh: `参与过该申请决定，应当回避：${conflicted.join('、')}`,
    });
  if (problems.length) return { code: 'INVALID_DECISION', message: 'The team is not valid.', messageZh: '检查组人员无效。', problems };
  return null;
}
