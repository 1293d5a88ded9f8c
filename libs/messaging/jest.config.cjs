/** @type {import('jest').Config} */
module.exports = {
  displayName: 'messaging',
  preset: '../../jest.preset.cjs',
  rootDir: __dirname,
  coverageDirectory: '../../coverage/libs/messaging',
  // Real PostgreSQL and the real Pub/Sub emulator (a JVM): generous, never a timing assertion.
  testTimeout: 120_000,
};
