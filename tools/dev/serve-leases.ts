/**
 * Which `nx serve` processes use the local database: each holds a lease, a file named after its
 * pid in `<data dir>/serve-leases`. The database process started for them stops once no lease
 * belongs to a live process, so it outlives every single `nx serve` but not the last one, and a
 * serve killed outright (no chance to release) does not keep it alive.
 */
import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { localPostgresDataDir } from './local-database';

export function serveLeaseDir(env: NodeJS.ProcessEnv = process.env): string {
  return join(dirname(localPostgresDataDir(env)), 'serve-leases');
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Takes a lease for `pid`; returns the function that gives it back. */
export function takeServeLease(dir: string, pid = process.pid): () => void {
  mkdirSync(dir, { recursive: true });
  const file = join(dir, String(pid));
  writeFileSync(file, `${new Date().toISOString()}\n`);
  return () => rmSync(file, { force: true });
}

/** Pids holding a lease that are still running; leases of ended processes are removed. */
export function liveServeLeases(dir: string): number[] {
  let entries: string[];
  try {
    entries = readdirSync(dir);
  } catch {
    return [];
  }
  return entries.flatMap((entry) => {
    const pid = Number(entry);
    if (Number.isInteger(pid) && pid > 0 && isAlive(pid)) return [pid];
    rmSync(join(dir, entry), { force: true });
    return [];
  });
}
