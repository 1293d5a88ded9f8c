import { createPrismaClient } from '@shelfwatch/db';
import { createLogger } from '@shelfwatch/logging';
import { loadConfigOrExit, startHttpServer } from '@shelfwatch/runtime';
import { createApp } from './app';
import { apiConfigSchema } from './config';

async function main(): Promise<void> {
  const config = loadConfigOrExit(apiConfigSchema, process.env);
  const logger = createLogger({ service: 'api', level: config.LOG_LEVEL });
  const prisma = createPrismaClient({
    databaseUrl: config.DATABASE_URL,
    pool: { max: config.DATABASE_POOL_MAX },
    applicationName: 'shelfwatch-api',
  });
  const app = createApp({ prisma, logger, publicBaseUrl: config.PUBLIC_BASE_URL });
  const { url } = await startHttpServer(app, {
    port: config.PORT,
    logger,
    shutdownTimeoutMs: config.SHUTDOWN_TIMEOUT_MS,
    onShutdown: [() => prisma.$disconnect()],
  });
  logger.info(`api listening on ${url}`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
