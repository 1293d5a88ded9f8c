import baseConfig from '../../eslint.config.mjs';

// The root config's ignore patterns are relative to the root, so they miss the generated client
// when ESLint runs from this folder (as `nx run db:lint` does).
export default [...baseConfig, { ignores: ['src/generated/**'] }];
