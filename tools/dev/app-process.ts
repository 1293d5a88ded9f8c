import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';

export const workspaceRoot = resolve(__dirname, '../..');

export const appNames = ['api', 'scraper', 'analytics', 'notifier'] as const;
export type AppName = (typeof appNames)[number];

export interface AppProcessOptions {
  port: number;
  /** The whole environment of the child (PORT is added). */
  env: NodeJS.ProcessEnv;
  /** Restart on source changes (node --watch); from source only. */
  watch?: boolean;
  /**
   * `source` (default): `apps/<name>/src/main.ts` through tsx, the code as it is now. `bundle`:
   * `apps/<name>/dist/main.js` as `nx run <name>:build` left it, the code the images run; it
   * starts without compiling the app and its libraries again (what suites that start apps many
   * times use, ADR 0035).
   */
  from?: 'source' | 'bundle';
  /** Receives every line the app writes, stdout and stderr alike. */
  onLine?: (line: string, stream: 'stdout' | 'stderr') => void;
}

export interface AppProcess {
  name: AppName;
  url: string;
  child: ChildProcess;
  /** Settles with the exit code (or the signal's name) when the process has ended. */
  exited: Promise<number | NodeJS.Signals>;
  /** Sends SIGTERM (the app drains and exits) and waits, SIGKILL after `graceMs`. */
  stop(graceMs?: number): Promise<number | NodeJS.Signals>;
}

/** Runs one app (from source unless `from: 'bundle'`) as its own process. */
export function spawnApp(name: AppName, options: AppProcessOptions): AppProcess {
  const child = spawn(process.execPath, appCommand(name, options), {
    cwd: workspaceRoot,
    env: { ...options.env, PORT: String(options.port) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  for (const stream of ['stdout', 'stderr'] as const) {
    const lines = createInterface({ input: child[stream]! });
    lines.on('line', (line) => options.onLine?.(line, stream));
  }
  const exited = new Promise<number | NodeJS.Signals>((settle) => {
    child.once('exit', (code, signal) => settle(code ?? signal ?? 1));
  });
  return {
    name,
    url: `http://127.0.0.1:${options.port}`,
    child,
    exited,
    async stop(graceMs = 15_000) {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
        timer.unref();
      }
      return exited;
    },
  };
}

function appCommand(name: AppName, options: AppProcessOptions): string[] {
  if (options.from !== 'bundle')
    return [
      '--import',
      'tsx',
      ...(options.watch ? ['--watch'] : []),
      join(workspaceRoot, 'apps', name, 'src', 'main.ts'),
    ];
  if (options.watch) throw new Error(`${name}: watch mode runs from source, not from the bundle`);
  const bundle = join(workspaceRoot, 'apps', name, 'dist', 'main.js');
  if (!existsSync(bundle)) throw new Error(`${bundle} is missing: run nx run ${name}:build first`);
  return [bundle];
}

/** Resolves once `GET /ready` answers 200; rejects if the process ends first or time runs out. */
export async function waitUntilReady(app: AppProcess, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let ended: number | NodeJS.Signals | undefined;
  void app.exited.then((code) => {
    ended = code;
  });
  let lastProblem = 'no answer yet';
  while (Date.now() < deadline) {
    if (ended !== undefined) throw new Error(`${app.name} exited (${ended}) before it was ready`);
    try {
      const response = await fetch(`${app.url}/ready`, { signal: AbortSignal.timeout(2_000) });
      if (response.ok) return;
      lastProblem = `/ready answered ${response.status}: ${await response.text()}`;
    } catch (error) {
      lastProblem = (error as Error).message;
    }
    await new Promise((wake) => setTimeout(wake, 200));
  }
  throw new Error(`${app.name} was not ready within ${timeoutMs} ms (${lastProblem})`);
}
