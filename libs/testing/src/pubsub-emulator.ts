import { spawn, type ChildProcess } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { findFreeLoopbackPort } from './ports';

export interface PubSubEmulatorOptions {
  /** Project the emulator serves; defaults to `shelfwatch-local`. */
  projectId?: string;
  /** Port on 127.0.0.1; a free one is picked when omitted. */
  port?: number;
  /** How long to wait for the emulator to answer; its JVM takes a few seconds. Defaults to 60 s. */
  startTimeoutMs?: number;
  /** Receives the emulator's own output lines (quiet by default). */
  log?: (line: string) => void;
  env?: NodeJS.ProcessEnv;
}

export interface PubSubEmulator {
  /** `127.0.0.1:<port>`: the value for `PUBSUB_EMULATOR_HOST`. */
  host: string;
  projectId: string;
  /** Stops the emulator and every process it spawned (gcloud, the JVM). Safe to call twice. */
  stop(): Promise<void>;
}

export type PubSubEmulatorAvailability =
  | { available: true; gcloud: string; required: boolean }
  | { available: false; reason: string; required: boolean };

/**
 * Whether emulator tests can run here. `required` is true under `CI=true`, where a missing
 * emulator must fail the run instead of skipping it.
 */
export function pubSubEmulatorAvailability(
  env: NodeJS.ProcessEnv = process.env,
): PubSubEmulatorAvailability {
  const required = env.CI === 'true';
  const gcloud = findOnPath('gcloud', env);
  if (!gcloud) {
    return {
      available: false,
      required,
      reason:
        'the Pub/Sub emulator needs `gcloud` (Google Cloud SDK with the pubsub-emulator component) on PATH, and it is not there',
    };
  }
  if (!findOnPath('java', env)) {
    return {
      available: false,
      required,
      reason: 'the Pub/Sub emulator runs on Java, and `java` is not on PATH',
    };
  }
  return { available: true, gcloud, required };
}

/**
 * Starts `gcloud beta emulators pubsub start` on 127.0.0.1 in its own process group and waits
 * until it answers. gcloud forks a JVM, so stopping signals the whole group and waits until the
 * group is gone; a process exit handler does the same if the caller never calls `stop()`.
 */
export async function startPubSubEmulator(
  options: PubSubEmulatorOptions = {},
): Promise<PubSubEmulator> {
  const env = options.env ?? process.env;
  const availability = pubSubEmulatorAvailability(env);
  if (!availability.available)
    throw new Error(`Cannot start the Pub/Sub emulator: ${availability.reason}`);
  const projectId = options.projectId ?? 'shelfwatch-local';
  const port = options.port ?? (await findFreeLoopbackPort());
  const host = `127.0.0.1:${port}`;
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'shelfwatch-pubsub-'));
  const recentOutput: string[] = [];

  const child = spawn(
    availability.gcloud,
    [
      'beta',
      'emulators',
      'pubsub',
      'start',
      `--host-port=${host}`,
      `--project=${projectId}`,
      `--data-dir=${dataDir}`,
      '--quiet',
    ],
    {
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...env, CLOUDSDK_CORE_DISABLE_PROMPTS: '1' },
    },
  );
  const onLine = (chunk: Buffer) => {
    for (const line of chunk.toString('utf8').split('\n')) {
      if (!line.trim()) continue;
      recentOutput.push(line);
      if (recentOutput.length > 40) recentOutput.shift();
      options.log?.(line);
    }
  };
  child.stdout?.on('data', onLine);
  child.stderr?.on('data', onLine);

  const killOnExit = () => signalGroup(child, 'SIGKILL');
  process.once('exit', killOnExit);

  let stopping: Promise<void> | undefined;
  const stop = () =>
    (stopping ??= (async () => {
      process.removeListener('exit', killOnExit);
      await stopGroup(child);
      await rm(dataDir, { recursive: true, force: true });
    })());

  try {
    await waitUntilAnswering(host, child, options.startTimeoutMs ?? 60_000);
  } catch (error) {
    await stop();
    throw new Error(
      `The Pub/Sub emulator did not start on ${host}: ${(error as Error).message}\n${recentOutput.join('\n')}`,
      { cause: error },
    );
  }
  return { host, projectId, stop };
}

async function waitUntilAnswering(host: string, child: ChildProcess, timeoutMs: number) {
  const deadline = Date.now() + timeoutMs;
  let exited: string | undefined;
  child.once('exit', (code, signal) => (exited = `it exited (${signal ?? `code ${code}`})`));
  while (Date.now() < deadline) {
    if (exited) throw new Error(exited);
    try {
      // The emulator answers its root path with "Ok." once it accepts requests.
      const response = await fetch(`http://${host}/`, { signal: AbortSignal.timeout(1_000) });
      if (response.ok) return;
    } catch {
      // Not listening yet.
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`no answer within ${timeoutMs} ms`);
}

function signalGroup(child: ChildProcess, signal: NodeJS.Signals): boolean {
  if (child.pid === undefined) return false;
  try {
    process.kill(-child.pid, signal);
    return true;
  } catch {
    return false; // ESRCH: the group is gone.
  }
}

function groupAlive(child: ChildProcess): boolean {
  return child.pid !== undefined && signalGroup(child, 0 as unknown as NodeJS.Signals);
}

async function stopGroup(child: ChildProcess): Promise<void> {
  signalGroup(child, 'SIGTERM');
  const deadline = Date.now() + 10_000;
  while (groupAlive(child) && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  if (groupAlive(child)) {
    signalGroup(child, 'SIGKILL');
    while (groupAlive(child)) await new Promise((resolve) => setTimeout(resolve, 50));
  }
  child.stdout?.destroy();
  child.stderr?.destroy();
}

function findOnPath(command: string, env: NodeJS.ProcessEnv): string | undefined {
  for (const folder of (env.PATH ?? '').split(path.delimiter)) {
    if (!folder) continue;
    const candidate = path.join(folder, command);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // Not in this folder.
    }
  }
  return undefined;
}
