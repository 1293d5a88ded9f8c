/** @type {import('jest').Config} */
module.exports = {
  displayName: 'tools',
  preset: '../jest.preset.cjs',
  rootDir: __dirname,
  testTimeout: 180_000,
  // Most suites wait on child processes (nx and npm in clones, buildah, terraform fmt): on two
  // cores Jest's default of one worker would run them one after another (ADR 0030).
  maxWorkers: 2,
  globalSetup: '<rootDir>/test/global-setup.ts',
  globalTeardown: '<rootDir>/test/global-teardown.ts',
  testMatch: ['<rootDir>/src/**/*.spec.ts', '<rootDir>/test/**/*.spec.ts'],
};
