// The access policy (apps/api/src/auth/access.ts), table-tested: role gate, ownership, region (API.md 403s).
// Regions are GB/T 2260: 140000 Shanxi, 140100 Taiyuan, 140105 Xiaodian (in Taiyuan), 140200 Datong.
import { ACCESS, canAccess, requireAccess, type AccessResource, type Permission } from '../../apps/api/src/auth/access';
import { ApiError } from '../../apps/api/src/common/api-error';
import { BUREAU_STAFF, HR_STAFF, ROLES, type Actor } from '../../workflows/contracts/common';

const INST_A = '11111111-1111-4111-8111-111111111111';
const INST_B = '22222222-2222-4222-8222-222222222222';
const user = (roles: string[], regionCode = '140100', institutionId?: string): Actor => ({
  userId: `u-${roles.join('+')}`,
  roles,
  regionCode,
  institutionId,
});
const reviewer = user(['reviewer']);
const finance = user(['finance']);
const datongReviewer = user(['reviewer'], '140200');
const provinceAdmin = user(['admin'], '140000');
const countyInspector = user(['inspector'], '140105');
const instA = user(['institution'], '140105', INST_A);
const instB = user(['institution'], '140105', INST_B);
const worker = user(['worker']);
const procurement = user(['procurement']);
const claimOfA: AccessResource = { regionCode: '140105', institutionId: INST_A };
const decision = (u: Actor, p: Permission, r?: AccessResource) => {
  const d = canAccess(u, p, r);
  return d.allowed ? `allowed:${d.as}` : d.code;
};

describe('canAccess', () => {
  it.each<[string, Actor, Permission, AccessResource | undefined, string]>([
    // ownership: an institution reads its own case, not another's (R2.1 filings, R6 claims)
    ['owner reads its claim', instA, 'claim.read', claimOfA, 'allowed:owner'],
    ["another institution's claim", instB, 'claim.read', claimOfA, 'FORBIDDEN'],
    // region: staff read cases of their region and below, not of another region
    ['city reviewer, county case', reviewer, 'claim.read', claimOfA, 'allowed:staff'],
    ['province admin, county case', provinceAdmin, 'claim.read', claimOfA, 'allowed:staff'],
    ['county inspector, its county', countyInspector, 'claim.read', claimOfA, 'allowed:staff'],
    [
      'county inspector, the city above',
      countyInspector,
      'claim.read',
      { regionCode: '140100', institutionId: INST_A },
      'FORBIDDEN_REGION',
    ],
    ['Datong reviewer, Taiyuan case', datongReviewer, 'claim.read', claimOfA, 'FORBIDDEN_REGION'],
    ['finance reads claims (money)', finance, 'claim.read', claimOfA, 'allowed:staff'],
    // filings are for HR staff: finance has no part in them
    ['finance and a filing', finance, 'filing.read', claimOfA, 'FORBIDDEN'],
    ['worker and a claim', worker, 'claim.read', claimOfA, 'FORBIDDEN'],
    // collections: a list is for staff (their region) and institutions (their own)
    ['worker lists claims', worker, 'claim.read', undefined, 'FORBIDDEN'],
    ['institution lists its claims', instA, 'claim.read', undefined, 'allowed:owner'],
    ['institution filters another region: still its own', instA, 'claim.read', { regionCode: '140200' }, 'allowed:owner'],
    ['staff filter outside their region', reviewer, 'claim.read', { regionCode: '140200' }, 'FORBIDDEN_REGION'],
    // role gates
    ['reviewer creates a claim', reviewer, 'claim.create', undefined, 'FORBIDDEN_ROLE'],
    ['institution claims for its class', instA, 'claim.create', { institutionId: INST_A }, 'allowed:owner'],
    ["institution claims for another's class", instB, 'claim.create', { institutionId: INST_A }, 'FORBIDDEN'],
    ['institution resubmits its filing', instA, 'filing.resubmit', claimOfA, 'allowed:owner'],
    ["institution resubmits another's filing", instB, 'filing.resubmit', claimOfA, 'FORBIDDEN'],
    ['finance allocates in its city', finance, 'ledger.write', { regionCode: '140100' }, 'allowed:staff'],
    ['reviewer allocates', reviewer, 'ledger.write', { regionCode: '140100' }, 'FORBIDDEN_ROLE'],
    ['admin adds a policy version', provinceAdmin, 'policy.write', undefined, 'allowed:staff'],
    ['reviewer adds a policy version', reviewer, 'policy.write', undefined, 'FORBIDDEN_ROLE'],
    ['commission in region', reviewer, 'class.commission', { regionCode: '140105' }, 'allowed:staff'],
    ['commission in another region', datongReviewer, 'class.commission', { regionCode: '140105' }, 'FORBIDDEN_REGION'],
    ['inspector commissions', countyInspector, 'class.commission', { regionCode: '140105' }, 'FORBIDDEN_ROLE'],
    // qualifications: staff scoped to their region (the fix), institutions their own, others read all
    ['staff list, own region', reviewer, 'qualification.read', { regionCode: '140105' }, 'allowed:staff'],
    ['staff list, another region', datongReviewer, 'qualification.read', { regionCode: '140105' }, 'FORBIDDEN_REGION'],
    ['institution lists its own', instA, 'qualification.read', undefined, 'allowed:owner'],
    ['procurement reads all', procurement, 'qualification.read', { regionCode: '140200' }, 'allowed:other'],
    ['institution without an institution id', user(['institution']), 'qualification.read', undefined, 'FORBIDDEN'],
    // tasks: the task's role, its assignees, its region
    ['task of my role and region', reviewer, 'task.act', { role: 'reviewer', regionCode: '140105' }, 'allowed:staff'],
    ['task of another role', finance, 'task.act', { role: 'reviewer', regionCode: '140105' }, 'FORBIDDEN'],
    ['task assigned to others', reviewer, 'task.act', { role: 'reviewer', regionCode: '140105', assignees: ['someone'] }, 'FORBIDDEN'],
    [
      'task assigned to me',
      reviewer,
      'task.act',
      { role: 'reviewer', regionCode: '140105', assignees: [reviewer.userId] },
      'allowed:staff',
    ],
    ['task of another region', datongReviewer, 'task.act', { role: 'reviewer', regionCode: '140105' }, 'FORBIDDEN_REGION'],
    // fails closed on a malformed region
    ['malformed case region', provinceAdmin, 'claim.read', { regionCode: '14010x', institutionId: INST_A }, 'FORBIDDEN_REGION'],
    ['malformed user region', user(['admin'], 'nowhere'), 'region', { regionCode: '140105' }, 'FORBIDDEN_REGION'],
  ])('%s', (_, u, p, r, expected) => {
    expect(decision(u, p, r)).toBe(expected);
  });

  it('gives every staff role of a group the same answer, and no other role that answer', () => {
    for (const role of ROLES) {
      const expected = (BUREAU_STAFF as readonly string[]).includes(role) ? 'allowed:staff' : 'FORBIDDEN';
      expect([role, decision(user([role]), 'class.read', claimOfA)]).toEqual([role, expected]);
    }
    expect(BUREAU_STAFF.filter((r) => !(HR_STAFF as readonly string[]).includes(r))).toEqual(['finance']);
  });

  it('names only known roles in the table', () => {
    for (const [permission, rule] of Object.entries(ACCESS)) {
      for (const r of [...('roles' in rule ? rule.roles : []), ...('staff' in rule ? rule.staff : [])]) {
        expect([permission, (ROLES as readonly string[]).includes(r)]).toEqual([permission, true]);
      }
    }
  });
});

describe('requireAccess', () => {
  const thrown = (fn: () => unknown) => {
    try {
      fn();
    } catch (e) {
      return e as ApiError;
    }
    throw new Error('did not throw');
  };

  it.each<[Actor, Permission, AccessResource | undefined, string, RegExp]>([
    [reviewer, 'claim.create', undefined, 'FORBIDDEN_ROLE', /需要以下角色之一/],
    [datongReviewer, 'claim.read', claimOfA, 'FORBIDDEN_REGION', /其他地区/],
    [instB, 'claim.read', claimOfA, 'FORBIDDEN', /其他机构/],
    [finance, 'task.act', { role: 'reviewer', regionCode: '140105' }, 'FORBIDDEN', /reviewer 角色/],
  ])('throws a bilingual 403 %#', (u, p, r, code, zh) => {
    const e = thrown(() => requireAccess(u, p, r));
    expect(e.getStatus()).toBe(403);
    expect(e.body().error).toMatchObject({ code, messageZh: expect.stringMatching(zh) });
  });

  it('returns how the caller is allowed', () => {
    expect(requireAccess(instA, 'claim.read', claimOfA)).toBe('owner');
    expect(requireAccess(reviewer, 'claim.read', claimOfA)).toBe('staff');
  });
});
