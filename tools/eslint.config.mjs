import baseConfig from '../eslint.config.mjs';

// tools/nx-plugin is a project of its own, linted by its own config.
export default [...baseConfig, { ignores: ['nx-plugin/**'] }];
