import { createPrismaClient } from '@shelfwatch/db';
import { createLogger } from '@shelfwatch/logging';
import { loadConfigOrExit, startHttpServer } from '@shelfwatch/runtime';
import { createApp } from './app';
import { analyticsConfigSchema } from './config';

async function main(): Promise<void> {
  const config = loadConfigOrExit(analyticsConfigSchema, process.env);
  const logger = createLogger({ service: 'analytics', level: config.LOG_LEVEL });
  const prisma = createPrismaClient({
    databaseUrl: config.DATABASE_URL,
    pool: { max: config.DATABASE_POOL_MAX },
    applicationName: 'shelfwatch-analytics',
  });
  const { url } = await startHttpServer(createApp({ prisma, logger }), {
    port: config.PORT,
    logger,
    shutdownTimeoutMs: config.SHUTDOWN_TIMEOUT_MS,
    onShutdown: [() => prisma.$disconnect()],
  });
  logger.info(`analytics listening on ${url}`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
