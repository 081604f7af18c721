// The task kinds the code opens (workflows/contracts/tasks.ts) are exactly the HumanTask.kind enum of the
// schema: a kind added on one side only fails here, before a task of it fails to be stored.
import { TaskKind } from '../../generated/prisma/enums';
import { TASK_KINDS } from '../../workflows/contracts/tasks';

describe('HumanTask.kind', () => {
  it('has one enum value per task kind of the contracts, and no other', () => {
    expect(Object.values(TaskKind).sort()).toEqual(Object.values(TASK_KINDS).sort());
  });
});
