/** @type {import('jest').Config} */
module.exports = {
  displayName: 'logging',
  preset: '../../jest.preset.cjs',
  rootDir: __dirname,
  coverageDirectory: '../../coverage/libs/logging',
};
