// The claim workflow's Update validators as pure rules (issue 8.5), fed the case object claimWorkflow keeps:
// the reviewer's decision (R6.2, R10.1, R4.2), objection answers (R10.2) and post-audit teams and reports
// (R10.3, recusal under 行政处罚法 art. 43).
import type { Actor } from '../../workflows/contracts/common';
import type { ClaimState } from '../../workflows/contracts/claim';
import {
  refuseClaimDecision,
  refuseInspectionReport,
  refuseInspectionTeam,
  refuseObjectionResolution,
  type ClaimCase,
} from '../../workflows/domain/claim-decision-rules';
import { DEFAULT_POLICY } from '../../workflows/domain/policy';

const state = (over: Partial<ClaimState> = {}): ClaimState => ({
  claimId: 'c1',
  status: 'UNDER_REVIEW',
  policyVersionIds: ['p1'],
  openTaskIds: ['t1'],
  approvedFen: 0,
  paidFen: 0,
  ...over,
});
const claimCase = (over: Partial<ClaimCase> = {}): ClaimCase => ({
  state: state(),
  policy: DEFAULT_POLICY,
  pending: new Map([['l1', []]]),
  decided: false,
  filed: [],
  eachObjection: false,
  objectionResolved: false,
  randomDraw: false,
  excluded: [],
  inspectors: [],
  inspected: false,
  teamAssigned: false,
  ...over,
});
const actor = (userId: string): Actor => ({ userId, roles: ['inspector'], regionCode: '140100' });
const fields = (r: ReturnType<typeof refuseClaimDecision>) => (r?.problems ?? []).map((p) => p.field);

describe(refuseClaimDecision.name, () => {
  const approveAll = [{ lineId: 'l1', approve: true }];
  it.each<[string, ClaimCase, string, string | null]>([
    ['the open review task of a claim under review', claimCase(), 't1', null],
    ["the lead reviewer's escalated task beside it", claimCase({ state: state({ openTaskIds: ['t1', 't2'] }) }), 't2', null],
    ['a task the claim never opened', claimCase(), 'other', 'TASK_NOT_OPEN'],
    ['a claim past review', claimCase({ state: state({ status: 'POSTED', openTaskIds: [] }) }), 't1', 'TASK_NOT_OPEN'],
    // A second decision racing the first: the handler has claimed the case but not yet cleared the task.
    ['a decision claimed by a handler still running', claimCase({ decided: true }), 't1', 'TASK_NOT_OPEN'],
  ])('%s (task %s) → %s', (_, c, taskId, code) => {
    expect(refuseClaimDecision(c, { taskId, lines: approveAll })?.code ?? null).toBe(code);
  });

  it('R4.2 an amount above the cap of the policy the claim opened under is refused', () => {
    const c = claimCase({ pending: new Map([['l1', ['R4.2']]]) });
    const over = DEFAULT_POLICY.subsidy.workerCapFen + 1;
    expect(
      fields(refuseClaimDecision(c, { taskId: 't1', lines: [{ lineId: 'l1', approve: true, amountFen: over, reason: '地方标准' }] })),
    ).toEqual(['lines[0].amountFen']);
    expect(
      refuseClaimDecision(c, { taskId: 't1', lines: [{ lineId: 'l1', approve: true, amountFen: over - 1, reason: '地方标准' }] }),
    ).toBeNull();
  });
});

describe(refuseObjectionResolution.name, () => {
  const dismiss = { outcome: 'DISMISS' as const, reason: '核实无误' };
  const each = (o: Partial<ClaimCase['filed'][number]> = {}) =>
    claimCase({
      state: state({ status: 'HELD', openTaskIds: [] }),
      eachObjection: true,
      filed: [{ objectionId: 'o1', lineIds: ['l1'], taskId: 'ot1', resolved: false, ...o }],
    });
  it.each<[string, ClaimCase, string, Parameters<typeof refuseObjectionResolution>[1], string | null, string[]]>([
    ['R10.2 an open objection, dismissed with a reason', each(), 'ot1', { taskId: 'ot1', ...dismiss }, null, []],
    ['R10.2 an objection already answered', each({ resolved: true }), 'ot1', { taskId: 'ot1', ...dismiss }, 'TASK_NOT_OPEN', []],
    ['R10.2 a task no objection has', each(), 'zz', { taskId: 'zz', ...dismiss }, 'TASK_NOT_OPEN', []],
    ['R10.2 an answer needs a reason', each(), 'ot1', { taskId: 'ot1', outcome: 'DISMISS', reason: ' ' }, 'INVALID_DECISION', ['reason']],
    [
      'R10.2 upholding names the lines',
      each(),
      'ot1',
      { taskId: 'ot1', outcome: 'UPHOLD', reason: '属实' },
      'INVALID_DECISION',
      ['lineIds'],
    ],
    [
      'R10.2 upholding only lines the objection names',
      each(),
      'ot1',
      { taskId: 'ot1', outcome: 'UPHOLD', reason: '属实', lineIds: ['l1', 'l2'] },
      'INVALID_DECISION',
      ['lineIds'],
    ],
    [
      'R10.2 upholding a line the objection names',
      each(),
      'ot1',
      { taskId: 'ot1', outcome: 'UPHOLD', reason: '属实', lineIds: ['l1'] },
      null,
      [],
    ],
    [
      'R10.2 an objection naming no line may uphold any',
      each({ lineIds: [] }),
      'ot1',
      { taskId: 'ot1', outcome: 'UPHOLD', reason: '属实', lineIds: ['l2'] },
      null,
      [],
    ],
    // Claims opened before the objections-each-answered patch: one task per round, while the claim is held.
    [
      'old path: the round task of a held claim',
      claimCase({ state: state({ status: 'HELD' }), objectionTaskId: 'r1' }),
      'r1',
      { taskId: 'r1', ...dismiss },
      null,
      [],
    ],
    [
      'old path: the round already answered',
      claimCase({ state: state({ status: 'HELD' }), objectionTaskId: 'r1', objectionResolved: true }),
      'r1',
      { taskId: 'r1', ...dismiss },
      'TASK_NOT_OPEN',
      [],
    ],
    [
      'old path: a claim posted again',
      claimCase({ state: state({ status: 'POSTED' }), objectionTaskId: 'r1' }),
      'r1',
      { taskId: 'r1', ...dismiss },
      'TASK_NOT_OPEN',
      [],
    ],
  ])('%s', (_, c, _task, request, code, fs) => {
    const r = refuseObjectionResolution(c, request);
    expect(r?.code ?? null).toBe(code);
    expect(fields(r)).toEqual(fs);
  });
});

describe(refuseInspectionReport.name, () => {
  const drawn = claimCase({
    state: state({ status: 'PAID', auditTaskId: 'a1' }),
    randomDraw: true,
    inspectors: ['i1', 'i2'],
    excluded: ['rev'],
  });
  it.each<[string, ClaimCase, string, string, string, string | null]>([
    ['R10.3 a member of the drawn team reports', drawn, 'a1', 'i1', '核查属实', null],
    ['R10.3 recusal: whoever decided on the claim never reports', drawn, 'a1', 'rev', '核查属实', 'FORBIDDEN'],
    ['R10.3 nobody outside the team reports', drawn, 'a1', 'i9', '核查属实', 'FORBIDDEN'],
    ['findings are required', drawn, 'a1', 'i1', '  ', 'INVALID_DECISION'],
    ['a task that is not the inspection', drawn, 'zz', 'i1', '核查属实', 'TASK_NOT_OPEN'],
    ['an inspection already reported', { ...drawn, inspected: true }, 'a1', 'i1', '核查属实', 'TASK_NOT_OPEN'],
    [
      'legacy draw without a team: any inspector of the region',
      claimCase({ state: state({ status: 'PAID', auditTaskId: 'a1' }) }),
      'a1',
      'i9',
      '核查属实',
      null,
    ],
  ])('%s', (_, c, taskId, userId, findings, code) => {
    expect(refuseInspectionReport(c, { taskId, actor: actor(userId), findings })?.code ?? null).toBe(code);
  });
});

describe(refuseInspectionTeam.name, () => {
  const waiting = claimCase({ state: state({ status: 'PAID' }), randomDraw: true, teamTaskId: 'tt', excluded: ['rev'] });
  const perTeam = DEFAULT_POLICY.postAudit.inspectorsPerTeam;
  const team = Array.from({ length: perTeam }, (_, i) => `i${i + 1}`);
  it.each<[string, ClaimCase, string, string[], string | null, string[]]>([
    ['R10.3 a full team with no conflict', waiting, 'tt', team, null, []],
    ['R10.3 too few inspectors', waiting, 'tt', team.slice(1), 'INVALID_DECISION', ['inspectors']],
    ['each inspector once', waiting, 'tt', [...team, team[0]], 'INVALID_DECISION', ['inspectors']],
    ['R10.3 recusal: no one who decided on the claim', waiting, 'tt', [...team.slice(1), 'rev'], 'INVALID_DECISION', ['inspectors']],
    ['a task that is not the team task', waiting, 'zz', team, 'TASK_NOT_OPEN', []],
    ['a team already assigned', { ...waiting, teamAssigned: true }, 'tt', team, 'TASK_NOT_OPEN', []],
    ['a claim whose team was drawn', { ...waiting, teamTaskId: undefined }, 'tt', team, 'TASK_NOT_OPEN', []],
  ])('%s', (_, c, taskId, inspectors, code, fs) => {
    const r = refuseInspectionTeam(c, { taskId, inspectors });
    expect(r?.code ?? null).toBe(code);
    expect(fields(r)).toEqual(fs);
  });
});
