/**
 * Scripts each app's Dockerfile runs, by workspace path: `prune` copies them, by file name, into
 * the build context (the app's dist/), and each app's .dockerignore lets them through.
 */
export const IMAGE_BUILD_SCRIPTS = [
  'tools/container/trim-node-modules.cjs',
  'tools/container/fill-compile-cache.cjs',
];
