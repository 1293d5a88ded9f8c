import { execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import {
  appContentsScript,
  compareWithLockfile,
  isExactProductionInstall,
  type AppContents,
  type Lockfile,
} from '../../container/image-contents';

const lockfile: Lockfile = {
  packages: {
    '': {},
    'node_modules/express': { version: '5.3.0' },
    'node_modules/debug': { version: '4.4.3' },
    'node_modules/express/node_modules/debug': { version: '3.2.7' },
    'node_modules/pg-cloudflare': { version: '1.2.7', optional: true },
    'node_modules/prisma': { version: '7.10.0', devOptional: true },
    'node_modules/typescript': { version: '6.0.3', dev: true },
  },
};

describe("an image's node_modules against its pruned lockfile", () => {
  it('accepts exactly the production packages, with or without optional ones', () => {
    const installed = {
      'node_modules/express': '5.3.0',
      'node_modules/debug': '4.4.3',
      'node_modules/express/node_modules/debug': '3.2.7',
    };

    const comparison = compareWithLockfile(installed, lockfile);
    expect(isExactProductionInstall(comparison)).toBe(true);
    expect(comparison.matched).toBe(3);
    expect(
      isExactProductionInstall(
        compareWithLockfile({ ...installed, 'node_modules/pg-cloudflare': '1.2.7' }, lockfile),
      ),
    ).toBe(true);
  });

  it('reports dev-only, unlisted, missing and re-versioned packages', () => {
    const comparison = compareWithLockfile(
      {
        'node_modules/express': '5.2.0',
        'node_modules/prisma': '7.10.0',
        'node_modules/typescript': '6.0.3',
        'node_modules/left-pad': '1.3.0',
        'node_modules/express/node_modules/debug': '3.2.7',
      },
      lockfile,
    );

    expect(isExactProductionInstall(comparison)).toBe(false);
    expect(comparison).toEqual({
      missing: ['node_modules/debug'],
      unlisted: ['node_modules/left-pad'],
      wrongVersion: ['node_modules/express@5.2.0'],
      devOnly: ['node_modules/prisma', 'node_modules/typescript'],
      matched: 1,
    });
  });
});

describe('the listing script that runs inside an image', () => {
  let app: string;

  function write(file: string, content: string): void {
    mkdirSync(dirname(join(app, file)), { recursive: true });
    writeFileSync(join(app, file), content);
  }

  beforeAll(() => {
    app = mkdtempSync(join(tmpdir(), 'shelfwatch-app-'));
    write('main.js', "require('./bundle.js');\n");
    write('bundle.js', 'console.log("app");\n');
    write('bundle.js.map', '{}');
    write('package.json', '{"name":"@shelfwatch/api"}');
    write('package-lock.json', JSON.stringify(lockfile));
    write('node_modules/express/package.json', '{"name":"express","version":"5.3.0"}');
    write('node_modules/express/index.js', 'module.exports = {};\n');
    write(
      'node_modules/express/node_modules/debug/package.json',
      '{"name":"debug","version":"3.2.7"}',
    );
    write(
      'node_modules/@prisma/client/package.json',
      '{"name":"@prisma/client","version":"7.10.0"}',
    );
    write('node_modules/.package-lock.json', '{}');
    write('prisma/migrations/20261126153839_init/migration.sql', 'CREATE TABLE t ();\n');
    write('prisma/migrations/migration_lock.toml', 'provider = "postgresql"\n');
  });

  afterAll(() => rmSync(app, { recursive: true, force: true }));

  function list(env: NodeJS.ProcessEnv = process.env): AppContents {
    return JSON.parse(
      execFileSync(process.execPath, ['-e', appContentsScript], {
        cwd: app,
        encoding: 'utf8',
        env,
      }),
    ) as AppContents;
  }

  it('lists nested and scoped packages by their lockfile paths, with versions', () => {
    expect(list().packages).toEqual({
      'node_modules/@prisma/client': '7.10.0',
      'node_modules/express': '5.3.0',
      'node_modules/express/node_modules/debug': '3.2.7',
    });
  });

  it('reads the lockfile, the migrations and the sizes of what the image holds', () => {
    const contents = list();

    expect(contents.lockfile).toEqual(lockfile);
    expect(contents.migrations).toEqual(['20261126153839_init']);
    expect(contents.bytes.bundle).toBe(
      "require('./bundle.js');\n".length + 'console.log("app");\n'.length + 2,
    );
    expect(contents.bytes.nodeModules).toBeGreaterThan(0);
    expect(contents.uid).toBe(process.getuid?.());
  });

  it("tells whether main.js's code cache serves the bundle, and whether it could be written", () => {
    const { NODE_COMPILE_CACHE: _unset, ...withoutCache } = process.env;
    expect(list(withoutCache).compileCache).toEqual({ servesBundle: false, writable: false });

    // The apps' real entry, which compiles the bundle from its code cache (ADR 0053).
    write(
      'main.js',
      readFileSync(join(__dirname, '../../nx-plugin/src/apps/entry/main.js'), 'utf8'),
    );
    const cacheDir = mkdtempSync(join(tmpdir(), 'shelfwatch-compile-cache-'));
    try {
      const env = { ...withoutCache, NODE_COMPILE_CACHE: cacheDir };
      // The first listing's start compiles the bundle and fills the cache; the second reads it.
      expect(list(env).compileCache.servesBundle).toBe(false);
      expect(list(env).compileCache).toEqual({ servesBundle: true, writable: true });
    } finally {
      write('main.js', "require('./bundle.js');\n");
      rmSync(cacheDir, { recursive: true, force: true });
    }
  });

  it('tells whether the running user could overwrite the bundle', () => {
    expect(list().bundleWritable).toBe(true);
    // root may write anything; only an ordinary user sees the read-only mode.
    if (process.getuid?.() !== 0) {
      chmodSync(join(app, 'main.js'), 0o444);
      expect(list().bundleWritable).toBe(true);
      chmodSync(join(app, 'bundle.js'), 0o444);
      expect(list().bundleWritable).toBe(false);
    }
  });
});
