// Replays every recorded history in test/histories on the current workflow code: a change that would
// break running cases (non-determinism) fails here. Re-record with `RECORD_HISTORIES=1 npm test -- test/api`
// only when a change is deliberately incompatible and patched/versioned. No server needed: part of the unit
// project (`npm run test:unit`).
import { Worker } from '@temporalio/worker';
import { historyFromJSON } from '@temporalio/common/lib/proto-utils';
import fs from 'node:fs';
import path from 'node:path';
import { WORKFLOWS_PATH } from '../../apps/worker/src/worker';

const dir = path.join(__dirname, '..', 'histories');
const files = fs.readdirSync(dir).filter((f) => f.endsWith('.json'));

describe('recorded workflow histories replay on the current code', () => {
  it('has a history for each workflow type', () => {
    const types = new Set(files.map((f) => f.split('-')[0]));
    expect([...types].sort()).toEqual(['catalogue', 'claim', 'filing', 'institution']);
  });

  it.each(files)('%s', async (file) => {
    const history = historyFromJSON(JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8')));
    await expect(Worker.runReplayHistory({ workflowsPath: WORKFLOWS_PATH }, history, file)).resolves.toBeUndefined();
  });
});
