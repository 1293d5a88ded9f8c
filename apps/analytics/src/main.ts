import { createPrismaClient } from '@shelfwatch/db';
import { createLogger } from '@shelfwatch/logging';
import { messagingFromEnv } from '@shelfwatch/messaging';
import { loadConfigOrExit, startHttpServer } from '@shelfwatch/runtime';
import { createApp } from './app';
import { analyticsConfigSchema } from './config';
import { ANALYTICS_EVENT_SOURCE } from './consumers';
import { subscribeAnalytics } from './subscriptions';

async function main(): Promise<void> {
  const config = loadConfigOrExit(analyticsConfigSchema, process.env);
  const logger = createLogger({ service: 'analytics', level: config.LOG_LEVEL });
  const prisma = createPrismaClient({
    databaseUrl: config.DATABASE_URL,
    pool: { max: config.DATABASE_POOL_MAX },
    applicationName: 'shelfwatch-analytics',
  });
  const messaging = messagingFromEnv(process.env, {
    logger,
    source: ANALYTICS_EVENT_SOURCE,
    databaseUrl: config.DATABASE_URL,
  });
  subscribeAnalytics(messaging, prisma, { maxConcurrent: config.ANALYTICS_MAX_CONCURRENT });
  await messaging.start();
  const { url } = await startHttpServer(createApp({ prisma, logger, messaging }), {
    port: config.PORT,
    logger,
    shutdownTimeoutMs: config.SHUTDOWN_TIMEOUT_MS,
    onShutdown: [() => messaging.stop({ timeoutMs: 6_000 }), () => prisma.$disconnect()],
  });
  logger.info(`analytics listening on ${url} (messaging over ${messaging.transport})`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
