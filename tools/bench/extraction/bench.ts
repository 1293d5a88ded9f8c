/**
 * Extraction throughput on one core: pages/s and MB/s of `extractOffers` alone (files are read
 * into memory first) over the fixture corpus, median of several rounds, plus peak memory.
 *
 *   npx tsx tools/bench/extraction/bench.ts [--rounds 7] [--seconds 2]
 *
 * Node runs the extractor on its single JavaScript thread, so the figures are per core. Prints
 * figures only; nothing here asserts on time.
 */
import { extractOffers } from '@shelfwatch/extraction';
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';

interface Page {
  readonly html: string;
  readonly url: string;
  readonly bytes: number;
}

const { values } = parseArgs({
  options: {
    rounds: { type: 'string', default: '7' },
    seconds: { type: 'string', default: '2' },
    dir: { type: 'string' },
  },
});
const rounds = Math.max(1, Number(values.rounds));
const secondsPerRound = Math.max(0.2, Number(values.seconds));
const pagesDir = resolve(
  values.dir ?? join(__dirname, '../../../libs/extraction/test/fixtures/pages'),
);

function loadCorpus(): Page[] {
  return readdirSync(pagesDir)
    .filter((file) => file.endsWith('.html'))
    .sort()
    .map((file) => {
      const html = readFileSync(join(pagesDir, file), 'utf8');
      let url = `https://shop.example.com/${file}`;
      try {
        const expected = JSON.parse(
          readFileSync(join(pagesDir, file.replace(/\.html$/, '.expected.json')), 'utf8'),
        );
        if (typeof expected.url === 'string') url = expected.url;
      } catch {
        // A page without expectations is still worth timing.
      }
      return { html, url, bytes: Buffer.byteLength(html) };
    });
}

const median = (numbers: number[]): number => {
  const sorted = [...numbers].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? (sorted[middle] as number)
    : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
};

let peakHeap = 0;
const sampleHeap = () => {
  peakHeap = Math.max(peakHeap, process.memoryUsage().heapUsed);
};

function runRound(corpus: Page[]): { pagesPerSecond: number; megabytesPerSecond: number } {
  const deadline = process.hrtime.bigint() + BigInt(Math.round(secondsPerRound * 1e9));
  let pages = 0;
  let bytes = 0;
  let offers = 0;
  const started = process.hrtime.bigint();
  while (process.hrtime.bigint() < deadline) {
    for (const page of corpus) {
      offers += extractOffers(page.html, page.url).offers.length;
      pages++;
      bytes += page.bytes;
    }
    sampleHeap();
  }
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  if (offers < 0) console.log('unreachable');
  return { pagesPerSecond: pages / seconds, megabytesPerSecond: bytes / 1e6 / seconds };
}

function main(): void {
  const corpus = loadCorpus();
  const corpusBytes = corpus.reduce((sum, page) => sum + page.bytes, 0);
  console.log(
    `corpus: ${corpus.length} pages, ${(corpusBytes / 1024).toFixed(1)} KiB from ${pagesDir}`,
  );
  console.log(
    `node ${process.version}, ${rounds} rounds of ${secondsPerRound}s after a warm-up round`,
  );
  runRound(corpus);
  const results = [];
  for (let round = 0; round < rounds; round++) {
    const result = runRound(corpus);
    results.push(result);
    console.log(
      `  round ${round + 1}: ${result.pagesPerSecond.toFixed(0)} pages/s, ${result.megabytesPerSecond.toFixed(2)} MB/s`,
    );
  }
  const maxRssMiB = process.resourceUsage().maxRSS / 1024;
  console.log(
    `median: ${median(results.map((r) => r.pagesPerSecond)).toFixed(0)} pages/s, ${median(results.map((r) => r.megabytesPerSecond)).toFixed(2)} MB/s (one core)`,
  );
  console.log(
    `peak memory: RSS ${maxRssMiB.toFixed(1)} MiB, heap used ${(peakHeap / 1024 / 1024).toFixed(1)} MiB`,
  );
}

main();
