import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { workspaceRoot } from '@shelfwatch/testing';
import { inputTasks, nxWorkspace, type ResolvedInputs } from '../nx-workspace';

/**
 * Every `test` target is cached (ADR 0030), so a rerun replays a pass unless one of its inputs
 * changed. These checks hold the inputs to what the suites really read: a missing input would
 * let a cached pass hide a failure.
 */
describe('the inputs of the cached test targets', () => {
  const inputs = (target: (typeof inputTasks)[number]): ResolvedInputs => {
    const found = nxWorkspace().inputs[target];
    if (!found) throw new Error(`no inputs resolved for ${target}`);
    return found;
  };

  it.each(inputTasks.filter((task) => !task.endsWith(':typecheck')))(
    '%s reruns when CI, the database or emulator it is pointed at, or the machine’s tools change',
    (target) => {
      expect(inputs(target).environment).toEqual(
        expect.arrayContaining(['CI', 'DATABASE_URL', 'PUBSUB_EMULATOR_HOST', 'CHROMIUM_PATH']),
      );
      expect(inputs(target).runtime).toEqual(
        expect.arrayContaining([expect.stringMatching(/^command -v gcloud java chromium buildah/)]),
      );
    },
  );

  it('e2e:e2e reads every app, the tools that start them, the migrations and the root manifests', () => {
    const files = new Set(inputs('e2e:e2e').files);
    const expected = [
      ...['api', 'scraper', 'analytics', 'notifier'].map((app) => `apps/${app}/src/main.ts`),
      'apps/web/src/main.tsx',
      'tools/dev/start.ts',
      'tools/demo-shop/server.ts',
      'libs/db/prisma/schema.prisma',
      'package.json',
      'package-lock.json',
      'nx.json',
      'e2e/test/npm-start.spec.ts',
    ];
    expect(expected.filter((file) => !files.has(file))).toEqual([]);
    // An app's own tests are not what e2e runs: a change to them leaves e2e cached.
    expect([...files].filter((file) => file.startsWith('apps/api/test/'))).toEqual([]);
    // The service generator's suite builds and boots an image through tools/container.
    expect(inputs('e2e:e2e').environment).toEqual(
      expect.arrayContaining([
        'SHELFWATCH_CONTAINER_ENGINE',
        'SHELFWATCH_REGISTRY',
        'CONTAINERS_STORAGE_CONF',
        'DOCKER_HOST',
      ]),
    );
  });

  it('tools:test and e2e:e2e read every file of the workspace through a fingerprint of the working tree', () => {
    const command = 'node tools/jest/workspace-fingerprint.cjs';
    expect(inputs('tools:test').runtime).toContain(command);
    // The workspace suites in e2e clone the whole workspace, so any file may change what they see.
    expect(inputs('e2e:e2e').runtime).toContain(command);

    const repo = mkdtempSync(join(tmpdir(), 'shelfwatch-fingerprint-'));
    try {
      const git = (...args: string[]) => execFileSync('git', args, { cwd: repo, encoding: 'utf8' });
      const fingerprint = () =>
        execFileSync(process.execPath, [join(workspaceRoot, command.slice('node '.length))], {
          cwd: repo,
          encoding: 'utf8',
        });
      git('init', '--quiet');
      writeFileSync(join(repo, '.gitignore'), 'dist/\n');
      writeFileSync(join(repo, 'main.ts'), 'export const a = 1;\n');
      git('add', '-A');
      const committed = fingerprint();
      expect(committed).toMatch(/^workspace files [0-9a-f]{64}\n$/);

      writeFileSync(join(repo, 'main.ts'), 'export const a = 2;\n');
      const edited = fingerprint();
      expect(edited).not.toBe(committed);
      writeFileSync(join(repo, 'main.ts'), 'export const a = 1;\n');
      expect(fingerprint()).toBe(committed);

      mkdirSync(join(repo, 'dist'));
      writeFileSync(join(repo, 'dist/main.js'), 'ignored build output');
      expect(fingerprint()).toBe(committed);

      writeFileSync(join(repo, 'new.spec.ts'), "it('is new', () => undefined);\n");
      expect(fingerprint()).not.toBe(committed);
    } finally {
      rmSync(repo, { recursive: true, force: true });
    }
  });

  it('extraction:test reads the shared corpus through a fingerprint that follows its pages', () => {
    const command = 'tsx libs/extraction/test/score/corpus-fingerprint.ts';
    expect(inputs('extraction:test').runtime).toContain(command);

    const shared = mkdtempSync(join(tmpdir(), 'shelfwatch-shared-'));
    try {
      const fingerprint = () =>
        execFileSync(process.execPath, ['--import', 'tsx', command.slice('tsx '.length)], {
          cwd: workspaceRoot,
          encoding: 'utf8',
          env: { ...process.env, SHELFWATCH_SHARED_DIR: shared },
        });
      const absent = fingerprint();
      expect(absent).toMatch(/absent/);
      const corpus = join(shared, 'corpus', 'real-pages');
      cpSync(join(workspaceRoot, 'libs/extraction/test/fixtures/pages'), corpus, {
        recursive: true,
      });
      const first = fingerprint();
      expect(first).toMatch(/^real-pages corpus [0-9a-f]{64}\n$/);
      expect(fingerprint()).toBe(first);
      writeFileSync(join(corpus, 'one-more-page.html'), '<html></html>');
      expect(fingerprint()).not.toBe(first);
    } finally {
      rmSync(shared, { recursive: true, force: true });
    }
  });

  it('typecheck reruns when any package of the lockfile changes: the compiler, any @types', () => {
    // A typecheck reads the compiler and type packages that no import names (tsconfig "types"),
    // so its hash must take in every external package, not only those its sources import.
    expect(inputs('logging:typecheck').external).toContain('AllExternalDependencies');
  });
});
