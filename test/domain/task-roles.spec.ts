// The roles a task can be opened for (workflows/contracts/common.ts ROLES) are exactly the HumanTask.role enum of
// the schema: a role added on one side only fails here, before a task for it fails to be stored.
import { TaskRole } from '../../generated/prisma/enums';
import { ROLES } from '../../workflows/contracts/common';

describe('HumanTask.role', () => {
  it('has one enum value per role of the contracts, and no other', () => {
    expect(Object.values(TaskRole).sort()).toEqual([...ROLES].sort());
  });
});
