/** @type {import('jest').Config} */
module.exports = {
  displayName: 'scraper',
  preset: '../../jest.preset.cjs',
  rootDir: __dirname,
  coverageDirectory: '../../coverage/apps/scraper',
};
