import { readFileSync } from 'node:fs';
import { load } from 'cheerio/slim';
import { createEvent, newId } from '@shelfwatch/contracts';
import { parseConfig } from '@shelfwatch/runtime';
import { scraperConfigSchema } from '../src/config';
import { defaultExtractOffers, prepareDefaultExtraction } from '../src/extraction';
import type { ExtractOffers } from '../src/scrape/extractor';
import { createScraper } from '../src/scraper';

/**
 * The same minimal JSON-LD read the crawlee runner does, to separate the fetch path's cost from
 * the full extractor's (`--extractor jsonld`). It parses with htmlparser2 (`cheerio/slim`), as
 * CheerioCrawler does; full cheerio's `load` would use the slower parse5 and charge its cost to
 * shelfwatch's fetch path.
 */
const jsonLdOnly: ExtractOffers = (html) => {
  const $ = load(html);
  for (const node of $('script[type="application/ld+json"]').toArray()) {
    let item: {
      '@type'?: string;
      name?: string;
      offers?: { price?: string; priceCurrency?: string };
    };
    try {
      item = JSON.parse($(node).text()) as typeof item;
    } catch {
      continue; // as the crawlee runner does with JSON-LD that does not parse
    }
    if (item['@type'] === 'Product' && item.offers?.price && item.offers.priceCurrency)
      return {
        offers: [
          {
            name: item.name,
            price: { amount: item.offers.price, currency: item.offers.priceCurrency },
            availability: 'Unknown',
          },
        ],
        confidence: 1,
      };
  }
  return { offers: [], confidence: 0 };
};

/**
 * shelfwatch's side of tools/bench/scraper: the real scrape handler (guard, robots, politeness,
 * fetch, extraction, event validation) over the URLs, `concurrency` at a time.
 * Usage: tsx shelfwatch-runner.ts <urls.json> <concurrency> [full|jsonld]
 */
async function main(): Promise<void> {
  const [urlsFile, concurrencyText, extractor = 'full'] = process.argv.slice(2);
  const urls = JSON.parse(readFileSync(urlsFile as string, 'utf8')) as string[];
  const concurrency = Number(concurrencyText);
  const config = parseConfig(scraperConfigSchema, {
    SCRAPER_ALLOW_HOSTS: '127.0.0.1',
    SCRAPER_HOST_CONCURRENCY: String(concurrency),
    SCRAPER_HOST_MIN_DELAY_MS: '0',
    SCRAPER_MAX_ATTEMPTS: '1',
  });
  const scraper = createScraper({
    config,
    ...(extractor === 'jsonld'
      ? { extractOffers: jsonLdOnly }
      : { extractOffers: defaultExtractOffers, prepareExtraction: prepareDefaultExtraction }),
  });
  const latenciesMs: number[] = [];
  let ok = 0;
  let next = 0;

  const worker = async () => {
    while (next < urls.length) {
      const url = urls[next++] as string;
      const request = createEvent(
        'scrape.requested',
        {
          runId: newId(),
          targetId: newId(),
          url,
          kind: 'product',
          requestedAt: new Date().toISOString(),
        },
        { source: 'shelfwatch/bench' },
      );
      const started = performance.now();
      const events = await scraper.handleScrapeRequested(request);
      latenciesMs.push(performance.now() - started);
      if (events[0]?.type === 'observation.recorded' && events[0].data.offers.length > 0) ok += 1;
    }
  };

  // crawlee's runner has all its code loaded before its clock starts; the scraper loads undici
  // on its first fetch and the extractor its parser on its first page unless told to now (ADR
  // 0043, 0047).
  scraper.prepare();
  const cpu = process.cpuUsage();
  const started = performance.now();
  await Promise.all(Array.from({ length: concurrency }, worker));
  const seconds = (performance.now() - started) / 1000;
  await scraper.close();
  const cpuUsed = process.cpuUsage(cpu);
  process.stdout.write(
    `${JSON.stringify({ name: extractor === 'jsonld' ? 'shelfwatch (JSON-LD only)' : 'shelfwatch', latenciesMs, ok, seconds, maxRssKiB: process.resourceUsage().maxRSS, cpuMs: cpuUsed.user / 1000 + cpuUsed.system / 1000 })}\n`,
  );
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
