/**
 * One measured round in its own process: loads an extractor module and a corpus, warms up,
 * then extracts every page `passes` times and prints one JSON line of per-page timings (wall
 * and CPU) and this process's peak memory. Started by bench.ts; not meant to be run by hand.
 *
 *   tsx runner.ts <extractor index.ts> <real|dir> <path> <passes>
 */
import { resolve } from 'node:path';
import { htmlDirectory, realPages } from './corpus';

interface RunnerReport {
  /** Per extraction: milliseconds of wall time. */
  wallMs: number[];
  /** Per extraction: milliseconds of CPU time (user + system) of this process. */
  cpuMs: number[];
  /** Byte size of each measured page, in the order of wallMs. */
  bytes: number[];
  totalWallMs: number;
  maxRssMiB: number;
  peakHeapMiB: number;
}

async function main(): Promise<void> {
  const [modulePath, kind, corpusPath, passesText] = process.argv.slice(2);
  if (!modulePath || !kind || !corpusPath)
    throw new Error('usage: runner.ts <module> <kind> <path> <passes>');
  const { extractOffers } = (await import(resolve(modulePath))) as {
    extractOffers: (html: string, url: string) => { offers: unknown[] };
  };
  const pages = kind === 'real' ? realPages(corpusPath) : htmlDirectory(corpusPath);
  const passes = Math.max(1, Number(passesText ?? '3'));
  for (const page of pages) extractOffers(page.html, page.url);
  const report: RunnerReport = {
    wallMs: [],
    cpuMs: [],
    bytes: [],
    totalWallMs: 0,
    maxRssMiB: 0,
    peakHeapMiB: 0,
  };
  let offers = 0;
  let peakHeap = 0;
  const started = process.hrtime.bigint();
  for (let pass = 0; pass < passes; pass++) {
    for (const page of pages) {
      const cpu = process.cpuUsage();
      const wall = process.hrtime.bigint();
      offers += extractOffers(page.html, page.url).offers.length;
      const wallNs = process.hrtime.bigint() - wall;
      const cpuUsed = process.cpuUsage(cpu);
      report.wallMs.push(Number(wallNs) / 1e6);
      report.cpuMs.push((cpuUsed.user + cpuUsed.system) / 1000);
      report.bytes.push(page.bytes);
    }
    peakHeap = Math.max(peakHeap, process.memoryUsage().heapUsed);
  }
  report.totalWallMs = Number(process.hrtime.bigint() - started) / 1e6;
  report.maxRssMiB = process.resourceUsage().maxRSS / 1024;
  report.peakHeapMiB = peakHeap / 1024 / 1024;
  if (offers < 0) console.log('unreachable');
  console.log(JSON.stringify(report));
}

void main();
