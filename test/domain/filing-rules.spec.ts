// Decision rules for filing reviews (R2.1 审核备案, R2.3 scope).
import { refuseFilingDecision, refuseResubmission, statusAfter } from '../../workflows/domain/filing-rules';
import { normaliseScope, scopeExcess } from '../../workflows/domain/scope';
import type { FilingDecision, FilingState } from '../../workflows/contracts/filing';
import type { FilingCase } from '../../workflows/domain/filing-rules';

const requested = [
  { occupationCode: '4-10-01-06', levels: [5, 4, 3] as (1 | 2 | 3 | 4 | 5)[] },
  { occupationCode: '4-10-01-05', levels: [5] as (1 | 2 | 3 | 4 | 5)[] },
];
const now = new Date('2026-11-27T10:00:00+08:00');
// The case object filingWorkflow keeps, as its validators see it (issue 8.5).
const state = (over: Partial<FilingState> = {}): FilingState => ({
  filingId: 'f1',
  status: 'UNDER_REVIEW',
  revision: 1,
  policyVersionIds: ['p1'],
  openTasks: [{ taskId: 't1', role: 'reviewer', dueAt: '2026-12-11T00:00:00+08:00', escalated: false }],
  ...over,
});
const underReview: FilingCase = { state: state(), requestedScope: requested, resubmitted: false };

describe(refuseFilingDecision.name, () => {
  it.each<[string, FilingDecision, string | null, string[]]>([
    ['R2.3 approve the whole requested scope', { outcome: 'APPROVE', grantedScope: requested }, null, []],
    ['R2.3 approve a narrower scope', { outcome: 'APPROVE', grantedScope: [{ occupationCode: '4-10-01-06', levels: [5] }] }, null, []],
    [
      'R2.3 never a wider level',
      { outcome: 'APPROVE', grantedScope: [{ occupationCode: '4-10-01-06', levels: [2] }] },
      'INVALID_DECISION',
      ['grantedScope[0].levels[0]'],
    ],
    [
      'R2.3 never an occupation not requested',
      { outcome: 'APPROVE', grantedScope: [{ occupationCode: '4-10-01-03', levels: [5] }] },
      'INVALID_DECISION',
      ['grantedScope[0].occupationCode'],
    ],
    ['an approval grants something', { outcome: 'APPROVE', grantedScope: [] }, 'INVALID_DECISION', ['grantedScope']],
    ['a rejection has a reason', { outcome: 'REJECT', reason: ' ' }, 'INVALID_DECISION', ['reason']],
    ['a rejection with a reason', { outcome: 'REJECT', reason: '场地不符' }, null, []],
    ['a return has a reason', { outcome: 'RETURN', reason: '' }, 'INVALID_DECISION', ['reason']],
    [
      'a return deadline lies ahead',
      { outcome: 'RETURN', reason: '补充材料', amendmentDueAt: '2026-11-27T09:00:00+08:00' },
      'INVALID_DECISION',
      ['amendmentDueAt'],
    ],
    ['a return with a future deadline', { outcome: 'RETURN', reason: '补充材料', amendmentDueAt: '2026-12-11T00:00:00+08:00' }, null, []],
  ])('%s', (_, decision, code, fields) => {
    const refusal = refuseFilingDecision(underReview, { taskId: 't1', decision }, now);
    expect(refusal?.code ?? null).toBe(code);
    expect((refusal?.problems ?? []).map((p) => p.field)).toEqual(fields);
    if (refusal) expect(refusal.messageZh).toMatch(/[\u4e00-\u9fff]/);
  });

  const ok: FilingDecision = { outcome: 'REJECT', reason: 'x' };
  const escalated = state({
    openTasks: [
      { taskId: 't1', role: 'reviewer', dueAt: '2026-12-11T00:00:00+08:00', escalated: true },
      { taskId: 't2', role: 'lead_reviewer', dueAt: '2026-12-18T00:00:00+08:00', escalated: false },
    ],
  });
  it.each<[string, FilingCase, string, string | null]>([
    ['the open reviewer task', underReview, 't1', null],
    ['a task the filing never opened', underReview, 'other', 'TASK_NOT_OPEN'],
    ['the escalated reviewer task, still open beside the lead reviewer', { ...underReview, state: escalated }, 't1', null],
    ["the lead reviewer's task", { ...underReview, state: escalated }, 't2', null],
    ['a filing already decided', { ...underReview, state: state({ status: 'APPROVED', openTasks: [] }) }, 't1', 'TASK_NOT_OPEN'],
    ['a filing returned for amendment', { ...underReview, state: state({ status: 'RETURNED', openTasks: [] }) }, 't1', 'TASK_NOT_OPEN'],
    // A second decision racing the first: the handler has claimed the case but not yet changed its state.
    ['a decision claimed by a handler still running', { ...underReview, decided: ok }, 't1', 'TASK_NOT_OPEN'],
  ])('%s (task %s) → %s', (_, filing, taskId, code) => {
    expect(refuseFilingDecision(filing, { taskId, decision: ok }, now)?.code ?? null).toBe(code);
  });
});

describe(refuseResubmission.name, () => {
  it.each<[string, FilingCase, string | null]>([
    [
      'returned, before the amendment deadline',
      {
        state: state({ status: 'RETURNED', openTasks: [], amendmentDueAt: '2026-11-28T00:00:00+08:00' }),
        requestedScope: requested,
        resubmitted: false,
      },
      null,
    ],
    [
      'returned, the amendment deadline passed',
      {
        state: state({ status: 'RETURNED', openTasks: [], amendmentDueAt: '2026-11-27T09:59:59+08:00' }),
        requestedScope: requested,
        resubmitted: false,
      },
      'DEADLINE_PASSED',
    ],
    [
      'returned, resubmitted by a handler still running',
      {
        state: state({ status: 'RETURNED', openTasks: [], amendmentDueAt: '2026-11-28T00:00:00+08:00' }),
        requestedScope: requested,
        resubmitted: true,
      },
      'CASE_STATE_CONFLICT',
    ],
    ['under review', underReview, 'CASE_STATE_CONFLICT'],
    [
      'withdrawn',
      { state: state({ status: 'WITHDRAWN', openTasks: [] }), requestedScope: requested, resubmitted: false },
      'CASE_STATE_CONFLICT',
    ],
  ])('%s → %s', (_, filing, code) => {
    expect(refuseResubmission(filing, now)?.code ?? null).toBe(code);
  });
});

describe(statusAfter.name, () => {
  it('maps outcomes to statuses', () => {
    expect(statusAfter({ outcome: 'APPROVE', grantedScope: requested })).toBe('APPROVED');
    expect(statusAfter({ outcome: 'REJECT', reason: 'x' })).toBe('REJECTED');
    expect(statusAfter({ outcome: 'RETURN', reason: 'x' })).toBe('RETURNED');
  });
});

describe(normaliseScope.name, () => {
  it('merges duplicate occupations and sorts codes and levels (初级 first)', () => {
    expect(
      normaliseScope([
        { occupationCode: '4-10-01-06', levels: [3, 5] },
        { occupationCode: '4-10-01-05', levels: [4] },
        { occupationCode: '4-10-01-06', levels: [5, 4] },
      ]),
    ).toEqual([
      { occupationCode: '4-10-01-05', levels: [4] },
      { occupationCode: '4-10-01-06', levels: [5, 4, 3] },
    ]);
  });

  it('finds no excess in a scope equal to the request', () => {
    expect(scopeExcess(requested, requested)).toEqual([]);
  });
});
