/**
 * Extraction speed on one core: pages/s, MB/s, median and p99 milliseconds per page (wall and
 * CPU), the median CPU time on large pages (400 KB and up), and peak memory, over the
 * real-pages corpus (`../shared/corpus/real-pages`) or the fixture pages.
 *
 *   npx tsx tools/bench/extraction/bench.ts [--rounds 5] [--passes 3] [--fixtures | --dir <html dir>]
 *       [--baseline <other checkout>/libs/extraction/src/index.ts]
 *
 * With --baseline, the other extractor (e.g. a worktree of main) runs in the same invocation,
 * rounds interleaved A B A B in fresh processes, so both see the same machine load; the ratio
 * column is this checkout over the baseline. Prints figures only; nothing asserts on time.
 */
import { execFile } from 'node:child_process';
import { join, resolve } from 'node:path';
import { parseArgs, promisify } from 'node:util';

const run = promisify(execFile);
const root = resolve(__dirname, '../../..');
const tsx = join(root, 'node_modules/.bin/tsx');
const LARGE_PAGE_BYTES = 400_000;

interface RunnerReport {
  wallMs: number[];
  cpuMs: number[];
  bytes: number[];
  totalWallMs: number;
  maxRssMiB: number;
  peakHeapMiB: number;
}

interface Summary {
  pagesPerSecond: number;
  megabytesPerSecond: number;
  medianMs: number;
  p99Ms: number;
  medianCpuMs: number;
  p99CpuMs: number;
  largeMedianCpuMs: number;
  largePages: number;
  maxRssMiB: number;
  peakHeapMiB: number;
}

function quantile(values: number[], q: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const position = (sorted.length - 1) * q;
  const low = Math.floor(position);
  const high = Math.ceil(position);
  return (
    (sorted[low] as number) +
    ((sorted[high] as number) - (sorted[low] as number)) * (position - low)
  );
}

function summarize(reports: RunnerReport[], passes: number): Summary {
  const wall = reports.flatMap((report) => report.wallMs);
  const cpu = reports.flatMap((report) => report.cpuMs);
  const bytes = reports.flatMap((report) => report.bytes);
  const seconds = wall.reduce((sum, ms) => sum + ms, 0) / 1000;
  const largeCpu = cpu.filter((_, index) => (bytes[index] as number) >= LARGE_PAGE_BYTES);
  return {
    pagesPerSecond: wall.length / seconds,
    megabytesPerSecond: bytes.reduce((sum, size) => sum + size, 0) / 1e6 / seconds,
    medianMs: quantile(wall, 0.5),
    p99Ms: quantile(wall, 0.99),
    medianCpuMs: quantile(cpu, 0.5),
    p99CpuMs: quantile(cpu, 0.99),
    largeMedianCpuMs: quantile(largeCpu, 0.5),
    largePages:
      (reports[0]?.bytes ?? []).filter((size) => size >= LARGE_PAGE_BYTES).length / passes,
    maxRssMiB: Math.max(...reports.map((report) => report.maxRssMiB)),
    peakHeapMiB: Math.max(...reports.map((report) => report.peakHeapMiB)),
  };
}

async function round(module: string, kind: string, path: string, passes: number) {
  const { stdout } = await run(
    tsx,
    [join(__dirname, 'runner.ts'), module, kind, path, String(passes)],
    { cwd: root, maxBuffer: 64 * 1024 * 1024, env: { ...process.env, NODE_ENV: 'production' } },
  );
  return JSON.parse(stdout.trim().split('\n').at(-1) ?? '') as RunnerReport;
}

const ROWS: [string, keyof Summary, number][] = [
  ['pages/s', 'pagesPerSecond', 0],
  ['MB/s', 'megabytesPerSecond', 2],
  ['median ms/page (wall)', 'medianMs', 2],
  ['p99 ms/page (wall)', 'p99Ms', 2],
  ['median ms/page (CPU)', 'medianCpuMs', 2],
  ['p99 ms/page (CPU)', 'p99CpuMs', 2],
  ['median CPU ms, pages >= 400 KB', 'largeMedianCpuMs', 2],
  ['peak RSS MiB', 'maxRssMiB', 1],
  ['peak heap used MiB', 'peakHeapMiB', 1],
];

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      rounds: { type: 'string', default: '5' },
      passes: { type: 'string', default: '3' },
      fixtures: { type: 'boolean', default: false },
      dir: { type: 'string' },
      baseline: { type: 'string' },
    },
  });
  const rounds = Math.max(1, Number(values.rounds));
  const passes = Math.max(1, Number(values.passes));
  const [kind, path] = values.dir
    ? ['dir', resolve(values.dir)]
    : values.fixtures
      ? ['dir', join(root, 'libs/extraction/test/fixtures/pages')]
      : ['real', resolve(root, '../shared/corpus/real-pages')];
  const current = join(root, 'libs/extraction/src/index.ts');
  const contenders: [string, string][] = [['this checkout', current]];
  if (values.baseline) contenders.push(['baseline', resolve(values.baseline)]);
  console.log(`corpus: ${path}`);
  console.log(
    `node ${process.version}; ${rounds} rounds per extractor, each a fresh process with ${passes} passes after a warm-up pass${contenders.length > 1 ? ', rounds interleaved' : ''}`,
  );
  const reports = contenders.map((): RunnerReport[] => []);
  for (let index = 0; index < rounds; index++) {
    // Alternate who goes first so neither always runs on a warmer or busier machine.
    const order = index % 2 === 0 ? contenders.keys() : [...contenders.keys()].reverse();
    for (const which of order) {
      reports[which]?.push(
        await round((contenders[which] as [string, string])[1], kind, path, passes),
      );
    }
  }
  const summaries = reports.map((entries) => summarize(entries, passes));
  const first = summaries[0] as Summary;
  console.log(`pages >= 400 KB: ${first.largePages.toFixed(0)}`);
  const header = [
    '',
    ...contenders.map(([name]) => name),
    ...(summaries.length > 1 ? ['ratio'] : []),
  ];
  console.log(
    header.map((cell, column) => (column === 0 ? cell.padEnd(32) : cell.padStart(14))).join(''),
  );
  for (const [label, key, digits] of ROWS) {
    const cells = summaries.map((summary) => (summary[key] as number).toFixed(digits));
    if (summaries.length > 1)
      cells.push(((first[key] as number) / ((summaries[1] as Summary)[key] as number)).toFixed(2));
    console.log(`${label.padEnd(32)}${cells.map((cell) => cell.padStart(14)).join('')}`);
  }
}

void main();
