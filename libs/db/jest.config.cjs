/** @type {import('jest').Config} */
module.exports = {
  displayName: 'db',
  preset: '../../jest.preset.cjs',
  rootDir: __dirname,
  coverageDirectory: '../../coverage/libs/db',
};
