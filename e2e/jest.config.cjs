/** @type {import('jest').Config} */
module.exports = {
  displayName: 'e2e',
  preset: '../jest.preset.cjs',
  rootDir: __dirname,
  // Whole apps as processes, each suite with its own ports and data: generous, never a timing assertion.
  testTimeout: 240_000,
  // The suites start several apps, databases and shops each; one at a time keeps 2 cores usable.
  maxWorkers: 1,
  globalSetup: '<rootDir>/test/global-setup.ts',
  globalTeardown: '<rootDir>/test/global-teardown.ts',
};
