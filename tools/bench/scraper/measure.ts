/** What each runner prints: one JSON line on stdout. */
export interface RawRun {
  name: string;
  latenciesMs: number[];
  ok: number;
  seconds: number;
  /** getrusage maxrss of the runner process, in KiB. */
  maxRssKiB: number;
  /** CPU time (user + system) the runner process spent over the crawl, in milliseconds. */
  cpuMs: number;
}

export interface RunSummary {
  name: string;
  pages: number;
  ok: number;
  seconds: number;
  pagesPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  peakRssMiB: number;
  /** CPU milliseconds per page: on a shared machine steadier than pages/s. */
  cpuMsPerPage: number;
}

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] as number;
}

export function summarize(run: RawRun): RunSummary {
  const sorted = [...run.latenciesMs].sort((a, b) => a - b);
  return {
    name: run.name,
    pages: sorted.length,
    ok: run.ok,
    seconds: Number(run.seconds.toFixed(2)),
    pagesPerSecond: Number((sorted.length / run.seconds).toFixed(1)),
    p50Ms: Number(percentile(sorted, 50).toFixed(1)),
    p99Ms: Number(percentile(sorted, 99).toFixed(1)),
    peakRssMiB: Number((run.maxRssKiB / 1024).toFixed(1)),
    cpuMsPerPage: Number((run.cpuMs / Math.max(1, sorted.length)).toFixed(2)),
  };
}
