/** @type {import('jest').Config} */
module.exports = {
  displayName: 'testing',
  preset: '../../jest.preset.cjs',
  rootDir: __dirname,
  coverageDirectory: '../../coverage/libs/testing',
  // Real PostgreSQL and the real Pub/Sub emulator (a JVM): generous, never a timing assertion.
  testTimeout: 120_000,
};
