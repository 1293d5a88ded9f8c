import { readFileSync } from 'node:fs';
import { CheerioCrawler, Configuration } from '@crawlee/cheerio';

/**
 * crawlee's side of the benchmark: CheerioCrawler over the same URLs at the same fixed
 * concurrency, reading the product's JSON-LD the way a typical crawlee scraper does.
 * Usage: tsx crawlee-runner.ts <urls.json> <concurrency>
 */
async function main(): Promise<void> {
  const [urlsFile, concurrencyText] = process.argv.slice(2);
  const urls = JSON.parse(readFileSync(urlsFile as string, 'utf8')) as string[];
  const concurrency = Number(concurrencyText);
  const startedAt = new Map<string, number>();
  const latenciesMs: number[] = [];
  let ok = 0;

  const crawler = new CheerioCrawler(
    {
      minConcurrency: concurrency,
      maxConcurrency: concurrency,
      maxRequestRetries: 0,
      maxRequestsPerMinute: Number.MAX_SAFE_INTEGER,
      useSessionPool: false,
      persistCookiesPerSession: false,
      preNavigationHooks: [({ request }) => void startedAt.set(request.url, performance.now())],
      requestHandler: async ({ $, request }) => {
        // Real pages carry broken JSON-LD too; a typical scraper skips what does not parse.
        const products = $('script[type="application/ld+json"]')
          .toArray()
          .map((node) => {
            try {
              return JSON.parse($(node).text()) as {
                '@type'?: string;
                offers?: { price?: string };
              };
            } catch {
              return {};
            }
          })
          .filter((item) => item['@type'] === 'Product');
        if (products[0]?.offers?.price !== undefined) ok += 1;
        latenciesMs.push(performance.now() - (startedAt.get(request.url) ?? performance.now()));
      },
      failedRequestHandler: ({ request }) => {
        latenciesMs.push(performance.now() - (startedAt.get(request.url) ?? performance.now()));
      },
    },
    new Configuration({ persistStorage: false, purgeOnStart: true, logLevel: 3 }),
  );

  const cpu = process.cpuUsage();
  const started = performance.now();
  await crawler.run(urls);
  const seconds = (performance.now() - started) / 1000;
  const cpuUsed = process.cpuUsage(cpu);
  process.stdout.write(
    `${JSON.stringify({ name: 'crawlee CheerioCrawler', latenciesMs, ok, seconds, maxRssKiB: process.resourceUsage().maxRSS, cpuMs: cpuUsed.user / 1000 + cpuUsed.system / 1000 })}\n`,
  );
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
