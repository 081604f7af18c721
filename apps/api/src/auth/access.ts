// The access policy, in one place: who may read or act on which resource, by role, region and ownership
// (API.md: wrong role/region/owner → 403). `canAccess` is pure and table-tested (test/domain/access.spec.ts);
// `requireAccess` throws the API's 403s; the guard (auth.ts) applies each route's role gate from the same table.
// docs/authorization.md is the matrix of every route against every role (test/api/authorization.spec.ts).
import {
  BUREAU_STAFF,
  FINANCE,
  FINANCE_SUPERVISORS,
  INSPECTORS,
  PROCUREMENT_READERS,
  HR_STAFF,
  LEDGER_READERS,
  REGISTRY_KEEPERS,
  REVIEWERS,
  hasRole,
  type Actor,
  type Role,
} from '../../../../workflows/contracts/common';
import { regionCovers } from '../../../../workflows/domain/region';
import { ApiError } from '../common/api-error';

export interface AccessRule {
  /** The route's role gate (403 FORBIDDEN_ROLE before anything is read); none: any signed-in user. */
  roles?: readonly Role[];
  /** Staff who act on any resource of their region and the regions below it (403 FORBIDDEN_REGION outside). */
  staff?: readonly Role[];
  /** An institution user acts on its own institution's resources (403 FORBIDDEN for another's). */
  owner?: boolean;
  /** Users with neither a staff role nor an institution read every resource (as the public catalogue shows them). */
  othersReadAll?: boolean;
  /** The resource, for messages: [English, 中文]. */
  what: readonly [string, string];
}

/** Every permission of the API. Role groups come from workflows/contracts/common.ts. */
export const ACCESS = {
  'filing.create': { roles: ['institution'], what: ['filing', '备案申请'] },
  'filing.read': { staff: HR_STAFF, owner: true, what: ['filing', '备案申请'] },
  'filing.resubmit': { roles: ['institution'], owner: true, what: ['filing', '备案申请'] },
  'claim.create': { roles: ['institution'], owner: true, what: ['class', '培训班'] },
  'claim.read': { staff: BUREAU_STAFF, owner: true, what: ['claim', '补贴申请'] },
  'class.create': { roles: ['institution'], what: ['class', '培训班'] },
  'class.read': { staff: BUREAU_STAFF, owner: true, what: ['class', '培训班'] },
  'class.roster': { roles: ['institution'], owner: true, what: ['class', '培训班'] },
  /** R6.2: bureau reviewers of the class's region record a commissioned project. */
  'class.commission': { roles: REVIEWERS, staff: REVIEWERS, what: ['class', '培训班'] },
  /** Fixed: staff list the qualifications of their region (and below), as they do claims. */
  'qualification.read': { staff: BUREAU_STAFF, owner: true, othersReadAll: true, what: ['qualification', '培训资质'] },
  'trainee.register': { roles: ['institution', ...REGISTRY_KEEPERS], staff: BUREAU_STAFF, owner: true, what: ['person', '人员'] },
  'trainee.archive': { staff: BUREAU_STAFF, owner: true, what: ['training archive', '培训档案'] },
  'registry.import': { roles: REGISTRY_KEEPERS, staff: REGISTRY_KEEPERS, what: ['registry', '名册'] },
  /** A task is for one role (the resource's `role`), its assignees if named, in its region. */
  'task.act': { what: ['task', '任务'] },
  'ledger.read': { roles: LEDGER_READERS, staff: LEDGER_READERS, what: ['fund', '资金账户'] },
  'ledger.write': { roles: FINANCE, staff: FINANCE, what: ['fund', '资金账户'] },
  'policy.write': { roles: ['admin'], what: ['policy', '政策参数'] },
  'calendar.write': { roles: ['admin'], what: ['calendar', '日历'] },
  'evaluator.write': { roles: ['admin'], what: ['evaluation institution', '评价机构'] },
  'catalogue.compile': { roles: ['admin'], what: ['catalogue', '目录'] },
  'catalogue.draft': { roles: REVIEWERS, what: ['catalogue draft', '目录草稿'] },
  /** R9 procurement officers create and run the processes of their region and below. */
  'procurement.create': { roles: ['procurement'], staff: ['procurement'], what: ['procurement', '采购项目'] },
  'procurement.act': { roles: ['procurement'], staff: ['procurement'], what: ['procurement', '采购项目'] },
  'procurement.list': { roles: PROCUREMENT_READERS, staff: PROCUREMENT_READERS, what: ['procurement', '采购项目'] },
  /** Its staff and supervisors in the region; institutions (their own bids), evaluators (their committee) read it too. */
  'procurement.read': {
    staff: ['procurement', 'admin', 'finance_supervisor'],
    owner: true,
    othersReadAll: true,
    what: ['procurement', '采购项目'],
  },
  /** R9.2 approvals, R9.7 complaints, R9.8 bans: the finance department's supervision of its region. */
  'procurement.supervise': { roles: FINANCE_SUPERVISORS, staff: FINANCE_SUPERVISORS, what: ['procurement', '采购项目'] },
  'procurement.score': { roles: ['evaluator'], what: ['evaluation', '评审'] },
  /** A committee seat is released by the officer or by the member (the workflow checks which seat). */
  'procurement.seat': { roles: ['procurement', 'evaluator'], what: ['committee seat', '评审席位'] },
  'procurement.contract': { roles: ['institution'], owner: true, what: ['contract', '合同'] },
  'procurement.challenge': { roles: ['institution'], what: ['challenge', '质疑'] },
  'bid.submit': { roles: ['institution'], what: ['bid', '投标'] },
  'bid.change': { roles: ['institution'], owner: true, what: ['bid', '投标'] },
  /** R9.5 the expert pool: procurement staff keep it; an expert declares their own relationships. */
  'expert.write': { roles: ['procurement', 'admin'], staff: ['procurement', 'admin'], what: ['expert', '评审专家'] },
  'expert.declare': { roles: ['procurement', 'admin', 'evaluator'], what: ['expert', '评审专家'] },
  /** Issue 10: the anomaly rules' proposals, for inspectors of the region and the regions below it. */
  'proposal.read': { roles: INSPECTORS, staff: INSPECTORS, what: ['investigation proposal', '稽查线索'] },
  /** A region filter or case of any kind: the caller's region and those below it. */
  region: { what: ['case', '事项'] },
} as const satisfies Record<string, AccessRule>;
export type Permission = keyof typeof ACCESS;

/** What a decision is about: where it is, whose it is, and (tasks) for which role and people. */
export interface AccessResource {
  regionCode?: string;
  institutionId?: string;
  role?: string;
  assignees?: readonly string[];
}

export type AccessDenial = 'FORBIDDEN_ROLE' | 'FORBIDDEN' | 'FORBIDDEN_REGION';
export type AccessDecision = { allowed: true; as: 'owner' | 'staff' | 'other' } | { allowed: false; code: AccessDenial; reason: string };

const deny = (code: AccessDenial, reason: string): AccessDecision => ({ allowed: false, code, reason });

/**
 * May this user do this to this resource? Pure: the same answer for the same input, no I/O.
 * Without a resource it answers for a collection (a list, a create): the role gate and whether the caller is
 * staff, an institution or neither; a resource with only a `regionCode` is a region filter.
 */
export function canAccess(user: Actor, permission: Permission, resource?: AccessResource): AccessDecision {
  const rule: AccessRule = ACCESS[permission];
  if (rule.roles && !hasRole(user.roles, rule.roles)) return deny('FORBIDDEN_ROLE', `needs one of the roles: ${rule.roles.join(', ')}`);
  if (resource?.role !== undefined) {
    if (!user.roles.includes(resource.role)) return deny('FORBIDDEN', `for the role ${resource.role}`);
    if (resource.assignees?.length && !resource.assignees.includes(user.userId)) return deny('FORBIDDEN', 'assigned to named people');
  }
  if (rule.owner && resource?.institutionId !== undefined && user.institutionId === resource.institutionId)
    return { allowed: true, as: 'owner' };
  const staff = rule.staff ? hasRole(user.roles, rule.staff) : !rule.owner; // no staff list and no owner: role gate only
  if (staff || resource?.role !== undefined) {
    if (resource?.regionCode !== undefined && !regionCovers(user.regionCode, resource.regionCode))
      return deny('FORBIDDEN_REGION', 'another region');
    return { allowed: true, as: 'staff' };
  }
  if (rule.owner && resource?.institutionId === undefined && user.institutionId) return { allowed: true, as: 'owner' };
  if (rule.othersReadAll && !user.institutionId && !user.roles.includes('institution')) return { allowed: true, as: 'other' };
  return deny('FORBIDDEN', rule.owner ? "another institution's" : 'not for this user');
}

/** canAccess, or the API's 403 in both languages (FORBIDDEN_ROLE / FORBIDDEN / FORBIDDEN_REGION as before). */
export function requireAccess(user: Actor, permission: Permission, resource?: AccessResource): 'owner' | 'staff' | 'other' {
  const d = canAccess(user, permission, resource);
  if (d.allowed) return d.as;
  const [en, zh] = ACCESS[permission].what;
  const rule: AccessRule = ACCESS[permission];
  switch (d.code) {
    case 'FORBIDDEN_ROLE':
      return forbiddenRole(rule.roles ?? []);
    case 'FORBIDDEN_REGION':
      throw new ApiError(403, 'FORBIDDEN_REGION', `This ${en} belongs to another region.`, `该${zh}属于其他地区。`);
    default:
      if (resource?.role !== undefined && !user.roles.includes(resource.role)) {
        throw new ApiError(403, 'FORBIDDEN', `This ${en} is for the role ${resource.role}.`, `该${zh}须由 ${resource.role} 角色处理。`);
      }
      if (resource?.assignees?.length)
        throw new ApiError(403, 'FORBIDDEN', `This ${en} is assigned to named people.`, `该${zh}已指派给特定人员。`);
      if (resource?.institutionId !== undefined)
        throw new ApiError(403, 'FORBIDDEN', `This is another institution's ${en}.`, `这是其他机构的${zh}。`);
      throw new ApiError(
        403,
        'FORBIDDEN',
        `This ${en} is visible to its institution and bureau staff only.`,
        `${zh}仅对所属机构和工作人员可见。`,
      );
  }
}

export function forbiddenRole(roles: readonly string[]): never {
  throw new ApiError(
    403,
    'FORBIDDEN_ROLE',
    `This needs one of the roles: ${roles.join(', ')}.`,
    `此操作需要以下角色之一：${roles.join('、')}。`,
  );
}

/** Is the caller staff for this permission (sees its region's resources), rather than an institution or other? */
export function isStaffFor(user: Actor, permission: Permission): boolean {
  const rule: AccessRule = ACCESS[permission];
  return !!rule.staff && hasRole(user.roles, rule.staff);
}
