/** @type {import('jest').Config} */
module.exports = {
  displayName: 'db',
  preset: '../../jest.preset.cjs',
  rootDir: __dirname,
  coverageDirectory: '../../coverage/libs/db',
  // One embedded PostgreSQL per run with a migrated template; each test file clones its own database.
  globalSetup: '<rootDir>/test/global-setup.ts',
  globalTeardown: '<rootDir>/test/global-teardown.ts',
  // Real PostgreSQL, real schema engine, child processes: generous, never a timing assertion.
  testTimeout: 60_000,
};
