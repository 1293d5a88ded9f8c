/** @type {import('jest').Config} */
module.exports = {
  displayName: 'e2e',
  preset: '../jest.preset.cjs',
  rootDir: __dirname,
  // Whole apps as processes, each suite with its own ports and data: generous, never a timing assertion.
  testTimeout: 240_000,
  // Two suites at a time: they mostly wait (on leases, on the scheduler's minute, on a second
  // npm start), and the apps start from their bundles, so two overlap their waits; three broke the
  // crash scenarios' one-minute bounds on a loaded machine (ADR 0035).
  maxWorkers: 2,
  testSequencer: '<rootDir>/test/support/long-running-first.cjs',
  globalSetup: '<rootDir>/test/global-setup.ts',
  globalTeardown: '<rootDir>/test/global-teardown.ts',
};
