/**
 * CPU time of processes from /proc (Linux; clock ticks of 10 ms). Unlike wall time it hardly
 * depends on how busy the machine is, so benches on a shared machine can report it per unit of
 * work. Off Linux every figure is NaN.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { queryRows } from '@shelfwatch/testing';

interface ProcStat {
  ppid: number;
  cpuMs: number;
}

function statOf(pid: number): ProcStat | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name in parentheses may hold spaces; the fields after it are fixed.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return { ppid: Number(fields[1]), cpuMs: (Number(fields[11]) + Number(fields[12])) * 10 };
  } catch {
    return undefined; // the process ended between listing and reading
  }
}

/**
 * CPU milliseconds used so far by a process and its live descendants (a `tsx` wrapper runs its
 * script in a child process).
 */
export function cpuMsOfTree(pid: number | undefined): number {
  if (pid === undefined || !existsSync('/proc/self/stat')) return NaN;
  const stats = new Map<number, ProcStat>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = statOf(Number(entry));
    if (stat) stats.set(Number(entry), stat);
  }
  let total = 0;
  const pending = [pid];
  while (pending.length > 0) {
    const current = pending.pop() as number;
    total += stats.get(current)?.cpuMs ?? 0;
    for (const [child, stat] of stats) if (stat.ppid === current) pending.push(child);
  }
  return total;
}

/**
 * CPU milliseconds used so far by each of the given processes (e.g. a database's backends, from
 * `pg_stat_activity`), by pid; a process that has ended is missing.
 */
export function cpuMsByPid(pids: readonly number[]): Map<number, number> {
  const result = new Map<number, number>();
  for (const pid of pids) {
    const stat = statOf(pid);
    if (stat) result.set(pid, stat.cpuMs);
  }
  return result;
}

/** CPU milliseconds used so far by one process (NaN once it has ended, or off Linux). */
export function cpuMsOf(pid: number | undefined): number {
  return pid === undefined ? NaN : (statOf(pid)?.cpuMs ?? NaN);
}

/** CPU milliseconds used so far by the database's backends, by pid (pg_stat_activity lists all). */
export async function databaseCpuMs(databaseUrl: string): Promise<Map<number, number>> {
  const rows = await queryRows<{ pid: number }>(databaseUrl, 'SELECT pid FROM pg_stat_activity');
  return cpuMsByPid(rows.map((row) => row.pid));
}

/** CPU used between two snapshots; a process that started in between counts from zero. */
export function cpuMsBetween(before: Map<number, number>, after: Map<number, number>): number {
  let total = 0;
  for (const [pid, ms] of after) total += ms - (before.get(pid) ?? 0);
  return total;
}
