/** @type {import('jest').Config} */
module.exports = {
  displayName: 'address-guard',
  preset: '../../jest.preset.cjs',
  rootDir: __dirname,
  coverageDirectory: '../../coverage/libs/address-guard',
};
