import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { dropDatabase, withMaintenanceConnection } from '../admin';
import { createPrismaClient } from '../client';
import { quoteIdentifier, withDatabaseName } from '../connection-url';
import { startEmbeddedPostgres } from '../embedded-postgres';
import type { PrismaClient } from '../generated/prisma/client';
import { applyMigrations } from '../migrations';

/** Set by `testDatabaseGlobalSetup` for the Jest workers: a server URL and the template's name. */
export const testServerUrlVariable = 'SHELFWATCH_TEST_DATABASE_SERVER_URL';
export const testTemplateVariable = 'SHELFWATCH_TEST_DATABASE_TEMPLATE';

interface TestRunState {
  stop(): Promise<void>;
}
const stateKey = Symbol.for('shelfwatch.db.testRun');
type GlobalWithState = typeof globalThis & { [stateKey]?: TestRunState };

/**
 * Jest `globalSetup`: one PostgreSQL for the whole run, with a template database migrated once.
 * Embedded (a throwaway cluster in a temp dir) unless `DATABASE_URL` is set, in which case that
 * server hosts the template and the per-file databases (its role needs CREATEDB) and the
 * database `DATABASE_URL` names is left alone. Workers find both through process.env.
 */
export async function testDatabaseGlobalSetup(): Promise<void> {
  const externalUrl = process.env['DATABASE_URL'];
  const runId = randomBytes(4).toString('hex');
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

  const template = `shelfwatch_template_${runId}`;
  const state: TestRunState = {
    stop: async () => {
      try {
        if (externalUrl) await dropDatabase(serverUrl, template);
      } finally {
        await stopServer();
      }
    },
  };
  (globalThis as GlobalWithState)[stateKey] = state;
  try {
    await withMaintenanceConnection(serverUrl, (client) =>
      client.query(`CREATE DATABASE ${quoteIdentifier(template)}`),
    );
    await applyMigrations(withDatabaseName(serverUrl, template));
    // A template nobody may connect to can always be cloned, even by concurrent workers.
    await withMaintenanceConnection(serverUrl, (client) =>
      client.query(`ALTER DATABASE ${quoteIdentifier(template)} WITH ALLOW_CONNECTIONS false`),
    );
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

export interface TestDatabase {
  /** URL of this test file's own database. */
  url: string;
  /** A client on it (small pool); `drop()` disconnects it. */
  prisma: PrismaClient;
  /** Disconnects and drops the database. Call it in `afterAll`. */
  drop(): Promise<void>;
}

/**
 * A fresh, migrated database for one test file, cloned from the run's template
 * (`CREATE DATABASE … TEMPLATE …`), so files never see each other's rows.
 */
export async function createTestDatabase(): Promise<TestDatabase> {
  const serverUrl = process.env[testServerUrlVariable];
  const template = process.env[testTemplateVariable];
  if (!serverUrl || !template) {
    throw new Error(
      'No test database server: set globalSetup/globalTeardown in jest.config.cjs to files that re-export ' +
        'testDatabaseGlobalSetup/testDatabaseGlobalTeardown from @shelfwatch/db.',
    );
  }
  const name = `shelfwatch_test_${process.pid}_${randomBytes(4).toString('hex')}`;
  await withMaintenanceConnection(serverUrl, (client) =>
    client.query(`CREATE DATABASE ${quoteIdentifier(name)} TEMPLATE ${quoteIdentifier(template)}`),
  );
  const url = withDatabaseName(serverUrl, name);
  const prisma = createPrismaClient({
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
        await dropDatabase(serverUrl, name);
      })()),
  };
}
