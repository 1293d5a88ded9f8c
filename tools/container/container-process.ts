/**
 * Finds the app's own process under `buildah run`. With chroot isolation the container shares the
 * host's PID namespace, and buildah does not pass SIGTERM on to its child (it kills it), so the
 * smoke test signals the process itself, as Cloud Run signals PID 1.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { runCaptured } from './command';

/** Fields of /proc/<pid>/stat from the 3rd (state) on, or undefined once the process is gone. */
function statFields(pid: number): string[] | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (2nd field) may hold spaces and parentheses; fields resume after the last ')'.
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  } catch {
    return undefined;
  }
}

function parentOf(pid: number): number | undefined {
  const fields = statFields(pid);
  return fields ? Number(fields[1]) : undefined;
}

let clockTicksPerSecond: number | undefined;

/**
 * When the process started, in epoch milliseconds (10 ms resolution): the kernel's start time in
 * clock ticks after boot, placed on the wall clock through the current uptime.
 */
export function processStartedAt(pid: number): number | undefined {
  const fields = statFields(pid);
  if (!fields) return undefined;
  clockTicksPerSecond ??= Number(runCaptured('getconf', ['CLK_TCK']).stdout.trim()) || 100;
  const startTicks = Number(fields[19]);
  const uptimeSeconds = Number(readFileSync('/proc/uptime', 'utf8').split(' ')[0]);
  const bootedAt = Date.now() - uptimeSeconds * 1000;
  return bootedAt + (startTicks / clockTicksPerSecond) * 1000;
}

/** A process's command line, empty once it is gone. */
export function argvOf(pid: number): string[] {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').slice(0, -1);
  } catch {
    return [];
  }
}

/** Every live process below `root` (children, grandchildren, ...). */
export function descendantsOf(root: number): number[] {
  const parents = new Map<number, number>();
  for (const entry of readdirSync('/proc')) {
    const pid = Number(entry);
    if (!Number.isInteger(pid)) continue;
    const parent = parentOf(pid);
    if (parent !== undefined) parents.set(pid, parent);
  }
  const found: number[] = [];
  for (const pid of parents.keys()) {
    for (let current = parents.get(pid); current !== undefined; current = parents.get(current)) {
      if (current === root) {
        found.push(pid);
        break;
      }
      if (current <= 1) break;
    }
  }
  return found;
}

/**
 * Whether a process's command line is `expected`. The runtime resolves a bare program name on
 * PATH before exec (`node` runs as `/usr/local/bin/node`), so a bare name matches any path ending
 * in it.
 */
export function commandLineMatches(
  actual: readonly string[],
  expected: readonly string[],
): boolean {
  if (actual.length !== expected.length || actual.length === 0) return false;
  const [program, ...args] = expected;
  const [actualProgram, ...actualArgs] = actual;
  const programMatches =
    actualProgram === program ||
    (!program?.includes('/') && basename(actualProgram ?? '') === program);
  return programMatches && args.every((value, index) => value === actualArgs[index]);
}

/** The process below `root` running `argv` (see `commandLineMatches`), if one runs. */
export function findDescendantByArgv(root: number, argv: readonly string[]): number | undefined {
  return descendantsOf(root).find((pid) => commandLineMatches(argvOf(pid), argv));
}
