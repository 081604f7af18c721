// Qualification scope (R2.3): which occupations (职业/工种) at which skill levels an institution may train.
// Levels follow the national standard: 5 = 五级/初级工 … 1 = 一级/高级技师.

export type SkillLevel = 1 | 2 | 3 | 4 | 5;

export interface ScopeItem {
  occupationCode: string;
  levels: SkillLevel[];
}

export interface ScopeProblem {
  field: string;
  problem: string;
  problemZh: string;
}

/** One entry per occupation, levels sorted and unique: the form in which scopes are stored and compared. */
export function normaliseScope(scope: ScopeItem[]): ScopeItem[] {
  const byCode = new Map<string, Set<SkillLevel>>();
  for (const item of scope) {
    const levels = byCode.get(item.occupationCode) ?? new Set<SkillLevel>();
    item.levels.forEach((l) => levels.add(l));
    byCode.set(item.occupationCode, levels);
  }
  return [...byCode.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([occupationCode, levels]) => ({ occupationCode, levels: [...levels].sort((a, b) => b - a) }));
}

/** Where `granted` goes beyond `requested`: a reviewer may narrow a scope, never widen it. */
export function scopeExcess(granted: ScopeItem[], requested: ScopeItem[]): ScopeProblem[] {
  const allowed = new Map(normaliseScope(requested).map((i) => [i.occupationCode, new Set(i.levels)]));
  const problems: ScopeProblem[] = [];
  granted.forEach((item, index) => {
    const levels = allowed.get(item.occupationCode);
    if (!levels) {
      problems.push({
        field: `grantedScope[${index}].occupationCode`,
        problem: `occupation ${item.occupationCode} was not requested`,
        problemZh: `申请中未包含职业 ${item.occupationCode}`,
      });
      return;
    }
    item.levels.forEach((level, li) => {
      if (!levels.has(level)) {
        problems.push({
          field: `grantedScope[${index}].levels[${li}]`,
          problem: `level ${level} of ${item.occupationCode} was not requested`,
          problemZh: `申请中未包含 ${item.occupationCode} 的 ${level} 级`,
        });
      }
    });
  });
  return problems;
}

export function scopeIsEmpty(scope: ScopeItem[]): boolean {
  return scope.every((i) => i.levels.length === 0);
}
