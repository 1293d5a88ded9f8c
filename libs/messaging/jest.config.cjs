/** @type {import('jest').Config} */
module.exports = {
  displayName: 'messaging',
  preset: '../../jest.preset.cjs',
  rootDir: __dirname,
  coverageDirectory: '../../coverage/libs/messaging',
  globalSetup: '<rootDir>/test/global-setup.ts',
  globalTeardown: '<rootDir>/test/global-teardown.ts',
  // Real PostgreSQL and the real Pub/Sub emulator (a JVM): generous, never a timing assertion.
  testTimeout: 120_000,
  // Two files at a time (Jest's default on two cores is one): one of npm test's longest targets,
  // whose files wait on apps, databases and the emulator as much as they compute (ADR 0037).
  maxWorkers: 2,
};
