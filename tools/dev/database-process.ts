import { applyMigrations } from '@shelfwatch/db';
import { spawn } from 'node:child_process';
import { closeSync, mkdirSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { workspaceRoot } from './app-process';
import { waitForLocalDatabase } from './local-database';
import { liveServeLeases, serveLeaseDir, takeServeLease } from './serve-leases';

export interface DatabaseForApp {
  url: string;
  /** True when this call started the local database process. */
  started: boolean;
  /**
   * Gives this serve's lease back. The local database stops once no `nx serve` holds one; the
   * last one waits until it has stopped. Returns what happened, for the log.
   */
  release(): Promise<string>;
}

/** The pid a file holds, or 0 when it is missing or empty. */
function readPid(file: string): number {
  try {
    return Number(readFileSync(file, 'utf8').trim()) || 0;
  } catch {
    return 0;
  }
}

const sleep = (ms: number) => new Promise((wake) => setTimeout(wake, ms));

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * Only one serve at a time may find the database missing and start it: two starting together
 * would race for the data directory's lock. An exclusive lock file, taken over when its holder
 * has died.
 */
async function withStartLock<T>(lockFile: string, work: () => Promise<T>): Promise<T> {
  const deadline = Date.now() + 180_000;
  for (;;) {
    try {
      closeSync(openSync(lockFile, 'wx'));
      writeFileSync(lockFile, String(process.pid));
      break;
    } catch {
      const holder = readPid(lockFile);
      if (holder && !isAlive(holder)) rmSync(lockFile, { force: true });
      else if (Date.now() > deadline) throw new Error(`${lockFile} stayed locked for 180 s`);
      else await sleep(200);
    }
  }
  try {
    return await work();
  } finally {
    rmSync(lockFile, { force: true });
  }
}

/**
 * The database an app served from source uses: `DATABASE_URL` (migrated), the local embedded
 * PostgreSQL when something already runs it, or one started here. Started apart from every
 * serve (outside the process tree and group that Ctrl-C and Nx signal, whose signal would end
 * PostgreSQL's sessions mid-drain), it runs while any `nx serve` holds a lease, so stopping one
 * serve never takes the database from the others.
 */
export async function databaseForApp(env: NodeJS.ProcessEnv): Promise<DatabaseForApp> {
  if (env.DATABASE_URL) {
    await applyMigrations(env.DATABASE_URL);
    return { url: env.DATABASE_URL, started: false, release: async () => 'using DATABASE_URL' };
  }
  const leaseDir = serveLeaseDir(env);
  const releaseLease = takeServeLease(leaseDir);
  const dataRoot = dirname(leaseDir);
  const databasePidFile = join(dataRoot, 'serve-database.pid');
  const startLock = join(dataRoot, 'serve-start.lock');
  mkdirSync(dataRoot, { recursive: true });
  try {
    const { url, started } = await withStartLock(startLock, async () => {
      const running = await waitForLocalDatabase(env, 0).catch(() => undefined);
      if (running) return { url: running, started: false };
      const logFile = join(dataRoot, 'serve-database.log');
      const pid = await spawnDatabaseServer(env, leaseDir, logFile);
      writeFileSync(databasePidFile, String(pid));
      const ready = await untilReady(env, pid).catch((error: Error) => {
        throw new Error(`${error.message}; its log: ${logFile}`);
      });
      return { url: ready, started: true };
    });
    return {
      url,
      started,
      async release() {
        releaseLease();
        // Under the start lock: a serve starting now waits until this database has stopped,
        // then starts its own, instead of joining one on its way down.
        return withStartLock(startLock, async () => {
          const others = liveServeLeases(leaseDir).length;
          if (others > 0) return `database left running for ${others} other nx serve process(es)`;
          const pid = readPid(databasePidFile);
          if (!pid || !isAlive(pid)) return 'database not started by nx serve: left running';
          // The last lease is gone: stop it now rather than at its next look at the leases.
          process.kill(pid, 'SIGTERM');
          const until = Date.now() + 20_000;
          while (isAlive(pid) && Date.now() < until) await sleep(100);
          if (isAlive(pid)) {
            process.kill(pid, 'SIGKILL');
            return `database process ${pid} did not stop within 20 s: killed`;
          }
          rmSync(databasePidFile, { force: true });
          return 'database stopped (no other nx serve uses it)';
        });
      },
    };
  } catch (error) {
    releaseLease();
    throw error;
  }
}

/**
 * Starts tools/dev/database-server.ts adopted by init, its output appended to `logFile` (it
 * outlives the serve that started it, so it must not write into that serve's pipes), and
 * returns its pid.
 */
async function spawnDatabaseServer(
  env: NodeJS.ProcessEnv,
  leaseDir: string,
  logFile: string,
): Promise<number> {
  // `sh -c '… &'` exits at once, so the database process is adopted by init: outside the
  // process tree and group that Nx and the terminal signal. It prints the pid first.
  const script = join(workspaceRoot, 'tools/dev/database-server.ts');
  const launcher = spawn(
    '/bin/sh',
    [
      '-c',
      '"$@" >>"$SHELFWATCH_DB_LOG" 2>&1 </dev/null & echo "$!"',
      'sh',
      process.execPath,
      '--import',
      'tsx',
      script,
    ],
    {
      cwd: workspaceRoot,
      env: { ...env, SHELFWATCH_DB_SERVE_LEASES: leaseDir, SHELFWATCH_DB_LOG: logFile },
      detached: true,
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  let output = '';
  launcher.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const code = await new Promise<number | null>((resolve, reject) => {
    launcher.once('error', reject);
    launcher.once('close', resolve);
  });
  const pid = Number(output.trim());
  if (code !== 0 || !Number.isInteger(pid) || pid <= 0)
    throw new Error(`Could not start the local database process (${output.trim()})`);
  return pid;
}

async function untilReady(env: NodeJS.ProcessEnv, pid: number): Promise<string> {
  const deadline = Date.now() + 120_000;
  for (;;) {
    if (!isAlive(pid)) throw new Error('The local database process exited before it was ready');
    const url = await waitForLocalDatabase(env, 0).catch(() => undefined);
    if (url) return url;
    if (Date.now() > deadline) throw new Error('The local database did not get ready in 120 s');
    await sleep(250);
  }
}
