import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { startEmbeddedPostgres } from '@shelfwatch/testing';

/**
 * A server for the schema engine's throwaway shadow database: `SHADOW_DATABASE_URL` (its role
 * needs CREATEDB) or else a temporary embedded PostgreSQL. Never DATABASE_URL: diffing must not
 * create databases next to real data.
 */
export async function withScratchServer<T>(work: (serverUrl: string) => Promise<T>): Promise<T> {
  const shadowUrl = process.env['SHADOW_DATABASE_URL'];
  if (shadowUrl) return work(shadowUrl);
  const tempDir = await mkdtemp(path.join(os.tmpdir(), 'shelfwatch-scratch-pg-'));
  try {
    const server = await startEmbeddedPostgres({
      dataDir: path.join(tempDir, 'data'),
      persistent: false,
    });
    try {
      return await work(server.url);
    } finally {
      await server.stop();
    }
  } finally {
    await rm(tempDir, { recursive: true, force: true });
  }
}

/** Runs a CLI's main function, printing the error and exiting non-zero on failure. */
export function runCli(main: () => Promise<number | void>): void {
  main().then(
    (code) => {
      process.exitCode = code ?? 0;
    },
    (error: unknown) => {
      console.error(error instanceof Error ? error.message : error);
      process.exitCode = 1;
    },
  );
}
