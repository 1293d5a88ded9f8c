/** @type {import('jest').Config} */
module.exports = {
  displayName: 'e2e',
  preset: '../jest.preset.cjs',
  rootDir: __dirname,
  // Whole apps as processes, each suite with its own ports and data: generous, never a timing assertion.
  testTimeout: 240_000,
  // Three suites at a time: they mostly wait (on leases, on the scheduler's minute, on a second
  // npm start), and the apps start from their bundles, so three overlap their waits (ADR 0035).
  maxWorkers: 3,
  testSequencer: '<rootDir>/test/support/long-running-first.cjs',
  globalSetup: '<rootDir>/test/global-setup.ts',
  globalTeardown: '<rootDir>/test/global-teardown.ts',
};
