// Workflow code must stay deterministic by construction (STYLE habit 3): under workflows/ only relative
// imports, the workflow SDK and the calendar data; no Node built-ins, no clients, no clock or randomness.
import fs from 'node:fs';
import path from 'node:path';

const root = path.join(__dirname, '..', '..', 'workflows');
const files = (function walk(dir: string): string[] {
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .flatMap((e) => (e.isDirectory() ? walk(path.join(dir, e.name)) : e.name.endsWith('.ts') ? [path.join(dir, e.name)] : []));
})(root);
const ALLOWED_PACKAGES = ['@temporalio/workflow', 'chinese-days/dist/chinese-days.json'];

describe('workflow code', () => {
  it.each(files.map((f) => [path.relative(root, f), f]))('%s imports only deterministic code', (_, file) => {
    const source = fs.readFileSync(file, 'utf8');
    const specifiers = [...source.matchAll(/(?:import|export)\s[^'"]*?from\s+'([^']+)'/g)].map((m) => m[1]);
    const typeOnly = new Set([...source.matchAll(/import\s+type\s[^'"]*?from\s+'([^']+)'/g)].map((m) => m[1]));
    for (const spec of specifiers) {
      if (spec.startsWith('.')) {
        // activities are reached only through proxyActivities, by type
        if (spec.includes('activities')) expect(typeOnly.has(spec)).toBe(true);
        continue;
      }
      expect(ALLOWED_PACKAGES).toContain(spec);
    }
    expect(source).not.toMatch(/Math\.random\(|setTimeout\(|process\.env|require\(/);
  });
});
