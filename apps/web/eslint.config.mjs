import baseConfig, { notPrunedIntoImages } from '../../eslint.config.mjs';

// The dashboard ships as static files inside the api's image, never as a pruned Node app: its
// packages are devDependencies, so the lockfile keeps them out of every image's production set.
export default [...baseConfig, notPrunedIntoImages];
