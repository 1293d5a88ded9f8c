/**
 * Fills the compile cache an app image carries (ADR 0052, 0053): starts `node main.js` in the
 * current folder with an invalid PORT, which stops every app at its config check after the bundle
 * and the packages it requires have loaded, and with NODE_COMPILE_CACHE naming the folder to fill.
 * At exit Node has written its entries for the packages and main.js the bundle's own code cache.
 * Then it makes every folder and file of the cache readable by anyone (Node writes entries
 * readable by their owner only), so the runtime stage can copy it in root-owned and read-only.
 * Every app's Dockerfile runs it in its `compile-cache` stage, as the app's user (Node keys the
 * cache by user); `nx run <app>:prune` copies it into the app's dist/ beside bundle.js.
 *
 * Fails, and so fails the image build, when the start did not reach the config check or left no
 * code cache of the bundle: an image would otherwise ship without one, silently.
 *
 * Plain CommonJS on Node's own modules, like the trimmer: nothing else is there to help.
 *
 * Usage (in the folder holding main.js and bundle.js): node fill-compile-cache.cjs <cache folder>
 */
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');
const { stripVTControlCharacters } = require('node:util');

const cacheFolder = process.argv[2];
if (!cacheFolder) {
  console.error('usage: node fill-compile-cache.cjs <cache folder>');
  process.exit(2);
}

const start = spawnSync(process.execPath, ['main.js'], {
  env: {
    ...process.env,
    PORT: 'compile-cache',
    NODE_COMPILE_CACHE: cacheFolder,
    NODE_DEBUG: 'bundle_cache',
  },
  encoding: 'utf8',
  timeout: 120_000,
});
// Under FORCE_COLOR debuglog colours the pid.
const output = stripVTControlCharacters(
  `${start.stdout ?? ''}${start.stderr ?? ''}${start.error ? start.error.message : ''}`,
);
if (!output.includes('PORT: expected')) {
  console.error(`node main.js did not stop at its config check:\n${output}`);
  process.exit(1);
}
if (!/BUNDLE_CACHE \S+: wrote /.test(output)) {
  console.error(`node main.js wrote no code cache of bundle.js:\n${output}`);
  process.exit(1);
}

const entries = ['', ...fs.readdirSync(cacheFolder, { recursive: true })];
for (const entry of entries) {
  const file = path.join(cacheFolder, entry);
  fs.chmodSync(file, fs.statSync(file).isDirectory() ? 0o755 : 0o644);
}
console.log(`filled ${cacheFolder}: ${entries.length - 1} folders and files`);
