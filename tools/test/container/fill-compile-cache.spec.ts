import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * tools/container/fill-compile-cache.cjs as each Dockerfile's `compile-cache` stage runs it: plain
 * `node`, in the folder holding main.js (the apps' real entry) and bundle.js.
 */
const filler = join(__dirname, '../../container/fill-compile-cache.cjs');
const entry = join(__dirname, '../../nx-plugin/src/apps/entry/main.js');
/** What every app's config check prints for `PORT=compile-cache`, before it exits with 1. */
const CONFIG_CHECK =
  'console.error("Invalid configuration: PORT: expected a number between 1 and 65535");\n' +
  'process.exit(1);\n';

describe('the compile cache filler of the app images', () => {
  let dir: string;
  let cache: string;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'shelfwatch-fill-'));
    cache = join(dir, 'compile-cache');
    copyFileSync(entry, join(dir, 'main.js'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const fill = (...args: string[]) => {
    const env: NodeJS.ProcessEnv = { ...process.env };
    delete env.NODE_COMPILE_CACHE;
    delete env.NODE_DISABLE_COMPILE_CACHE;
    return spawnSync(process.execPath, [filler, ...args], { cwd: dir, encoding: 'utf8', env });
  };

  it("fills the folder with the bundle's code cache, readable by anyone and writable by none but its owner", () => {
    writeFileSync(join(dir, 'bundle.js'), `function check() {\n${CONFIG_CHECK}}\ncheck();\n`);

    const run = fill(cache);

    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    const entries = readdirSync(cache, { recursive: true, encoding: 'utf8' });
    expect(entries.filter((name) => /bundle-[0-9a-f]+-[0-9a-f]+\.v8$/.test(name))).toHaveLength(1);
    const modes = ['', ...entries].map((name) => {
      const stat = statSync(join(cache, name));
      return [stat.isDirectory(), stat.mode & 0o777];
    });
    expect(
      new Set(modes.map(([folder, mode]) => `${folder ? 'folder' : 'file'} ${mode.toString(8)}`)),
    ).toEqual(new Set(['folder 755', 'file 644']));
  });

  it('fails when the start does not stop at the config check', () => {
    writeFileSync(join(dir, 'bundle.js'), 'console.log("listening on 8080");\n');

    const run = fill(cache);

    expect(run.status).toBe(1);
    expect(run.stderr).toContain('did not stop at its config check');
    expect(run.stderr).toContain('listening on 8080');
  });

  it('fails when the start leaves no code cache of the bundle', () => {
    writeFileSync(join(dir, 'bundle.js'), CONFIG_CHECK);
    // A main.js without ADR 0053's cache, as before it.
    writeFileSync(join(dir, 'main.js'), "require('./bundle.js');\n");

    const run = fill(cache);

    expect(run.status).toBe(1);
    expect(run.stderr).toContain('wrote no code cache of bundle.js');
  });

  it('needs the folder to fill', () => {
    const run = fill();

    expect(run.status).toBe(2);
    expect(run.stderr).toContain('usage');
  });
});
