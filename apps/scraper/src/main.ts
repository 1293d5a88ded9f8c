import { createLogger } from '@shelfwatch/logging';
import { loadConfigOrExit, startHttpServer } from '@shelfwatch/runtime';
import { createApp } from './app';
import { scraperConfigSchema } from './config';

async function main(): Promise<void> {
  const config = loadConfigOrExit(scraperConfigSchema, process.env);
  const logger = createLogger({ service: 'scraper', level: config.LOG_LEVEL });
  const { url } = await startHttpServer(createApp({ logger }), {
    port: config.PORT,
    logger,
    shutdownTimeoutMs: config.SHUTDOWN_TIMEOUT_MS,
  });
  logger.info(`scraper listening on ${url}`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
