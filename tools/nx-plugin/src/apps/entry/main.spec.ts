import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

describe("the apps' main.js", () => {
  let dir: string;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'shelfwatch-entry-'));
    copyFileSync(join(__dirname, 'main.js'), join(dir, 'main.js'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('turns on the compile cache before it loads bundle.js, so the bundle itself is cached', () => {
    writeFileSync(
      join(dir, 'bundle.js'),
      'process.stdout.write(JSON.stringify({\n' +
        "  cache: require('node:module').getCompileCacheDir?.() ?? null,\n" +
        '  argv: process.argv.slice(2),\n' +
        '}));\n',
    );
    // Without NODE_COMPILE_CACHE Node puts the cache under os.tmpdir(), which TMPDIR names.
    const env: NodeJS.ProcessEnv = { ...process.env, TMPDIR: dir };
    delete env.NODE_COMPILE_CACHE;
    delete env.NODE_DISABLE_COMPILE_CACHE;
    const output = execFileSync(process.execPath, ['main.js', 'migrate'], {
      cwd: dir,
      encoding: 'utf8',
      env,
    });

    const seen = JSON.parse(output) as { cache: string | null; argv: string[] };
    expect(seen.cache).toContain(join(dir, 'node-compile-cache'));
    expect(seen.argv).toEqual(['migrate']);
    // main.js was compiled before the cache was on: the entry Node wrote is bundle.js's.
    expect(readdirSync(seen.cache as string, { recursive: true }).length).toBeGreaterThan(0);
  });
});
