import baseConfig, { notPrunedIntoImages } from '../eslint.config.mjs';

export default [...baseConfig, notPrunedIntoImages];
