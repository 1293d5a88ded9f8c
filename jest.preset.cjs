// Shared Jest settings: TypeScript through SWC (fast, no type-check; `typecheck` does that),
// and workspace libraries resolved to their TypeScript sources.
module.exports = {
  testEnvironment: 'node',
  transform: {
    '^.+\\.[tj]s$': [
      '@swc/jest',
      {
        jsc: { parser: { syntax: 'typescript' }, target: 'es2023' },
        module: { type: 'commonjs' },
      },
    ],
  },
  moduleFileExtensions: ['ts', 'js', 'json'],
  testEnvironmentOptions: {
    customExportConditions: ['@shelfwatch/source', 'node', 'require', 'default'],
  },
  testMatch: ['<rootDir>/src/**/*.spec.ts', '<rootDir>/test/**/*.spec.ts'],
  setupFiles: [require.resolve('./tools/jest/env.cjs')],
};
