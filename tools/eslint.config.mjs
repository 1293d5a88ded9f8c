import baseConfig, { notPrunedIntoImages } from '../eslint.config.mjs';

// tools/nx-plugin is a project of its own, linted by its own config.
export default [...baseConfig, notPrunedIntoImages, { ignores: ['nx-plugin/**'] }];
