'use strict';
// Every app's `node main.js`. Node's compile cache is turned on first (ADR 0048), for the
// packages the bundle requires, and then the bundle runs.
//
// The bundle is compiled here, from a V8 code cache made once the start has run (ADR 0053):
// Node's compile cache keeps only the functions V8 compiled before the bundle ran, this one every
// function the start ran, so the next start of the same bundle compiles almost nothing. The file
// sits in Node's compile cache folder (one per Node version, flags and user), is named by the
// bundle's path and checksum and carries a checksum of its own; a file that is damaged, made for
// other code, or that another user could have written means compiling as if there were none,
// never a failed start. `NODE_DEBUG=bundle_cache` tells which.
const Module = require('node:module');
const fs = require('node:fs');
const { join } = require('node:path');
const { debuglog } = require('node:util');
const { Script, constants } = require('node:vm');
const { crc32 } = require('node:zlib');

const debug = debuglog('bundle_cache');
const bundlePath = join(__dirname, 'bundle.js');
const WRAPPER_HEAD = '(function (exports, require, module, __filename, __dirname) {\n';
const WRAPPER_TAIL = '\n})';
/**
 * When the cache is made: by then a start has run (the apps answer /ready well within it), and V8
 * has not yet flushed the bytecode of functions that ran only at start, as it does after a few
 * major garbage collections. A process that ends sooner makes it at exit.
 */
const SETTLED_MS = 5_000;

/** The cache's V8 data if it is intact and only its owner (or root) could have written it. */
function readCache(path) {
  let fd;
  try {
    fd = fs.openSync(path, 'r');
    const stat = fs.fstatSync(fd);
    const owner = process.getuid?.();
    if (owner !== undefined && ((stat.uid !== owner && stat.uid !== 0) || stat.mode & 0o022)) {
      debug('untrusted %s: owner %d, mode %o', path, stat.uid, stat.mode & 0o777);
      return undefined;
    }
    const file = fs.readFileSync(fd);
    const data = file.subarray(4);
    if (file.length > 4 && file.readUInt32LE(0) === crc32(data)) return data;
    debug('damaged %s', path);
  } catch (error) {
    debug('absent %s: %s', path, error.code ?? error.message);
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
  return undefined;
}

/**
 * Writes the cache beside its place and renames it there, so a concurrent start never reads half
 * a file, then removes this bundle path's caches of earlier bundles.
 */
function writeCache(folder, name, staleNames, makeData) {
  const path = join(folder, name);
  // Loaded here, off the start: most starts read the cache and never write one.
  const { randomBytes } = require('node:crypto');
  const partial = `${path}.${randomBytes(6).toString('hex')}.partial`;
  try {
    const data = makeData();
    const checksum = Buffer.alloc(4);
    checksum.writeUInt32LE(crc32(data));
    fs.writeFileSync(partial, Buffer.concat([checksum, data]), { flag: 'wx', mode: 0o644 });
    fs.renameSync(partial, path);
    debug('wrote %s (%d bytes)', path, data.length);
    for (const stale of fs.readdirSync(folder).filter(staleNames))
      if (stale !== name) fs.rmSync(join(folder, stale), { force: true });
  } catch (error) {
    // A read-only folder (an image's) or a full disk: the next start compiles, as this one did.
    debug('unwritten %s: %s', path, error.code ?? error.message);
    fs.rmSync(partial, { force: true });
  }
}

/**
 * With source maps on (the images run with --enable-source-maps), Node maps stack traces only
 * through files its own loader compiled: it registers a file's map while compiling it, for as
 * long as that module lives. So a module named bundle.js that holds only the bundle's
 * sourceMappingURL comment goes through Node's loader, and is kept for the life of the process
 * (so require.main.children lists bundle.js twice).
 */
function registerSourceMap(bundle) {
  const tail = bundle.subarray(-1024).toString('latin1');
  const url = /\n\/\/# sourceMappingURL=(\S+)\s*$/.exec(tail)?.[1];
  if (!url) return;
  // A child of main.js's module, which require.cache holds for the life of the process: a
  // variable here would not keep it, since nothing keeps this file's scope once it has run.
  const holder = new Module(bundlePath, module);
  holder._compile(`//# sourceMappingURL=${url}\n`, bundlePath);
}

/** Compiles bundle.js with the code cache, if there is a usable one, and runs it. */
function runWithCodeCache() {
  const bundle = fs.readFileSync(bundlePath);
  if (process.sourceMapsEnabled) registerSourceMap(bundle);
  // Node strips a leading #! line; inside the wrapper it would be a syntax error.
  const source = bundle.toString('utf8').replace(/^#!/, '//');
  const folder = Module.getCompileCacheDir?.();
  const pathKey = crc32(bundlePath).toString(16);
  // The wrapper is part of the compiled code: a change to it must not meet an older cache.
  const codeKey = crc32(WRAPPER_TAIL, crc32(bundle, crc32(WRAPPER_HEAD))).toString(16);
  const name = `bundle-${pathKey}-${codeKey}.v8`;
  const cachedData = folder ? readCache(join(folder, name)) : undefined;
  const script = new Script(WRAPPER_HEAD + source + WRAPPER_TAIL, {
    filename: bundlePath,
    // The wrapper's own line: the bundle's line and column numbers stay its own.
    lineOffset: -1,
    cachedData,
    // The bundles hold no import() (ADR 0054); one that did would still load, with a warning.
    importModuleDynamically: constants.USE_MAIN_CONTEXT_DEFAULT_LOADER,
  });
  if (cachedData && !script.cachedDataRejected) debug('accepted %s', join(folder, name));
  else if (folder) {
    if (cachedData) debug('rejected %s', join(folder, name));
    let written = false;
    const write = () => {
      if (written) return;
      written = true;
      writeCache(
        folder,
        name,
        (entry) => entry.startsWith(`bundle-${pathKey}-`) && entry.endsWith('.v8'),
        () => script.createCachedData(),
      );
    };
    setTimeout(write, SETTLED_MS).unref();
    process.once('exit', write);
  }

  // The bundle's module: main.js its parent (require.main stays main.js), packages resolved from
  // the folder the two share. Unlike under Node's loader it is not in require.cache, and `loaded`
  // is already true while it runs; the bundles look at neither.
  const bundleModule = new Module(bundlePath, module);
  bundleModule.filename = bundlePath;
  bundleModule.paths = module.paths.slice();
  bundleModule.loaded = true;
  const exports = bundleModule.exports;
  const requireFromBundle = Module.createRequire(bundlePath);
  script
    .runInThisContext()
    .call(exports, exports, requireFromBundle, bundleModule, bundlePath, __dirname);
}

Module.enableCompileCache?.();
runWithCodeCache();
