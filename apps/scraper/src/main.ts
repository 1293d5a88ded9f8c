import { createLogger } from '@shelfwatch/logging';
import { createPushTokenVerifier, messagingFromEnv } from '@shelfwatch/messaging';
import { loadConfigOrExit, startHttpServer } from '@shelfwatch/runtime';
import { createApp } from './app';
import { scraperConfigSchema } from './config';
import { subscribeScraper } from './consumers';
import { defaultExtractOffers, prepareDefaultExtraction } from './extraction';
import { SCRAPER_EVENT_SOURCE } from './scrape/scrape-handler';
import { createScraper } from './scraper';

async function main(): Promise<void> {
  const config = loadConfigOrExit(scraperConfigSchema, process.env);
  const logger = createLogger({ service: 'scraper', level: config.LOG_LEVEL });
  const scraper = createScraper({
    config,
    extractOffers: defaultExtractOffers,
    prepareExtraction: prepareDefaultExtraction,
    logger,
  });
  const messaging = messagingFromEnv(process.env, { logger, source: SCRAPER_EVENT_SOURCE });
  subscribeScraper(messaging, scraper.handleScrapeRequested, {
    maxConcurrent: config.SCRAPER_MAX_CONCURRENT_SCRAPES,
  });
  await messaging.start();
  const { url } = await startHttpServer(
    createApp({
      logger,
      scrape: scraper.handleScrapeRequested,
      messaging,
      ...(config.SCRAPER_INTERNAL_AUDIENCE && config.SCRAPER_INTERNAL_SERVICE_ACCOUNT
        ? {
            internalCallers: createPushTokenVerifier({
              audience: config.SCRAPER_INTERNAL_AUDIENCE,
              serviceAccountEmail: config.SCRAPER_INTERNAL_SERVICE_ACCOUNT,
            }),
          }
        : {}),
    }),
    {
      port: config.PORT,
      logger,
      shutdownTimeoutMs: config.SHUTDOWN_TIMEOUT_MS,
      onShutdown: [() => messaging.stop({ timeoutMs: 6_000 }), () => scraper.close()],
    },
  );
  logger.info(`scraper listening on ${url} (messaging over ${messaging.transport})`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
