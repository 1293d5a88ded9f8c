import { spawn, type ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { isLoopbackPortFree, workspaceRoot } from '@shelfwatch/testing';

/** A `SHELFWATCH_PORT` whose ports (the base, the next two, the shop 10 above) are all free. */
export async function freeLocalPortBase(): Promise<number> {
  for (;;) {
    // Below Linux's ephemeral range (32768+), so no outgoing connection takes a port between
    // this check and the moment the served app binds it.
    const base = 20_000 + Math.floor(Math.random() * 12_000);
    // The apps, the demo shop (+10) and the local SMTP server (+15).
    const ports = [base, base + 1, base + 2, base + 3, base + 10, base + 15];
    if ((await Promise.all(ports.map(isLoopbackPortFree))).every(Boolean)) return base;
  }
}

/** Processes whose command line mentions `dir` (a data folder, a clone). */
export function processesIn(dir: string): string[] {
  const found: string[] = [];
  for (const pid of readdirSync('/proc').filter((name) => /^\d+$/.test(name))) {
    try {
      const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ');
      if (cmdline.includes(dir)) found.push(`${pid}: ${cmdline.trim()}`);
    } catch {
      // gone meanwhile
    }
  }
  return found;
}

export interface ServedApp {
  child: ChildProcess;
  /** Everything Nx printed so far, stdout and stderr. */
  output(): string;
  exited: Promise<number | null>;
}

/** `nx serve <app>` as in a terminal of its own: its own process group, this workspace. */
export function nxServe(app: string, env: NodeJS.ProcessEnv): ServedApp {
  let output = '';
  const child = spawn(
    join(workspaceRoot, 'node_modules/.bin/nx'),
    ['serve', app, '--outputStyle=stream'],
    { cwd: workspaceRoot, env, stdio: ['ignore', 'pipe', 'pipe'], detached: true },
  );
  child.stdout!.on('data', (chunk) => (output += chunk));
  child.stderr!.on('data', (chunk) => (output += chunk));
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  return { child, output: () => output, exited };
}

/**
 * Nx's own state for the `nx serve` processes of one suite. Nx records the continuous tasks it
 * runs in its workspace data and, when another nx process of the same workspace already runs
 * `scraper:serve`, waits on that one instead of starting its own; two suites serving the same
 * app side by side (or a developer's terminal) would then share one app. A folder per suite keeps
 * each suite's serves its own; the project graph it rebuilds there costs well under a second.
 */
export function ownNxWorkspaceData(dataDir: string): NodeJS.ProcessEnv {
  return { NX_WORKSPACE_DATA_DIRECTORY: join(dataDir, 'nx-workspace-data') };
}

/** The environment of a newcomer's shell: embedded defaults, no watch restarts mid-test. */
export function localServeEnv(dataDir: string, portBase: number): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    SHELFWATCH_DATA_DIR: dataDir,
    SHELFWATCH_PORT: String(portBase),
    // Other tasks of the same test run write files; a watch-mode restart would race the test.
    SHELFWATCH_SERVE_WATCH: 'false',
    LOG_LEVEL: 'warn',
    NX_DAEMON: 'false',
    NX_TUI: 'false',
    ...ownNxWorkspaceData(dataDir),
  };
  for (const name of ['DATABASE_URL', 'PORT', 'DEMO_SHOP_PORT', 'PUBSUB_EMULATOR_HOST'])
    delete env[name];
  return env;
}
