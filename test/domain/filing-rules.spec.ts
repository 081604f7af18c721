// Decision rules for filing reviews (R2.1 审核备案, R2.3 scope).
import { refuseFilingDecision, refuseResubmission, statusAfter } from '../../workflows/domain/filing-rules';
import { normaliseScope, scopeExcess } from '../../workflows/domain/scope';
import type { FilingDecision } from '../../workflows/contracts/filing';

const requested = [
  { occupationCode: '4-10-01-06', levels: [5, 4, 3] as (1 | 2 | 3 | 4 | 5)[] },
  { occupationCode: '4-10-01-05', levels: [5] as (1 | 2 | 3 | 4 | 5)[] },
];
const now = new Date('2026-11-27T10:00:00+08:00');
const ctx = { status: 'UNDER_REVIEW' as const, openTasks: [{ taskId: 't1', role: 'reviewer', dueAt: '', escalated: false }], requestedScope: requested, now };

describe(refuseFilingDecision.name, () => {
  it.each<[string, FilingDecision, string | null, string[]]>([
    ['R2.3 approve the whole requested scope', { outcome: 'APPROVE', grantedScope: requested }, null, []],
    ['R2.3 approve a narrower scope', { outcome: 'APPROVE', grantedScope: [{ occupationCode: '4-10-01-06', levels: [5] }] }, null, []],
    ['R2.3 never a wider level', { outcome: 'APPROVE', grantedScope: [{ occupationCode: '4-10-01-06', levels: [2] }] }, 'INVALID_DECISION', ['grantedScope[0].levels[0]']],
    ['R2.3 never an occupation not requested', { outcome: 'APPROVE', grantedScope: [{ occupationCode: '4-10-01-03', levels: [5] }] }, 'INVALID_DECISION', ['grantedScope[0].occupationCode']],
    ['an approval grants something', { outcome: 'APPROVE', grantedScope: [] }, 'INVALID_DECISION', ['grantedScope']],
    ['a rejection has a reason', { outcome: 'REJECT', reason: ' ' }, 'INVALID_DECISION', ['reason']],
    ['a rejection with a reason', { outcome: 'REJECT', reason: '场地不符' }, null, []],
    ['a return has a reason', { outcome: 'RETURN', reason: '' }, 'INVALID_DECISION', ['reason']],
    ['a return deadline lies ahead', { outcome: 'RETURN', reason: '补充材料', amendmentDueAt: '2026-11-27T09:00:00+08:00' }, 'INVALID_DECISION', ['amendmentDueAt']],
    ['a return with a future deadline', { outcome: 'RETURN', reason: '补充材料', amendmentDueAt: '2026-12-11T00:00:00+08:00' }, null, []],
  ])('%s', (_, decision, code, fields) => {
    const refusal = refuseFilingDecision('t1', decision, ctx);
    expect(refusal?.code ?? null).toBe(code);
    expect((refusal?.problems ?? []).map((p) => p.field)).toEqual(fields);
    if (refusal) expect(refusal.messageZh).toMatch(/[\u4e00-\u9fff]/);
  });

  it('refuses a task that is not open, or a filing no longer under review', () => {
    const ok: FilingDecision = { outcome: 'REJECT', reason: 'x' };
    expect(refuseFilingDecision('other', ok, ctx)?.code).toBe('TASK_NOT_OPEN');
    expect(refuseFilingDecision('t1', ok, { ...ctx, status: 'APPROVED' })?.code).toBe('TASK_NOT_OPEN');
  });
});

describe(refuseResubmission.name, () => {
  it.each([
    ['RETURNED', '2026-11-28T00:00:00+08:00', null],
    ['RETURNED', '2026-11-27T09:59:59+08:00', 'DEADLINE_PASSED'],
    ['UNDER_REVIEW', undefined, 'CASE_STATE_CONFLICT'],
    ['WITHDRAWN', undefined, 'CASE_STATE_CONFLICT'],
  ] as const)('a %s filing due %s → %s', (status, due, code) => {
    expect(refuseResubmission(status, due, now)?.code ?? null).toBe(code);
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
    expect(normaliseScope([
      { occupationCode: '4-10-01-06', levels: [3, 5] },
      { occupationCode: '4-10-01-05', levels: [4] },
      { occupationCode: '4-10-01-06', levels: [5, 4] },
    ])).toEqual([
      { occupationCode: '4-10-01-05', levels: [4] },
      { occupationCode: '4-10-01-06', levels: [5, 4, 3] },
    ]);
  });

  it('finds no excess in a scope equal to the request', () => {
    expect(scopeExcess(requested, requested)).toEqual([]);
  });
});
