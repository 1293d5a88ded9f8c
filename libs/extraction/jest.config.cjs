/** @type {import('jest').Config} */
module.exports = {
  displayName: 'extraction',
  preset: '../../jest.preset.cjs',
  rootDir: __dirname,
  coverageDirectory: '../../coverage/libs/extraction',
};
