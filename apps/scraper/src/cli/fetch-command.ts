import { parseArgs } from 'node:util';
import { TargetKindSchema, createEvent, newId } from '@shelfwatch/contracts';
import { ConfigError, parseConfig } from '@shelfwatch/runtime';
import { scraperConfigSchema } from '../config';
import type { ExtractOffers } from '../scrape/extractor';
import { createScraper } from '../scraper';

export interface FetchCommandIo {
  stdout: Pick<NodeJS.WritableStream, 'write'>;
  stderr: Pick<NodeJS.WritableStream, 'write'>;
  env: NodeJS.ProcessEnv;
}

export interface FetchCommandDeps {
  extractOffers: ExtractOffers;
}

export const FETCH_USAGE = `Usage: shelfwatch fetch <url> [--kind product|listing|sitemap] [--allow-host <host>]...

Scrapes one URL exactly as the scraper service does (SSRF guard, robots.txt, politeness,
retries, extraction) and prints the resulting events as JSON. Exits 1 when the scrape failed,
naming the failure class, and 2 on bad usage or configuration.
`;

/**
 * `shelfwatch fetch`: `args` are the words after `fetch`. Resolves to the process exit code.
 * Configuration comes from the same SCRAPER_* environment variables as the service.
 */
export async function runFetchCommand(
  args: string[],
  deps: FetchCommandDeps,
  io: FetchCommandIo = { stdout: process.stdout, stderr: process.stderr, env: process.env },
): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args,
      allowPositionals: true,
      options: {
        kind: { type: 'string', default: 'product' },
        'allow-host': { type: 'string', multiple: true, default: [] },
        help: { type: 'boolean', short: 'h', default: false },
      },
    });
  } catch (error) {
    io.stderr.write(`${(error as Error).message}\n\n${FETCH_USAGE}`);
    return 2;
  }
  if (parsed.values.help) {
    io.stdout.write(FETCH_USAGE);
    return 0;
  }
  const [url, ...extra] = parsed.positionals;
  const kind = TargetKindSchema.safeParse(parsed.values.kind);
  if (url === undefined || extra.length > 0 || !kind.success) {
    io.stderr.write(
      `${!kind.success ? `--kind must be product, listing or sitemap\n\n` : ''}${FETCH_USAGE}`,
    );
    return 2;
  }
  let config;
  try {
    config = parseConfig(scraperConfigSchema, io.env);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    io.stderr.write(`${error.message}\n`);
    return 2;
  }
  let request;
  try {
    request = createEvent(
      'scrape.requested',
      {
        runId: newId(),
        targetId: newId(),
        url,
        kind: kind.data,
        requestedAt: new Date().toISOString(),
        attempt: 1,
      },
      { source: 'shelfwatch/cli' },
    );
  } catch (error) {
    io.stderr.write(`${(error as Error).message}\n`);
    return 2;
  }
  const scraper = createScraper({
    config: {
      ...config,
      SCRAPER_ALLOW_HOSTS: [...config.SCRAPER_ALLOW_HOSTS, ...parsed.values['allow-host']],
    },
    extractOffers: deps.extractOffers,
  });
  try {
    const events = await scraper.handleScrapeRequested(request);
    for (const event of events) io.stdout.write(`${JSON.stringify(event, null, 2)}\n`);
    const failure = events.find((event) => event.type === 'scrape.failed');
    if (failure) {
      const { errorClass, retryable, message } = failure.data;
      io.stderr.write(
        `scrape failed: ${errorClass}${retryable ? ' (retryable)' : ''}: ${message}\n`,
      );
      return 1;
    }
    return 0;
  } finally {
    await scraper.close();
  }
}
