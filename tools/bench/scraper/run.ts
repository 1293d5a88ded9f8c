import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs, promisify } from 'node:util';
import { summarize, type RawRun, type RunSummary } from './measure';
import { startRealPageShop, startShop, type Shop } from './shop';
import { median } from '../stats';

/**
 * Side-by-side benchmark: serves a shop on loopback, then runs shelfwatch's scrape handler and
 * crawlee's CheerioCrawler over the same product URLs at the same concurrency, each in its own
 * process (so peak RSS is each one's own), and prints medians over interleaved rounds and their
 * ratios. A third contender puts crawlee's minimal JSON-LD read behind shelfwatch's fetch path,
 * isolating the fetch path's cost from extraction's.
 *
 *   npx tsx tools/bench/scraper/run.ts [--pages 3000] [--concurrency 50] [--rounds 3]
 *       [--real-pages [--pages 600]] [--baseline <other checkout>]
 *
 * The shop serves generated pages of about 16 KB, or with --real-pages the labelled real pages
 * beside the repository (`../shared/corpus/real-pages`, 71 pages of 14 KB to 3 MB, read at run
 * time), going round them. Each round runs every contender once, in an order that alternates
 * between rounds so that none always meets a warmer or busier machine. shelfwatch runs with the
 * NODE_OPTIONS its image sets (apps/scraper/Dockerfile), crawlee with Node's defaults. With
 * --baseline, the scrape handler of another checkout (a worktree of main, outside this one so its
 * `../shared` resolves, with node_modules linked) runs as a fourth contender in the same rounds,
 * for a before/after under the same load. Prints figures only.
 */
const run = promisify(execFile);
const root = resolve(__dirname, '../../..');
const tsx = join(root, 'node_modules/.bin/tsx');

interface Contender {
  readonly name: string;
  /** Checkout the script runs in (this one, or the baseline's). */
  readonly dir: string;
  readonly script: string;
  readonly extra: string[];
  /** NODE_OPTIONS of the process: shelfwatch runs with its image's, crawlee with none. */
  readonly nodeOptions: string;
}

/** The NODE_OPTIONS the scraper's image sets, so the bench runs it as Cloud Run does. */
function imageNodeOptions(): string {
  const dockerfile = readFileSync(join(root, 'apps/scraper/Dockerfile'), 'utf8');
  const match = /NODE_OPTIONS=(?:"([^"]*)"|(\S+))/.exec(dockerfile);
  if (!match) throw new Error('apps/scraper/Dockerfile sets no NODE_OPTIONS');
  return match[1] ?? match[2] ?? '';
}

async function runner(
  contender: Contender,
  urlsFile: string,
  concurrency: number,
): Promise<RunSummary> {
  const { stdout } = await run(
    tsx,
    [join(contender.dir, contender.script), urlsFile, String(concurrency), ...contender.extra],
    {
      cwd: contender.dir,
      maxBuffer: 64 * 1024 * 1024,
      env: {
        ...process.env,
        NODE_OPTIONS: contender.nodeOptions,
        NODE_ENV: 'production',
        CRAWLEE_STORAGE_DIR: join(tmpdir(), 'shelfwatch-bench-crawlee'),
      },
    },
  );
  const line = stdout.trim().split('\n').at(-1) ?? '';
  // Named by the contender: the baseline's runner calls itself shelfwatch too.
  return { ...summarize(JSON.parse(line) as RawRun), name: contender.name };
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      pages: { type: 'string' },
      concurrency: { type: 'string', default: '50' },
      rounds: { type: 'string', default: '3' },
      'real-pages': { type: 'boolean', default: false },
      baseline: { type: 'string' },
    },
  });
  const real = values['real-pages'];
  const pages = Number(values.pages ?? (real ? 600 : 3000));
  const concurrency = Number(values.concurrency);
  const rounds = Math.max(1, Number(values.rounds));
  const shop: Shop = real
    ? await startRealPageShop(resolve(root, '../shared/corpus/real-pages'), pages)
    : await startShop(pages);
  const nodeOptions = imageNodeOptions();
  const contenders: Contender[] = [
    {
      name: 'shelfwatch',
      dir: root,
      script: 'apps/scraper/bench/shelfwatch-runner.ts',
      extra: [],
      nodeOptions,
    },
    {
      name: 'crawlee CheerioCrawler',
      dir: root,
      script: 'tools/bench/scraper/crawlee-runner.ts',
      extra: [],
      nodeOptions: '',
    },
    {
      name: 'shelfwatch (JSON-LD only)',
      dir: root,
      script: 'apps/scraper/bench/shelfwatch-runner.ts',
      extra: ['jsonld'],
      nodeOptions,
    },
  ];
  if (values.baseline)
    contenders.push({
      name: 'shelfwatch (baseline)',
      dir: resolve(values.baseline),
      script: 'apps/scraper/bench/shelfwatch-runner.ts',
      extra: [],
      nodeOptions,
    });
  const dir = mkdtempSync(join(tmpdir(), 'shelfwatch-bench-'));
  try {
    const urlsFile = join(dir, 'urls.json');
    writeFileSync(urlsFile, JSON.stringify(shop.productUrls));
    const results = contenders.map((): RunSummary[] => []);
    for (let round = 0; round < rounds; round++) {
      const order = [...contenders.keys()];
      if (round % 2 === 1) order.reverse();
      for (const which of order)
        results[which]?.push(await runner(contenders[which] as Contender, urlsFile, concurrency));
    }
    console.log(`shelfwatch runs with its image's NODE_OPTIONS: ${nodeOptions}`);
    console.log(
      `${pages} ${real ? 'real' : 'generated'} product pages (${(shop.pageBytes / pages / 1024).toFixed(0)} KB mean), concurrency ${concurrency}, ${rounds} interleaved rounds, shop on ${shop.origin}`,
    );
    console.table(results.flat());
    const of = (runs: RunSummary[], key: keyof RunSummary) =>
      Number(median(runs.map((entry) => entry[key] as number)).toFixed(2));
    const medians = results.map((runs, index) => ({
      name: (contenders[index] as Contender).name,
      ok: of(runs, 'ok'),
      pagesPerSecond: of(runs, 'pagesPerSecond'),
      p50Ms: of(runs, 'p50Ms'),
      p99Ms: of(runs, 'p99Ms'),
      peakRssMiB: of(runs, 'peakRssMiB'),
      cpuMsPerPage: of(runs, 'cpuMsPerPage'),
    }));
    console.log('medians over the rounds:');
    console.table(medians);
    const [shelfwatch, crawlee, fetchOnly] = medians as [
      (typeof medians)[0],
      (typeof medians)[0],
      (typeof medians)[0],
    ];
    const ratio = (a: number, b: number) => (b === 0 ? 'n/a' : `${(a / b).toFixed(2)}x`);
    for (const contender of [shelfwatch, fetchOnly, ...medians.slice(3)])
      console.log(
        [
          `${contender.name} / crawlee: pages/s ${ratio(contender.pagesPerSecond, crawlee.pagesPerSecond)},`,
          `p99 latency ${ratio(contender.p99Ms, crawlee.p99Ms)},`,
          `peak RSS ${ratio(contender.peakRssMiB, crawlee.peakRssMiB)},`,
          `pages per CPU second ${ratio(crawlee.cpuMsPerPage, contender.cpuMsPerPage)}`,
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
