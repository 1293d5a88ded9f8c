import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs, promisify } from 'node:util';
import { summarize, type RawRun, type RunSummary } from './measure';
import { startShop } from './shop';

/**
 * Side-by-side benchmark: serves a generated shop on loopback, then runs shelfwatch's scrape
 * handler and crawlee's CheerioCrawler over the same product URLs at the same concurrency, each
 * in its own process (so peak RSS is each one's own), and prints both and their ratios. A third
 * run puts crawlee's minimal JSON-LD read behind shelfwatch's fetch path, isolating fetch cost.
 *
 *   npx tsx tools/bench/scraper/run.ts [--pages 3000] [--concurrency 16]
 */
const run = promisify(execFile);
const root = resolve(__dirname, '../../..');
const tsx = join(root, 'node_modules/.bin/tsx');

async function runner(
  script: string,
  urlsFile: string,
  concurrency: number,
  ...extra: string[]
): Promise<RunSummary> {
  const { stdout } = await run(tsx, [script, urlsFile, String(concurrency), ...extra], {
    cwd: root,
    maxBuffer: 64 * 1024 * 1024,
    env: {
      ...process.env,
      NODE_ENV: 'production',
      CRAWLEE_STORAGE_DIR: join(tmpdir(), 'shelfwatch-bench-crawlee'),
    },
  });
  const line = stdout.trim().split('\n').at(-1) ?? '';
  return summarize(JSON.parse(line) as RawRun);
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      pages: { type: 'string', default: '3000' },
      concurrency: { type: 'string', default: '16' },
    },
  });
  const pages = Number(values.pages);
  const concurrency = Number(values.concurrency);
  const shop = await startShop(pages);
  const dir = mkdtempSync(join(tmpdir(), 'shelfwatch-bench-'));
  try {
    const urlsFile = join(dir, 'urls.json');
    writeFileSync(urlsFile, JSON.stringify(shop.productUrls));
    // Warm the shop's page cache so neither side pays for page generation.
    await runner(join(root, 'tools/bench/scraper/crawlee-runner.ts'), urlsFile, concurrency);
    const shelfwatch = await runner(
      join(root, 'apps/scraper/bench/shelfwatch-runner.ts'),
      urlsFile,
      concurrency,
    );
    const crawlee = await runner(
      join(root, 'tools/bench/scraper/crawlee-runner.ts'),
      urlsFile,
      concurrency,
    );
    // Same fetch path with crawlee's minimal JSON-LD read: separates fetching from extraction cost.
    const fetchOnly = await runner(
      join(root, 'apps/scraper/bench/shelfwatch-runner.ts'),
      urlsFile,
      concurrency,
      'jsonld',
    );
    console.log(`${pages} product pages, concurrency ${concurrency}, shop on ${shop.origin}`);
    console.table([shelfwatch, crawlee, fetchOnly]);
    const ratio = (a: number, b: number) => (b === 0 ? 'n/a' : `${(a / b).toFixed(2)}x`);
    console.log(
      [
        `shelfwatch / crawlee: pages/s ${ratio(shelfwatch.pagesPerSecond, crawlee.pagesPerSecond)},`,
        `p99 latency ${ratio(shelfwatch.p99Ms, crawlee.p99Ms)},`,
        `peak RSS ${ratio(shelfwatch.peakRssMiB, crawlee.peakRssMiB)}`,
      ].join(' '),
    );
    console.log(
      [
        `shelfwatch (JSON-LD only) / crawlee: pages/s ${ratio(fetchOnly.pagesPerSecond, crawlee.pagesPerSecond)},`,
        `p99 latency ${ratio(fetchOnly.p99Ms, crawlee.p99Ms)},`,
        `peak RSS ${ratio(fetchOnly.peakRssMiB, crawlee.peakRssMiB)}`,
      ].join(' '),
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
    await shop.close();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
