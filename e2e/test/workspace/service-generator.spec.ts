import { createPrismaClient, type PrismaClient } from '@shelfwatch/db';
import {
  createTestDatabase,
  findFreeLoopbackPort,
  WorkspaceClone,
  type TestDatabase,
} from '@shelfwatch/testing';
import { spawn, type ChildProcess } from 'node:child_process';
import { appendFileSync, existsSync, lstatSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The service generator, driven as a team would use it, in a throwaway clone: generate, commit,
 * then the generated app must pass the same targets as the existing apps, its stack must be
 * formatted, its bundle must boot to /ready, and a change to it must affect only it.
 *
 * @long-running 150 (about the seconds it takes alone: the suites' order, ADR 0035)
 */
describe('nx g @shelfwatch/nx-plugin:service pricing-export --subscribes price.changed', () => {
  let clone: WorkspaceClone;
  let database: TestDatabase<PrismaClient>;
  const app = 'apps/pricing-export';

  function expectSuccess(result: { status: number; output: string }): string {
    if (result.status !== 0) throw new Error(result.output.slice(-4000));
    return result.output;
  }

  beforeAll(async () => {
    clone = new WorkspaceClone();
    database = await createTestDatabase(createPrismaClient);
    expectSuccess(
      clone.run('nx', [
        'g',
        '@shelfwatch/nx-plugin:service',
        'pricing-export',
        '--subscribes',
        'price.changed',
      ]),
    );
    clone.git('add', '-A');
    clone.git('commit', '--quiet', '-m', 'Add pricing-export');
  });

  afterAll(async () => {
    await database?.drop();
    clone?.remove();
  });

  it('writes the app on the conventions of the existing apps, and a thin stack', () => {
    for (const file of [
      'src/main.ts',
      'src/app.ts',
      'src/config.ts',
      'test/app.spec.ts',
      'Dockerfile',
      '.dockerignore',
    ])
      expect(existsSync(join(clone.dir, app, file))).toBe(true);
    const manifest = JSON.parse(readFileSync(join(clone.dir, app, 'package.json'), 'utf8'));
    expect(manifest.nx).toEqual({
      name: 'pricing-export',
      tags: ['type:app', 'scope:pricing-export'],
    });
    expect(readFileSync(join(clone.dir, app, 'src/subscriptions.ts'), 'utf8')).toContain(
      "messaging.subscribe(\n    'price.changed',",
    );
    expect(readFileSync(join(clone.dir, 'infra/pricing-export/main.tf'), 'utf8')).toContain(
      '"pricing-export.price-changed" = "price-changed"',
    );
    expect(lstatSync(join(clone.dir, 'infra/pricing-export/stack.tf')).isSymbolicLink()).toBe(true);
  });

  it('passes lint, typecheck, test, build and prune, and its stack passes tf-fmt', () => {
    expectSuccess(
      clone.run('nx', [
        'run-many',
        '-t',
        'lint',
        'typecheck',
        'test',
        'build',
        'prune',
        '-p',
        'pricing-export',
        '--outputStyle=static',
      ]),
    );
    expectSuccess(clone.run('nx', ['run', 'infra-pricing-export:tf-fmt']));
    const pruned = JSON.parse(readFileSync(join(clone.dir, app, 'dist/package.json'), 'utf8'));
    expect(Object.keys(pruned.dependencies)).toContain('express');
  });

  it('boots from its bundle to /ready over the Postgres message transport', async () => {
    const port = await findFreeLoopbackPort();
    const child: ChildProcess = spawn(process.execPath, ['dist/main.js'], {
      cwd: join(clone.dir, app),
      env: {
        ...process.env,
        PORT: String(port),
        DATABASE_URL: database.url,
        MESSAGING_TRANSPORT: 'postgres',
        LOG_LEVEL: 'warn',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout?.on('data', (chunk) => (output += chunk));
    child.stderr?.on('data', (chunk) => (output += chunk));
    try {
      let status = 0;
      for (let attempt = 0; attempt < 100 && status !== 200; attempt++) {
        status = await fetch(`http://127.0.0.1:${port}/ready`).then(
          (response) => response.status,
          () => 0,
        );
        if (status !== 200) await new Promise((resolve) => setTimeout(resolve, 200));
      }
      expect({ status, output: status === 200 ? '' : output }).toEqual({ status: 200, output: '' });
    } finally {
      if (child.exitCode === null && child.signalCode === null) {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        child.kill('SIGTERM');
        await exited;
      }
    }
  });

  // The smoke test builds the image through the app's real docker-build target and boots it;
  // without buildah it skips with a message, and under CI=true it fails instead.
  it('builds its image with buildah through docker-build, and the image boots to /ready', () => {
    // The smoke test itself runs database migrations, so it needs the db library's client.
    expectSuccess(clone.run('nx', ['run', 'db:prisma-generate']));
    const output = expectSuccess(
      clone.run('tsx', ['tools/container/smoke-test.ts', 'pricing-export']),
    );
    if (!process.env.CI && !output.includes('[smoke] passed')) return;
    expect(output).toContain('[smoke] passed: pricing-export');
  }, 900_000);

  it('is the only app affected by a change to its own folder', () => {
    appendFileSync(join(clone.dir, app, 'src/app.ts'), '\n// touched by the generator test\n');
    clone.git('commit', '--quiet', '-am', 'Touch pricing-export');
    const output = expectSuccess(
      clone.run('nx', ['show', 'projects', '--affected', '--base=HEAD~1', '--head=HEAD', '--json']),
    );
    const affected = JSON.parse(output.slice(output.indexOf('['))) as string[];
    // Its stack deploys it, so it follows; nothing else does.
    expect(affected.sort()).toEqual(['infra-pricing-export', 'pricing-export']);
  });
});
