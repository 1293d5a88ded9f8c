import { applyMigrations } from '@shelfwatch/db';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { workspaceRoot } from './app-process';
import { waitForLocalDatabase } from './local-database';

export interface DatabaseForApp {
  url: string;
  /** Stops the database if this call started it; otherwise does nothing. */
  stop(): Promise<void>;
  started: boolean;
}

/**
 * The database an app served from source uses: `DATABASE_URL` (migrated), the local embedded
 * PostgreSQL when something already runs it, or one started here in a process group of its own.
 * The own group matters: Ctrl-C in a terminal, and Nx stopping a task, signal a whole process
 * group, and PostgreSQL's session processes end their sessions on that signal, mid-drain of the
 * app. Started apart, the database outlives the app and is stopped after it.
 */
export async function databaseForApp(env: NodeJS.ProcessEnv): Promise<DatabaseForApp> {
  if (env.DATABASE_URL) {
    await applyMigrations(env.DATABASE_URL);
    return { url: env.DATABASE_URL, stop: async () => undefined, started: false };
  }
  const running = await waitForLocalDatabase(env, 0).catch(() => undefined);
  if (running) return { url: running, stop: async () => undefined, started: false };

  // `sh -c '… &'` exits at once, so the database process is adopted by init: outside the
  // process tree and group that Nx and the terminal signal. It writes its pid first.
  const script = join(workspaceRoot, 'tools/dev/database-server.ts');
  const launcher = spawn(
    '/bin/sh',
    ['-c', '"$@" & echo "pid $!"', 'sh', process.execPath, '--import', 'tsx', script],
    {
      cwd: workspaceRoot,
      env: { ...env, SHELFWATCH_DB_PARENT_PID: String(process.pid) },
      detached: true,
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  const pid = await new Promise<number>((resolve, reject) => {
    let buffer = '';
    launcher.stdout!.on('data', (chunk: Buffer) => {
      const text = chunk.toString();
      if (!buffer.includes('\n')) {
        buffer += text;
        const match = /^pid (\d+)\n/.exec(buffer);
        if (match) {
          resolve(Number(match[1]));
          process.stdout.write(buffer.slice(match[0].length));
        }
        return;
      }
      process.stdout.write(text);
    });
    launcher.once('error', reject);
  });
  const alive = () => {
    try {
      process.kill(pid, 0);
      return true;
    } catch {
      return false;
    }
  };
  const deadline = Date.now() + 120_000;
  let url: string | undefined;
  while (!url) {
    if (!alive()) throw new Error('The local database process exited before it was ready');
    url = await waitForLocalDatabase(env, 0).catch(() => undefined);
    if (!url) {
      if (Date.now() > deadline) throw new Error('The local database did not get ready in 120 s');
      await new Promise((wake) => setTimeout(wake, 250));
    }
  }
  return {
    url,
    started: true,
    async stop() {
      if (!alive()) return;
      process.kill(pid, 'SIGTERM');
      const until = Date.now() + 15_000;
      while (alive() && Date.now() < until) await new Promise((wake) => setTimeout(wake, 100));
      if (alive()) process.kill(-pid, 'SIGKILL');
    },
  };
}
