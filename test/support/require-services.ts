// Integration tests run on the real PostgreSQL and Temporal that `npm test` starts.
if (!process.env.SKILLFLOW_TEST_SERVICES || !process.env.DATABASE_URL || !process.env.TEMPORAL_ADDRESS) {
  throw new Error('Integration tests need the services started by `npm test` (run `npm test -- <file>` for one file).');
}
jest.setTimeout(120_000);
