/** @type {import('jest').Config} */
module.exports = {
  displayName: 'e2e',
  preset: '../jest.preset.cjs',
  rootDir: __dirname,
  // Whole apps as processes, each suite with its own ports and data: generous, never a timing assertion.
  testTimeout: 240_000,
  // One suite at a time: the suites mostly wait, but two or four at once broke their own bounds
  // (apps ready within 60 s, recovery within the minute) on a loaded 2-core machine (ADR 0030).
  maxWorkers: 1,
  globalSetup: '<rootDir>/test/global-setup.ts',
  globalTeardown: '<rootDir>/test/global-teardown.ts',
};
