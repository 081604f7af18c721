/**
 * Two projects: pure unit tests, and integration tests against real PostgreSQL and Temporal, which
 * `npm test` (scripts/test.ts) starts before running Jest.
 */
const transform = { '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.json' }] };
module.exports = {
  projects: [
    {
      displayName: 'unit',
      testMatch: ['<rootDir>/test/domain/**/*.spec.ts'],
      transform,
      testEnvironment: 'node',
    },
    {
      displayName: 'integration',
      testMatch: ['<rootDir>/test/api/**/*.spec.ts', '<rootDir>/test/workflows/**/*.spec.ts'],
      transform,
      testEnvironment: 'node',
      setupFiles: ['<rootDir>/test/support/require-services.ts'],
      slowTestThreshold: 30,
    },
  ],
};
