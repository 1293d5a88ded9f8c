/** @type {import('jest').Config} */
module.exports = {
  displayName: 'runtime',
  preset: '../../jest.preset.cjs',
  rootDir: __dirname,
  coverageDirectory: '../../coverage/libs/runtime',
};
