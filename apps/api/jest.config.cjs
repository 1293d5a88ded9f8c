/** @type {import('jest').Config} */
module.exports = {
  displayName: 'api',
  preset: '../../jest.preset.cjs',
  rootDir: __dirname,
  coverageDirectory: '../../coverage/apps/api',
  globalSetup: '<rootDir>/test/global-setup.ts',
  globalTeardown: '<rootDir>/test/global-teardown.ts',
  testTimeout: 30_000,
  // Two files at a time (Jest's default on two cores is one): one of npm test's longest targets,
  // whose files wait on apps, databases and the emulator as much as they compute (ADR 0037).
  maxWorkers: 2,
};
