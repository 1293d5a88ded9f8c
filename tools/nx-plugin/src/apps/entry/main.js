'use strict';
// Every app's `node main.js`. Node's compile cache is turned on first (ADR 0048), for the
// packages the bundle requires, and then the bundle runs.
//
// The bundle is compiled here, from a V8 code cache written when a process exits (ADR 0053):
// Node's compile cache keeps only the functions V8 compiled before the bundle ran, this one every
// function the process ran, so the next start of the same bundle compiles almost nothing. The
// file sits in Node's compile cache folder (one per Node version, flags and user), is named by the
// bundle's checksum and carries a checksum of its own; anything wrong with it means compiling as
// if there were none, never a failed start. `NODE_DEBUG=bundle_cache` tells which.
const Module = require('node:module');
const { readFileSync, renameSync, writeFileSync } = require('node:fs');
const { join } = require('node:path');
const { debuglog } = require('node:util');
const { Script, constants } = require('node:vm');
const { crc32 } = require('node:zlib');

const debug = debuglog('bundle_cache');
const bundlePath = join(__dirname, 'bundle.js');

/** The cache's V8 data if its checksum (the first four bytes) matches, else undefined. */
function readCache(path) {
  try {
    const file = readFileSync(path);
    const data = file.subarray(4);
    if (file.length > 4 && file.readUInt32LE(0) === crc32(data)) return data;
    debug('damaged %s', path);
  } catch (error) {
    debug('absent %s: %s', path, error.code ?? error.message);
  }
  return undefined;
}

/** Writes the cache beside its place first, so a concurrent start never reads half a file. */
function writeCache(path, data) {
  const partial = `${path}.${process.pid}.partial`;
  try {
    const checksum = Buffer.alloc(4);
    checksum.writeUInt32LE(crc32(data));
    writeFileSync(partial, Buffer.concat([checksum, data]));
    renameSync(partial, path);
    debug('wrote %s (%d bytes)', path, data.length);
  } catch (error) {
    // A read-only folder (an image's) or a full disk: the next start compiles, as this one did.
    debug('unwritten %s: %s', path, error.code ?? error.message);
  }
}

/**
 * With source maps on (the images run with --enable-source-maps), Node maps stack traces only
 * through files its own loader compiled: it registers a file's map while compiling it. So a
 * module named bundle.js that holds only the bundle's sourceMappingURL comment goes through
 * Node's loader first, which registers the bundle's map under its name.
 */
function registerSourceMap(bundle) {
  const tail = bundle.subarray(-1024).toString('latin1');
  const url = /\n\/\/# sourceMappingURL=(\S+)\s*$/.exec(tail)?.[1];
  if (url) new Module(bundlePath, module)._compile(`//# sourceMappingURL=${url}\n`, bundlePath);
}

/** Compiles bundle.js with the code cache, if there is one, and runs it as Node would. */
function runWithCodeCache() {
  const bundle = readFileSync(bundlePath);
  if (process.sourceMapsEnabled) registerSourceMap(bundle);
  const cacheFolder = Module.getCompileCacheDir?.();
  const cachePath = cacheFolder && join(cacheFolder, `bundle-${crc32(bundle).toString(16)}.v8`);
  const cachedData = cachePath ? readCache(cachePath) : undefined;
  // The wrapper on a line of its own and lineOffset -1 keep the bundle's line and column numbers.
  const script = new Script(
    `(function (exports, require, module, __filename, __dirname) {\n${bundle.toString('utf8')}\n})`,
    {
      filename: bundlePath,
      lineOffset: -1,
      cachedData,
      // The bundles hold no import() (ADR 0054); one that did would still load, with a warning.
      importModuleDynamically: constants.USE_MAIN_CONTEXT_DEFAULT_LOADER,
    },
  );
  if (cachedData && !script.cachedDataRejected) debug('accepted %s', cachePath);
  else if (cachePath) {
    if (cachedData) debug('rejected %s', cachePath);
    // At exit the script holds every function the process compiled, not only its top level.
    process.once('exit', () => writeCache(cachePath, script.createCachedData()));
  }

  // The bundle's module as Node's loader makes it: main.js its parent, packages resolved from
  // the bundle's folder.
  const bundleModule = new Module(bundlePath, module);
  bundleModule.filename = bundlePath;
  bundleModule.paths = require.resolve.paths('pg');
  bundleModule.loaded = true;
  const exports = bundleModule.exports;
  const requireFromBundle = Module.createRequire(bundlePath);
  script
    .runInThisContext()
    .call(exports, exports, requireFromBundle, bundleModule, bundlePath, __dirname);
}

Module.enableCompileCache?.();
runWithCodeCache();
