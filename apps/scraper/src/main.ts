import { createLogger } from '@shelfwatch/logging';
import { loadConfigOrExit, startHttpServer } from '@shelfwatch/runtime';
import { createApp } from './app';
import { scraperConfigSchema } from './config';
import { defaultExtractOffers } from './extraction';
import { createScraper } from './scraper';

async function main(): Promise<void> {
  const config = loadConfigOrExit(scraperConfigSchema, process.env);
  const logger = createLogger({ service: 'scraper', level: config.LOG_LEVEL });
  const scraper = createScraper({ config, extractOffers: defaultExtractOffers, logger });
  const { url } = await startHttpServer(
    createApp({ logger, scrape: scraper.handleScrapeRequested }),
    {
      port: config.PORT,
      logger,
      shutdownTimeoutMs: config.SHUTDOWN_TIMEOUT_MS,
      onShutdown: [() => scraper.close()],
    },
  );
  logger.info(`scraper listening on ${url}`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
