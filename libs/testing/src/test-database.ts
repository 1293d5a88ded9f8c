import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Client } from 'pg';
import { startEmbeddedPostgres } from './embedded-postgres';

/** Set by `testDatabaseGlobalSetup` for the Jest workers: a server URL and the template's name. */
export const testServerUrlVariable = 'SHELFWATCH_TEST_DATABASE_SERVER_URL';
export const testTemplateVariable = 'SHELFWATCH_TEST_DATABASE_TEMPLATE';

export interface TestDatabaseSetupOptions {
  /**
   * Brings the empty template database to the schema every test file starts from; the workspace
   * passes `applyMigrations` from `@shelfwatch/db` (injected, so this library depends on no
   * project and `db`'s own tests can use it without a dependency cycle).
   */
  prepareTemplate(templateUrl: string): Promise<unknown>;
}

interface TestRunState {
  stop(): Promise<void>;
}
const stateKey = Symbol.for('shelfwatch.testing.testRun');
type GlobalWithState = typeof globalThis & { [stateKey]?: TestRunState };

/** The same server URL, pointing at another database. */
function onDatabase(serverUrl: string, database: string): string {
  const url = new URL(serverUrl);
  url.pathname = `/${encodeURIComponent(database)}`;
  return url.toString();
}

/** Runs statements on a short-lived connection to the server's `postgres` database. */
async function administer(serverUrl: string, ...statements: string[]): Promise<void> {
  const client = new Client({ connectionString: onDatabase(serverUrl, 'postgres') });
  client.on('error', () => undefined);
  await client.connect();
  try {
    for (const statement of statements) await client.query(statement);
  } finally {
    await client.end();
  }
}

/**
 * Jest `globalSetup`: one PostgreSQL for the whole run, with a template database prepared once.
 * Embedded (a throwaway cluster in a temp dir) unless `DATABASE_URL` is set, in which case that
 * server hosts the template and the per-file databases (its role needs CREATEDB) and the
 * database `DATABASE_URL` names is left alone. Workers find both through process.env.
 * Database names here are generated (hex), so they need no quoting beyond double quotes.
 */
export async function testDatabaseGlobalSetup(options: TestDatabaseSetupOptions): Promise<void> {
  const externalUrl = process.env['DATABASE_URL'];
  let serverUrl: string;
  let stopServer: () => Promise<void>;
  if (externalUrl) {
    serverUrl = externalUrl;
    stopServer = async () => undefined;
  } else {
    const tempDir = await mkdtemp(path.join(os.tmpdir(), 'shelfwatch-test-pg-'));
    const server = await startEmbeddedPostgres({
      dataDir: path.join(tempDir, 'data'),
      persistent: false,
    }).catch(async (error: unknown) => {
      await rm(tempDir, { recursive: true, force: true });
      throw error;
    });
    serverUrl = server.url;
    stopServer = async () => {
      await server.stop();
      await rm(tempDir, { recursive: true, force: true });
    };
  }

  const template = `shelfwatch_template_${randomBytes(4).toString('hex')}`;
  const state: TestRunState = {
    stop: async () => {
      try {
        if (externalUrl) await administer(serverUrl, `DROP DATABASE IF EXISTS "${template}"`);
      } finally {
        await stopServer();
      }
    },
  };
  (globalThis as GlobalWithState)[stateKey] = state;
  try {
    await administer(serverUrl, `CREATE DATABASE "${template}"`);
    await options.prepareTemplate(onDatabase(serverUrl, template));
    // A template nobody may connect to can always be cloned, even by concurrent workers.
    await administer(serverUrl, `ALTER DATABASE "${template}" WITH ALLOW_CONNECTIONS false`);
  } catch (error) {
    await testDatabaseGlobalTeardown();
    throw error;
  }
  process.env[testServerUrlVariable] = serverUrl;
  process.env[testTemplateVariable] = template;
}

/** Jest `globalTeardown`: stops the run's PostgreSQL (or drops the template on an external one). */
export async function testDatabaseGlobalTeardown(): Promise<void> {
  const holder = globalThis as GlobalWithState;
  const state = holder[stateKey];
  delete holder[stateKey];
  delete process.env[testServerUrlVariable];
  delete process.env[testTemplateVariable];
  await state?.stop();
}

/** URL of the run's PostgreSQL server (its `postgres` database), for tests that make their own. */
export function testDatabaseServerUrl(): string {
  const url = process.env[testServerUrlVariable];
  if (!url) {
    throw new Error(
      'No test database server: point globalSetup/globalTeardown in jest.config.cjs at files that ' +
        'call testDatabaseGlobalSetup/testDatabaseGlobalTeardown from @shelfwatch/testing.',
    );
  }
  return url;
}

/** What `createTestDatabase` calls to open a client: `createPrismaClient` fits as it is. */
export type TestDatabaseConnect<Client> = (options: {
  databaseUrl: string;
  pool: { max: number };
  applicationName: string;
}) => Client;

export interface TestDatabase<Client extends { $disconnect(): Promise<void> }> {
  /** URL of this test file's own database. */
  url: string;
  /** A client on it (small pool); `drop()` disconnects it. */
  prisma: Client;
  /** Disconnects and drops the database. Call it in `afterAll`. */
  drop(): Promise<void>;
}

/**
 * A fresh database for one test file, cloned from the run's template
 * (`CREATE DATABASE … TEMPLATE …`), so files never see each other's rows:
 * `await createTestDatabase(createPrismaClient)`.
 */
export async function createTestDatabase<Client extends { $disconnect(): Promise<void> }>(
  connect: TestDatabaseConnect<Client>,
): Promise<TestDatabase<Client>> {
  const serverUrl = testDatabaseServerUrl();
  const template = process.env[testTemplateVariable];
  if (!template) throw new Error(`${testTemplateVariable} is not set: global setup did not run`);
  const name = `shelfwatch_test_${process.pid}_${randomBytes(4).toString('hex')}`;
  await administer(serverUrl, `CREATE DATABASE "${name}" TEMPLATE "${template}"`);
  const url = onDatabase(serverUrl, name);
  const prisma = connect({
    databaseUrl: url,
    pool: { max: 4 },
    applicationName: 'shelfwatch-test',
  });
  let dropped: Promise<void> | undefined;
  return {
    url,
    prisma,
    drop: () =>
      (dropped ??= (async () => {
        await prisma.$disconnect();
        await administer(serverUrl, `DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      })()),
  };
}

/** An empty database on the run's server (no template): for tests of migrations themselves. */
export async function createEmptyTestDatabase(): Promise<string> {
  const serverUrl = testDatabaseServerUrl();
  const name = `shelfwatch_empty_${randomBytes(4).toString('hex')}`;
  await administer(serverUrl, `CREATE DATABASE "${name}"`);
  return onDatabase(serverUrl, name);
}

/**
 * Drops a database `createEmptyTestDatabase` made, ending its connections first. Only databases
 * this module names are dropped: anything else is refused, so a wrong URL cannot cost real data.
 */
export async function dropTestDatabase(url: string): Promise<void> {
  const name = decodeURIComponent(new URL(url).pathname.slice(1));
  if (!/^shelfwatch_(empty|test)_[0-9a-z_]+$/.test(name))
    throw new Error(`Not a test database of this run: "${name}"`);
  await administer(testDatabaseServerUrl(), `DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
}
