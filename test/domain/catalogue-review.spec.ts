// The annual catalogue review's Update validator as a pure rule (R3.1, issue 8.5), fed the object
// catalogueWorkflow keeps.
import type { CatalogueState } from '../../workflows/contracts/catalogue';
import { refuseCatalogueDecision, type CatalogueReview } from '../../workflows/domain/catalogue-review';

const state = (over: Partial<CatalogueState> = {}): CatalogueState => ({
  kind: 'ANNUAL',
  year: 2028,
  status: 'UNDER_REVIEW',
  versionId: 'v1',
  openTaskId: 't1',
  published: [],
  ...over,
});

describe(refuseCatalogueDecision.name, () => {
  it.each<[string, CatalogueReview, Parameters<typeof refuseCatalogueDecision>[1], string | null]>([
    ['R3.1 approving the open review', { state: state(), decided: false }, { taskId: 't1', outcome: 'APPROVE' }, null],
    ['R3.1 rejecting with a reason', { state: state(), decided: false }, { taskId: 't1', outcome: 'REJECT', reason: '缺少评价机构' }, null],
    [
      'a rejection needs a reason',
      { state: state(), decided: false },
      { taskId: 't1', outcome: 'REJECT', reason: ' ' },
      'INVALID_DECISION',
    ],
    ['a task the run never opened', { state: state(), decided: false }, { taskId: 'zz', outcome: 'APPROVE' }, 'TASK_NOT_OPEN'],
    [
      'a draft still compiling',
      { state: state({ status: 'COMPILING', openTaskId: undefined }), decided: false },
      { taskId: 't1', outcome: 'APPROVE' },
      'TASK_NOT_OPEN',
    ],
    [
      'a catalogue already published',
      { state: state({ status: 'PUBLISHED', openTaskId: undefined, published: [3] }), decided: true },
      { taskId: 't1', outcome: 'APPROVE' },
      'TASK_NOT_OPEN',
    ],
    // A second decision racing the first: claimed by the handler, the state not yet changed.
    [
      'a decision claimed by a handler still running',
      { state: state(), decided: true },
      { taskId: 't1', outcome: 'REJECT', reason: 'x' },
      'TASK_NOT_OPEN',
    ],
  ])('%s → %s', (_, review, request, code) => {
    expect(refuseCatalogueDecision(review, request)?.code ?? null).toBe(code);
  });
});
