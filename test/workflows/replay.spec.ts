// Replays every recorded history in test/histories on the current workflow code: a change that would
// break running cases (non-determinism) fails here. Re-record with `RECORD_HISTORIES=1 npm test -- test/api`
// only when a change is deliberately incompatible and patched/versioned. No server needed: part of the unit
// project (`npm run test:unit`).
import { bundleWorkflowCode, Worker, type WorkflowBundleWithSourceMap } from '@temporalio/worker';
import { historyFromJSON } from '@temporalio/common/lib/proto-utils';
import fs from 'node:fs';
import path from 'node:path';
import { WORKFLOWS_PATH } from '../../apps/worker/src/worker';

const dir = path.join(__dirname, '..', 'histories');
const files = fs.readdirSync(dir).filter((f) => f.endsWith('.json'));
// Bundled once for every history (webpack per replay made a loaded machine exceed Jest's default timeout).
let bundle: WorkflowBundleWithSourceMap;
const quiet = { trace() {}, debug() {}, info() {}, warn: console.warn, error: console.error, log() {} };
jest.setTimeout(120_000); // the unit project sets none: bundling and replaying under a full `npm test` run

beforeAll(async () => {
  bundle = await bundleWorkflowCode({ workflowsPath: WORKFLOWS_PATH, logger: quiet as never });
});

describe('recorded workflow histories replay on the current code', () => {
  it('has a history for each workflow type', () => {
    const types = new Set(files.map((f) => f.split('-')[0]));
    expect([...types].sort()).toEqual(['catalogue', 'claim', 'filing', 'institution', 'procurement']);
  });

  it.each(files)('%s', async (file) => {
    const history = historyFromJSON(JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8')));
    await expect(Worker.runReplayHistory({ workflowBundle: bundle }, history, file)).resolves.toBeUndefined();
  });
});
