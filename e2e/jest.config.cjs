/** @type {import('jest').Config} */
module.exports = {
  displayName: 'e2e',
  preset: '../jest.preset.cjs',
  rootDir: __dirname,
  // Whole apps as processes, each suite with its own ports and data: generous, never a timing assertion.
  testTimeout: 240_000,
  // The suites mostly wait (on apps starting, leases expiring, prices moving), so several spec
  // files run at once; each has its own ports, data folder and database (ADR 0030).
  maxWorkers: 2,
  globalSetup: '<rootDir>/test/global-setup.ts',
  globalTeardown: '<rootDir>/test/global-teardown.ts',
};
