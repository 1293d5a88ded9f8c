import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import {
  addTargetNotesColumn,
  copyPrismaFolderWith,
  removePrismaFolderCopies,
} from './test-server';
import {
  createEmptyTestDatabase,
  dropTestDatabase,
  testDatabaseServerUrl,
  queryRows,
} from '@shelfwatch/testing';

const run = promisify(execFile);
const projectRoot = path.resolve(__dirname, '..');
// The db targets' scripts live in tools/db: they need embedded PostgreSQL from @shelfwatch/testing.
const cliDir = path.resolve(projectRoot, '../../tools/db');

/**
 * Runs a db CLI script as its own process with the network cut off: a preload throws on any
 * non-loopback connect/DNS/fetch, and every Prisma engine download/binary setting points nowhere,
 * so a download attempt (or a fallback to a native engine) would fail the command.
 */
function runOffline(script: string, env: Record<string, string>, args: string[] = []) {
  return run(path.join(projectRoot, '../../node_modules/.bin/tsx'), [script, ...args], {
    cwd: projectRoot,
    env: {
      ...process.env,
      ...env,
      NODE_OPTIONS: `--require ${path.join(__dirname, 'fixtures/block-network.cjs')}`,
      PRISMA_ENGINES_MIRROR: 'http://127.0.0.1:9',
      PRISMA_SCHEMA_ENGINE_BINARY: '/nonexistent/schema-engine',
      PRISMA_QUERY_ENGINE_LIBRARY: '/nonexistent/libquery-engine.so',
      HTTP_PROXY: 'http://127.0.0.1:9',
      HTTPS_PROXY: 'http://127.0.0.1:9',
    },
  });
}

describe('offline migrations (no network, no engine download)', () => {
  it('the drift check passes with the network cut off', async () => {
    const { stdout, stderr } = await runOffline(path.join(cliDir, 'drift.ts'), {
      SHADOW_DATABASE_URL: testDatabaseServerUrl(),
    });

    expect(stdout).toContain('in sync');
    expect(stderr).not.toContain('NETWORK-ATTEMPT');
  });

  it('migrate applies every migration with the network cut off', async () => {
    const url = await createEmptyTestDatabase();

    const { stdout, stderr } = await runOffline(path.join(cliDir, 'migrate.ts'), {
      DATABASE_URL: url,
    });

    expect(stdout).toMatch(/applied migration \d{14}_init/);
    expect(stderr).not.toContain('NETWORK-ATTEMPT');
    const tables = await queryRows<{ n: number }>(
      url,
      "SELECT count(*)::int AS n FROM information_schema.tables WHERE table_name IN ('targets', 'scrape_runs')",
    );
    expect(tables).toEqual([{ n: 2 }]);
    await dropTestDatabase(url);
  });

  it('the network blocker itself works (so the two checks above mean something)', async () => {
    const probe = path.join(__dirname, 'fixtures/fetch-example.ts');
    await expect(runOffline(probe, {})).rejects.toMatchObject({
      stderr: expect.stringContaining('NETWORK-ATTEMPT'),
    });
  });

  it('the drift check fails, naming the change, when the schema is ahead of the migrations', async () => {
    const copy = await copyPrismaFolderWith(addTargetNotesColumn);

    const failure = await runOffline(
      path.join(cliDir, 'drift.ts'),
      { SHADOW_DATABASE_URL: testDatabaseServerUrl() },
      [`--schema=${copy.schemaPath}`, `--migrations=${copy.migrationsDir}`],
    ).catch((error: { code: number; stderr: string }) => error);

    expect(failure).toMatchObject({ code: 1, stderr: expect.stringContaining('operator_notes') });
  });
});

afterAll(() => removePrismaFolderCopies());
