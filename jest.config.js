/**
 * Two projects: unit tests that need no service (pure rules, and replaying the recorded histories), and
 * integration tests against real PostgreSQL and Temporal, which `npm test` (scripts/test.ts) starts before
 * running Jest (the workflow tests use only its Temporal server).
 */
const transform = { '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.json' }] };
module.exports = {
  projects: [
    {
      displayName: 'unit',
      // The replay tests bundle the workflows and replay recorded histories: no server needed.
      testMatch: ['<rootDir>/test/domain/**/*.spec.ts', '<rootDir>/test/workflows/replay.spec.ts'],
      transform,
      testEnvironment: 'node',
    },
    {
      displayName: 'integration',
      // test/workflows/*.workflow.spec.ts: each workflow type on its own worker with stub activities.
      testMatch: ['<rootDir>/test/api/**/*.spec.ts', '<rootDir>/test/workflows/**/*.workflow.spec.ts'],
      transform,
      testEnvironment: 'node',
      setupFiles: ['<rootDir>/test/support/require-services.ts'],
      slowTestThreshold: 30,
    },
  ],
};
