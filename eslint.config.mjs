import nx from '@nx/eslint-plugin';

// Module boundaries follow the table in DESIGN.md: arrows point one way, apps never import apps.
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
      'libs/db/src/generated/**',
    ],
  },
  {
    files: ['**/*.ts'],
    rules: {
      '@nx/enforce-module-boundaries': [
        'error',
        {
          enforceBuildableLibDependency: true,
          allow: [],
          depConstraints: [
            { sourceTag: 'type:app', onlyDependOnLibsWithTags: ['type:lib'] },
            { sourceTag: 'type:lib', onlyDependOnLibsWithTags: ['type:lib'] },
            { sourceTag: 'type:tooling', onlyDependOnLibsWithTags: ['type:lib'] },
            { sourceTag: 'scope:contracts', onlyDependOnLibsWithTags: ['scope:contracts'] },
            { sourceTag: 'scope:logging', onlyDependOnLibsWithTags: ['scope:logging'] },
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
          ],
        },
      ],
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
    },
  },
];
