// Workflow type names are written once (workflows/contracts/common.ts) and must be the names the worker
// registers: the functions workflows/index.ts exports. A renamed workflow fails here, not in production. Task
// kinds likewise are spelled once, in workflows/contracts/tasks.ts (issue 8.5).
import fs from 'node:fs';
import path from 'node:path';
import { WORKFLOW_TYPES } from '../../workflows/contracts/common';
import { TASK_KINDS } from '../../workflows/contracts/tasks';

describe('WORKFLOW_TYPES', () => {
  it('names exactly the workflows the bundle exports', () => {
    const index = fs.readFileSync(path.join(__dirname, '..', '..', 'workflows', 'index.ts'), 'utf8');
    const exported = [...index.matchAll(/export\s*\{\s*(\w+)\s*\}/g)].map((m) => m[1]);
    expect(Object.values(WORKFLOW_TYPES).sort()).toEqual(exported.sort());
  });

  it('is the only place a workflow type is spelled in the clients', () => {
    const roots = ['apps', 'activities'].map((d) => path.join(__dirname, '..', '..', d));
    const walk = (dir: string): string[] =>
      fs
        .readdirSync(dir, { withFileTypes: true })
        .flatMap((e) => (e.isDirectory() ? walk(path.join(dir, e.name)) : e.name.endsWith('.ts') ? [path.join(dir, e.name)] : []));
    const offenders = roots
      .flatMap(walk)
      .filter((f) => Object.values(WORKFLOW_TYPES).some((t) => fs.readFileSync(f, 'utf8').includes(`'${t}'`)));
    expect(offenders).toEqual([]);
  });
});

describe('NON_RETRYABLE_ERROR_TYPES', () => {
  it('names the typed activity errors the workflows must not retry', async () => {
    const { RecordNotFoundError } = await import('../../repositories/errors');
    const { NON_RETRYABLE_ERROR_TYPES } = await import('../../workflows/contracts/common');
    expect(NON_RETRYABLE_ERROR_TYPES).toContain(new RecordNotFoundError('Claim', 'x').name);
  });
});

describe('TASK_KINDS', () => {
  it('is the only place a human task kind is spelled in the workflows, activities and API', () => {
    const root = path.join(__dirname, '..', '..');
    const walk = (dir: string): string[] =>
      fs
        .readdirSync(dir, { withFileTypes: true })
        .flatMap((e) => (e.isDirectory() ? walk(path.join(dir, e.name)) : e.name.endsWith('.ts') ? [path.join(dir, e.name)] : []));
    const contracts = path.join(root, 'workflows', 'contracts', 'tasks.ts');
    const files = ['workflows', 'activities', 'apps'].flatMap((d) => walk(path.join(root, d))).filter((f) => f !== contracts);
    const offenders = files.filter((f) => Object.values(TASK_KINDS).some((k) => fs.readFileSync(f, 'utf8').includes(`'${k}'`)));
    expect(offenders).toEqual([]);
  });
});
