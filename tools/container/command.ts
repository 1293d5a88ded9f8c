import { spawn, spawnSync, type SpawnOptions } from 'node:child_process';

export interface CommandResult {
  status: number;
  stdout: string;
  stderr: string;
}

/** Runs a command to completion and captures its output; never throws for a non-zero exit. */
export function runCaptured(
  command: string,
  args: readonly string[],
  options: { cwd?: string; env?: NodeJS.ProcessEnv; input?: string } = {},
): CommandResult {
  const result = spawnSync(command, args, {
    cwd: options.cwd,
    env: options.env,
    input: options.input,
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
  });
  if (result.error) {
    return { status: 127, stdout: '', stderr: result.error.message };
  }
  return { status: result.status ?? 1, stdout: result.stdout, stderr: result.stderr };
}

/** Like `runCaptured`, but throws with the command and its stderr when it fails. */
export function runChecked(
  command: string,
  args: readonly string[],
  options: { cwd?: string; env?: NodeJS.ProcessEnv; input?: string } = {},
): string {
  const result = runCaptured(command, args, options);
  if (result.status !== 0) {
    throw new Error(
      `${[command, ...args].join(' ')} exited with ${result.status}:\n${result.stderr.trim() || result.stdout.trim()}`,
    );
  }
  return result.stdout;
}

/** Runs a command with its output on this process's terminal; resolves with its exit status. */
export function runInherited(
  command: string,
  args: readonly string[],
  options: Pick<SpawnOptions, 'cwd' | 'env'> = {},
): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { ...options, stdio: 'inherit' });
    child.once('error', reject);
    child.once('exit', (code, signal) => resolve(code ?? (signal ? 128 : 1)));
  });
}
