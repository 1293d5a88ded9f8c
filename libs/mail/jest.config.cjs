/** @type {import('jest').Config} */
module.exports = {
  displayName: 'mail',
  preset: '../../jest.preset.cjs',
  rootDir: __dirname,
  coverageDirectory: '../../coverage/libs/mail',
};
