/**
 * `npm start`'s local stack (tools/dev/start.ts) for the browser suites, in its own process group
 * with its own data folder and ports. `--no-demo` leaves the demo account's watch list empty, so
 * a test adds its own watch; the demo shop the test runs itself (on a still clock it moves).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { workspaceRoot } from '@shelfwatch/testing';
import { freeLocalPortBase, localServeEnv } from '../support/local-stack';

const READY = /shelfwatch is ready in ([\d.]+) s/;

export interface RunningStack {
  dashboardUrl: string;
  email: string;
  password: string;
  output(): string;
  stop(): Promise<void>;
}

/** `env` is added to the newcomer's environment (for example shorter notifier retries). */
export async function startLocalStack(
  options: { env?: NodeJS.ProcessEnv } = {},
): Promise<RunningStack> {
  const dataDir = mkdtempSync(join(tmpdir(), 'shelfwatch-web-e2e-'));
  const base = await freeLocalPortBase();
  let output = '';
  const child: ChildProcess = spawn(
    process.execPath,
    ['--import', 'tsx', join(workspaceRoot, 'tools/dev/start.ts'), '--no-demo'],
    {
      cwd: workspaceRoot,
      env: { ...localServeEnv(join(dataDir, 'data'), base), ...options.env },
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  child.stdout!.on('data', (chunk) => (output += chunk));
  child.stderr!.on('data', (chunk) => (output += chunk));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stop = async () => {
    if (child.exitCode === null) process.kill(-child.pid!, 'SIGINT');
    await exited;
    rmSync(dataDir, { recursive: true, force: true });
  };
  const deadline = Date.now() + 180_000;
  while (!READY.test(output)) {
    if (child.exitCode !== null || Date.now() > deadline) {
      await stop();
      throw new Error(`the local stack did not get ready:\n${output.slice(-4000)}`);
    }
    await new Promise((wake) => setTimeout(wake, 250));
  }
  const dashboard = /dashboard\s+(http:\/\/\S+)/.exec(output);
  const signIn = /demo sign-in (\S+) \/ (\S+)/.exec(output);
  if (!dashboard || !signIn) {
    await stop();
    throw new Error(`npm start printed no dashboard URL or demo sign-in:\n${output.slice(-4000)}`);
  }
  return {
    dashboardUrl: dashboard[1]!,
    email: signIn[1]!,
    password: signIn[2]!,
    output: () => output,
    stop,
  };
}
