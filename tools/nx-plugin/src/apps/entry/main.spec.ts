import { execFileSync, spawnSync } from 'node:child_process';
import {
  chmodSync,
  copyFileSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { buildSync } from 'esbuild';
import { join } from 'node:path';
import { stripVTControlCharacters } from 'node:util';

describe("the apps' main.js", () => {
  let dir: string;
  let env: NodeJS.ProcessEnv;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'shelfwatch-entry-'));
    mkdirSync(join(dir, 'app'));
    copyFileSync(join(__dirname, 'main.js'), join(dir, 'app', 'main.js'));
    // Without NODE_COMPILE_CACHE Node puts the cache under os.tmpdir(), which TMPDIR names.
    env = { ...process.env, TMPDIR: dir, NODE_DEBUG: 'bundle_cache' };
    delete env.NODE_COMPILE_CACHE;
    delete env.NODE_DISABLE_COMPILE_CACHE;
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const writeBundle = (source: string) => writeFileSync(join(dir, 'app', 'bundle.js'), source);
  /** Starts `node main.js`; its stdout, and the entry's cache decisions from its debug output. */
  const start = (...args: string[]) => {
    const run = spawnSync(process.execPath, ['main.js', ...args], {
      cwd: join(dir, 'app'),
      encoding: 'utf8',
      env,
    });
    // Under FORCE_COLOR (Nx sets it) debuglog colours the pid.
    const cache = [
      ...stripVTControlCharacters(run.stderr).matchAll(/^BUNDLE_CACHE \d+: (\S+)/gm),
    ].map((match) => match[1]);
    return { ...run, cache };
  };
  /** Node's folder for this Node version, flags and user, where main.js keeps its cache. */
  const cacheFolder = () => {
    const [folder] = readdirSync(join(dir, 'node-compile-cache'));
    return join(dir, 'node-compile-cache', folder as string);
  };
  const cacheFiles = () => readdirSync(cacheFolder()).filter((name) => name.endsWith('.v8'));

  it('runs bundle.js as a CommonJS module of its folder, with the arguments main.js was given', () => {
    writeBundle(
      'process.stdout.write(JSON.stringify({\n' +
        "  cache: require('node:module').getCompileCacheDir?.() ?? null,\n" +
        '  argv: process.argv.slice(2),\n' +
        '  filename: __filename,\n' +
        "  exportsIsThis: this === module.exports && typeof exports === 'object',\n" +
        "  resolves: require.resolve('./bundle.js'),\n" +
        '  main: require.main.filename,\n' +
        '  parent: module.parent.filename,\n' +
        '  paths: module.paths[0],\n' +
        '}));\n',
    );

    const seen = JSON.parse(start('migrate').stdout) as Record<string, unknown>;

    expect(seen).toEqual({
      cache: expect.stringContaining(join(dir, 'node-compile-cache')),
      argv: ['migrate'],
      filename: join(dir, 'app', 'bundle.js'),
      exportsIsThis: true,
      resolves: join(dir, 'app', 'bundle.js'),
      main: join(dir, 'app', 'main.js'),
      parent: join(dir, 'app', 'main.js'),
      paths: join(dir, 'app', 'node_modules'),
    });
  });

  it('writes a code cache of the bundle, and the next start compiles from it', () => {
    writeBundle('function answer() { return 42; }\nprocess.stdout.write(String(answer()));\n');

    const first = start();
    expect(first.stdout).toBe('42');
    expect(first.cache).toEqual(['absent', 'wrote']);
    expect(cacheFiles()).toHaveLength(1);

    const second = start();
    expect(second.stdout).toBe('42');
    expect(second.cache).toEqual(['accepted']);
  });

  it('does not take a cache made for another bundle, and drops the earlier one', () => {
    writeBundle('process.stdout.write("one");\n');
    start();
    const [earlier] = cacheFiles();
    // Same length, other content: V8 alone would not notice the difference.
    writeBundle('process.stdout.write("two");\n');

    const changed = start();

    expect(changed.stdout).toBe('two');
    expect(changed.cache).toEqual(['absent', 'wrote']);
    expect(cacheFiles()).toHaveLength(1);
    expect(cacheFiles()).not.toContain(earlier);
  });

  it('compiles without a cache V8 rejects, and replaces it', () => {
    writeBundle('process.stdout.write("short");\n');
    start();
    const [shortCache] = cacheFiles();
    const shortData = readFileSync(join(cacheFolder(), shortCache as string));
    writeBundle('process.stdout.write("a longer bundle");\n');
    start();
    const [longCache] = cacheFiles();
    // Intact, with a valid checksum, but V8's code of another source.
    writeFileSync(join(cacheFolder(), longCache as string), shortData);

    const rejected = start();

    expect(rejected.stdout).toBe('a longer bundle');
    expect(rejected.cache).toEqual(['rejected', 'wrote']);
    expect(start().cache).toEqual(['accepted']);
  });

  it('does not take a cache another user could have written', () => {
    writeBundle('process.stdout.write("ok");\n');
    start();
    const [file] = cacheFiles();
    chmodSync(join(cacheFolder(), file as string), 0o666);

    const run = start();

    expect(run.stdout).toBe('ok');
    expect(run.cache[0]).toBe('untrusted');
  });

  it('compiles without the cache when the file is damaged, and replaces it', () => {
    writeBundle('process.stdout.write("ok");\n');
    start();
    const [file] = cacheFiles();
    writeFileSync(join(cacheFolder(), file as string), 'not a V8 code cache at all');

    const damaged = start();
    expect(damaged.stdout).toBe('ok');
    expect(damaged.cache).toEqual(['damaged', 'wrote']);
    expect(start().cache).toEqual(['accepted']);
  });

  it('starts when the cache cannot be written', () => {
    writeBundle('process.stdout.write("ok");\n');
    start();
    const [file] = cacheFiles();
    const cachePath = join(cacheFolder(), file as string);
    // A folder where the file belongs: neither read nor replaced, even by root.
    rmSync(cachePath);
    mkdirSync(join(cachePath, 'occupied'), { recursive: true });

    const run = start();

    expect(run.status).toBe(0);
    expect(run.stdout).toBe('ok');
    expect(run.cache).toEqual(['absent', 'unwritten']);
  });

  it("keeps the bundle's line numbers in stack traces", () => {
    writeBundle('\n\nthrow new Error("boom");\n');

    const run = start();

    expect(run.status).not.toBe(0);
    expect(run.stderr).toContain(`${join(dir, 'app', 'bundle.js')}:3`);
  });

  it('lets the bundle import ES modules beside it', () => {
    writeFileSync(join(dir, 'app', 'value.mjs'), 'export const value = "imported";\n');
    writeBundle('import("./value.mjs").then(({ value }) => process.stdout.write(value));\n');

    expect(start().stdout).toBe('imported');
  });

  it('maps stack traces to the sources when source maps are on, and still uses the cache', () => {
    buildSync({
      stdin: {
        // Thrown after a collection in a later task: the map must outlive the garbage collector
        // (a WeakRef's target survives the task that made it).
        contents:
          'export {};\nsetTimeout(() => {\n  globalThis.gc?.();\n' +
          '  setTimeout(() => {\n    throw new Error("boom");\n  });\n});\n',
        sourcefile: 'original.ts',
        loader: 'ts',
      },
      outfile: join(dir, 'app', 'bundle.js'),
      platform: 'node',
      format: 'cjs',
      sourcemap: true,
      logLevel: 'silent',
    });
    env.NODE_OPTIONS = '--enable-source-maps --expose-gc';

    const first = start();
    const second = start();

    expect(first.stderr).toMatch(/original\.ts:5/);
    expect(second.stderr).toMatch(/original\.ts:5/);
    expect([first.cache, second.cache]).toEqual([['absent', 'wrote'], ['accepted']]);
  });

  it('loads no cache when Node has its compile cache turned off', () => {
    writeBundle('process.stdout.write("ok");\n');
    env.NODE_DISABLE_COMPILE_CACHE = '1';

    const run = execFileSync(process.execPath, ['main.js'], {
      cwd: join(dir, 'app'),
      encoding: 'utf8',
      env,
    });

    expect(run).toBe('ok');
    expect(readdirSync(dir)).toEqual(['app']);
  });
});
