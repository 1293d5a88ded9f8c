/**
 * One start of an app image under `buildah run`, watched from outside as Cloud Run would: time to
 * the first 200 on `/ready`, then the caller's probes, then SIGTERM to the app's process and a
 * clean exit within Cloud Run's 10 seconds.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import type { Buildah } from './buildah';
import {
  argvOf,
  commandLineMatches,
  descendantsOf,
  findDescendantByArgv,
  processStartedAt,
} from './container-process';

/** Cloud Run sends SIGKILL this long after SIGTERM. */
export const cloudRunShutdownWindowMs = 10_000;

export interface AppRunResult {
  /** From spawning `buildah run` to the first 200 on `/ready`. */
  readyMs: number;
  /** From the start of the app's own process (node, after buildah set up the container) to `/ready`. */
  nodeToReadyMs: number | undefined;
  /** From SIGTERM to the process's exit. */
  shutdownMs: number;
  exitCode: number | null;
  /** Status of each probed path, `/health` first. */
  probes: Record<string, number>;
  /** Output lines of the app (stdout and stderr interleaved). */
  output: string[];
}

export class AppRunError extends Error {
  constructor(
    message: string,
    readonly output: string[],
  ) {
    super(message);
    this.name = 'AppRunError';
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function status(url: string, headers?: Record<string, string>): Promise<number | undefined> {
  try {
    const response = await fetch(url, { headers, signal: AbortSignal.timeout(2_000) });
    await response.arrayBuffer();
    return response.status;
  } catch {
    return undefined;
  }
}

function waitForExit(child: ChildProcess, timeoutMs: number): Promise<number | null | 'timeout'> {
  if (child.exitCode !== null) return Promise.resolve(child.exitCode);
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve('timeout'), timeoutMs);
    child.once('exit', (code) => {
      clearTimeout(timer);
      resolve(code);
    });
  });
}

export async function runAppOnce(options: {
  buildah: Buildah;
  container: string;
  /** The image's ENTRYPOINT + CMD: what Cloud Run starts. */
  command: string[];
  port: number;
  env: Record<string, string>;
  probes: string[];
  /** Headers sent with every probe, e.g. the api's bootstrap key. */
  probeHeaders?: Record<string, string>;
  readyTimeoutMs?: number;
}): Promise<AppRunResult> {
  const { buildah, container, command, port } = options;
  const output: string[] = [];
  const startedAt = performance.now();
  const child = spawn('buildah', buildah.runInContainerArgs(container, options.env, command), {
    env: buildah.environment(),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let partial = '';
  const onData = (chunk: Buffer) => {
    const lines = (partial + chunk.toString('utf8')).split('\n');
    partial = lines.pop() ?? '';
    output.push(...lines);
  };
  child.stdout?.on('data', onData);
  child.stderr?.on('data', onData);
  const fail = async (message: string): Promise<never> => {
    // Signalling buildah alone can orphan the app (it runs in the host's PID namespace), so the
    // app goes first; buildah then exits and cleans up its run folder.
    if (child.exitCode === null) {
      for (const pid of descendantsOf(child.pid as number)) {
        if (commandLineMatches(argvOf(pid), command)) process.kill(pid, 'SIGKILL');
      }
      child.kill('SIGTERM');
    }
    if ((await waitForExit(child, 5_000)) === 'timeout') child.kill('SIGKILL');
    if (partial) output.push(partial);
    throw new AppRunError(message, output);
  };

  const base = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + (options.readyTimeoutMs ?? 60_000);
  let readyMs: number | undefined;
  let readyAt = 0;
  while (readyMs === undefined) {
    if ((await status(`${base}/ready`)) === 200) {
      readyMs = performance.now() - startedAt;
      readyAt = Date.now();
    } else if (child.exitCode !== null) await fail(`exited with ${child.exitCode} before /ready`);
    else if (Date.now() > deadline) await fail('/ready did not answer 200 in time');
    else await sleep(50);
  }

  const probes: Record<string, number> = {};
  for (const path of ['/health', ...options.probes]) {
    probes[path] = (await status(`${base}${path}`, options.probeHeaders)) ?? 0;
  }

  const appPid = findDescendantByArgv(child.pid as number, command);
  if (appPid === undefined) await fail(`no process running ${command.join(' ')} under buildah`);
  const nodeStartedAt = processStartedAt(appPid as number);
  const signalledAt = performance.now();
  process.kill(appPid as number, 'SIGTERM');
  const exit = await waitForExit(child, cloudRunShutdownWindowMs);
  const shutdownMs = performance.now() - signalledAt;
  if (exit === 'timeout') await fail(`still running ${cloudRunShutdownWindowMs} ms after SIGTERM`);
  if (partial) output.push(partial);
  return {
    readyMs,
    nodeToReadyMs: nodeStartedAt === undefined ? undefined : readyAt - nodeStartedAt,
    shutdownMs,
    exitCode: exit === 'timeout' ? null : exit,
    probes,
    output,
  };
}
