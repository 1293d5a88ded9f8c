/** @type {import('jest').Config} */
module.exports = {
  displayName: 'nx-plugin',
  preset: '../../jest.preset.cjs',
  rootDir: __dirname,
  testTimeout: 30_000,
};
