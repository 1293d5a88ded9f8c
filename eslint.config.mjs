import nx from '@nx/eslint-plugin';
import * as jsoncParser from 'jsonc-eslint-parser';

// Module boundaries follow docs/architecture.md: arrows point one way, apps never import apps,
// and `@shelfwatch/testing` (type:testing) is reachable only from the files in testCodeFiles.
const productionConstraints = [
  { sourceTag: 'type:app', onlyDependOnLibsWithTags: ['type:lib'] },
  { sourceTag: 'type:lib', onlyDependOnLibsWithTags: ['type:lib'] },
  {
    sourceTag: 'type:tooling',
    onlyDependOnLibsWithTags: ['type:lib', 'type:testing', 'type:tooling'],
  },
  { sourceTag: 'type:e2e', onlyDependOnLibsWithTags: ['type:lib', 'type:testing', 'type:tooling'] },
  // The test helpers stand alone: db's own tests use them, so they must not import db back.
  { sourceTag: 'type:testing', onlyDependOnLibsWithTags: [] },
  { sourceTag: 'scope:contracts', onlyDependOnLibsWithTags: ['scope:contracts'] },
  { sourceTag: 'scope:logging', onlyDependOnLibsWithTags: ['scope:logging'] },
  { sourceTag: 'scope:address-guard', onlyDependOnLibsWithTags: ['scope:address-guard'] },
  { sourceTag: 'scope:db', onlyDependOnLibsWithTags: ['scope:db'] },
  {
    sourceTag: 'scope:extraction',
    onlyDependOnLibsWithTags: ['scope:extraction', 'scope:contracts'],
  },
  {
    sourceTag: 'scope:runtime',
    onlyDependOnLibsWithTags: ['scope:runtime', 'scope:logging', 'scope:contracts'],
  },
  {
    sourceTag: 'scope:messaging',
    onlyDependOnLibsWithTags: ['scope:messaging', 'scope:contracts', 'scope:logging'],
  },
  {
    sourceTag: 'scope:mail',
    onlyDependOnLibsWithTags: ['scope:mail', 'scope:contracts', 'scope:logging'],
  },
];

const testCodeFiles = ['**/*.spec.ts', '**/test/**/*.ts', 'e2e/**/*.ts', 'tools/**/*.ts'];

// In test code every project may add the test helpers to what it may import.
const testConstraints = productionConstraints.map((constraint) =>
  constraint.sourceTag === 'type:testing'
    ? constraint
    : {
        ...constraint,
        onlyDependOnLibsWithTags: [
          ...constraint.onlyDependOnLibsWithTags,
          constraint.sourceTag.startsWith('type:') ? 'type:testing' : 'scope:testing',
        ],
      },
);

function boundaries(depConstraints) {
  return { enforceBuildableLibDependency: true, allow: [], depConstraints };
}

export default [
  ...nx.configs['flat/base'],
  ...nx.configs['flat/typescript'],
  ...nx.configs['flat/javascript'],
  {
    ignores: [
      '**/dist',
      '**/out-tsc',
      '**/coverage',
      '**/.nx',
      '**/.data',
      // Generated code (Prisma's client, the dashboard's api types). `**/` because each project's
      // lint runs ESLint from its own folder, where a root-relative path would match nothing.
      '**/src/generated/**',
    ],
  },
  {
    files: ['**/*.ts', '**/*.tsx'],
    rules: {
      '@nx/enforce-module-boundaries': ['error', boundaries(productionConstraints)],
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
    },
  },
  {
    // Only tests, end-to-end suites and workspace tooling may use the test helpers.
    files: testCodeFiles,
    rules: {
      '@nx/enforce-module-boundaries': ['error', boundaries(testConstraints)],
    },
  },
  {
    // Each project's package.json declares every third-party package its production code
    // imports: the pruned images install exactly those (ADR 0002). Libraries have no build
    // target, so their typecheck target's inputs stand for their code, without tests.
    files: ['**/package.json'],
    languageOptions: { parser: jsoncParser },
    rules: {
      '@nx/dependency-checks': [
        'error',
        {
          buildTargets: ['build', 'typecheck'],
          checkMissingDependencies: true,
          checkObsoleteDependencies: false,
          checkVersionMismatches: true,
          ignoredFiles: [
            '{projectRoot}/**/*.spec.ts',
            '{projectRoot}/test/**/*',
            '{projectRoot}/bench/**/*',
            // The scraper's CLI runs its sources from the workspace (tsx); no image holds it.
            '{projectRoot}/bin/**/*',
            '{projectRoot}/eslint.config.mjs',
            '{projectRoot}/jest.config.cjs',
            // Build configuration (the web app's Vite config), like the Jest config above.
            '{projectRoot}/vite.config.mts',
          ],
        },
      ],
    },
  },
];

/**
 * For projects never pruned into an image (tooling, test helpers, the e2e suites): they declare
 * everything as devDependencies, so the lockfile keeps their closure out of production, and the
 * dependency check, which reads only `dependencies`, does not apply to them.
 */
export const notPrunedIntoImages = {
  files: ['**/package.json'],
  rules: { '@nx/dependency-checks': 'off' },
};
