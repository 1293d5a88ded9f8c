import { applyMigrations, createPrismaClient } from '@shelfwatch/db';
import { createLogger, type Logger } from '@shelfwatch/logging';
import { createPushTokenVerifier, messagingFromEnv } from '@shelfwatch/messaging';
import { loadConfigOrExit, startHttpServer } from '@shelfwatch/runtime';
import { createApp } from './app';
import { apiConfigSchema, type ApiConfig } from './config';
import { subscribeDiscovery } from './discovery/subscribe-discovery';
import { createSchedulerTick, startSchedulerTimer } from './scheduling/scheduler';
import { API_EVENT_SOURCE } from './scheduling/scrape-dispatch';

/** `main.js migrate`: the Cloud Run job that applies migrations before a new revision serves. */
async function migrate(config: ApiConfig, logger: Logger): Promise<void> {
  const { applied } = await applyMigrations(config.DATABASE_URL, {
    ...(process.env.MIGRATIONS_DIR ? { migrationsDir: process.env.MIGRATIONS_DIR } : {}),
  });
  logger.info(
    applied.length === 0
      ? 'Database schema is up to date'
      : `Applied ${applied.length} migration(s): ${applied.join(', ')}`,
  );
}

async function serve(config: ApiConfig, logger: Logger): Promise<void> {
  const prisma = createPrismaClient({
    databaseUrl: config.DATABASE_URL,
    pool: { max: config.DATABASE_POOL_MAX },
    applicationName: 'shelfwatch-api',
  });
  const messaging = messagingFromEnv(process.env, {
    logger,
    source: API_EVENT_SOURCE,
    databaseUrl: config.DATABASE_URL,
  });
  subscribeDiscovery(messaging, prisma);
  await messaging.start();

  const schedulerTick = createSchedulerTick({
    prisma,
    publisher: messaging,
    logger,
    batchSize: config.SCHEDULER_BATCH_SIZE,
    perHostLimit: config.SCHEDULER_PER_HOST_LIMIT,
  });
  const authorizeTick =
    config.SCHEDULER_TICK_AUDIENCE && config.SCHEDULER_TICK_SERVICE_ACCOUNT
      ? createPushTokenVerifier({
          audience: config.SCHEDULER_TICK_AUDIENCE,
          serviceAccountEmail: config.SCHEDULER_TICK_SERVICE_ACCOUNT,
        })
      : undefined;
  const app = createApp({
    prisma,
    logger,
    publicBaseUrl: config.PUBLIC_BASE_URL,
    messaging,
    ...(config.SCHEDULER_MODE === 'off' ? {} : { schedulerTick, authorizeTick }),
  });
  const timer =
    config.SCHEDULER_MODE === 'timer'
      ? startSchedulerTimer(schedulerTick, {
          intervalMs: config.SCHEDULER_INTERVAL_MS,
          batchSize: config.SCHEDULER_BATCH_SIZE,
          logger,
        })
      : undefined;

  const { url } = await startHttpServer(app, {
    port: config.PORT,
    logger,
    shutdownTimeoutMs: config.SHUTDOWN_TIMEOUT_MS,
    onShutdown: [
      async () => timer?.stop(),
      () => messaging.stop({ timeoutMs: 5_000 }),
      () => prisma.$disconnect(),
    ],
  });
  logger.info(
    `api listening on ${url} (messaging over ${messaging.transport}, scheduler ${config.SCHEDULER_MODE})`,
  );
}

async function main(): Promise<void> {
  const config = loadConfigOrExit(apiConfigSchema, process.env);
  const logger = createLogger({ service: 'api', level: config.LOG_LEVEL });
  const command = process.argv[2] ?? 'serve';
  if (command === 'migrate') return migrate(config, logger);
  if (command === 'serve') return serve(config, logger);
  logger.error(`Unknown command "${command}": expected serve (the default) or migrate`);
  process.exitCode = 2;
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
