import { createOutboxStore, createPrismaClient, startPrismaEngine } from '@shelfwatch/db';
import { createLogger } from '@shelfwatch/logging';
import { createOutboxRelay, messagingFromEnv } from '@shelfwatch/messaging';
import { loadConfigOrExit, startHttpServer } from '@shelfwatch/runtime';
import { createApp } from './app';
import { analyticsConfigSchema } from './config';
import { ANALYTICS_EVENT_SOURCE, ANALYTICS_OUTBOX_PUBLISHER } from './consumers';
import { subscribeAnalytics } from './subscriptions';

async function main(): Promise<void> {
  const config = loadConfigOrExit(analyticsConfigSchema, process.env);
  const logger = createLogger({ service: 'analytics', level: config.LOG_LEVEL });
  const prisma = createPrismaClient({
    databaseUrl: config.DATABASE_URL,
    pool: { max: config.DATABASE_POOL_MAX },
    applicationName: 'shelfwatch-analytics',
  });
  // Loads the query compiler while messaging's start waits on the database (ADR 0034).
  startPrismaEngine(prisma);
  const messaging = messagingFromEnv(process.env, {
    logger,
    source: ANALYTICS_EVENT_SOURCE,
    databaseUrl: config.DATABASE_URL,
  });
  const relay = createOutboxRelay({
    source: createOutboxStore(prisma, ANALYTICS_OUTBOX_PUBLISHER),
    messaging,
    logger,
    pollIntervalMs: config.OUTBOX_POLL_INTERVAL_MS,
  });
  subscribeAnalytics(messaging, prisma, {
    maxConcurrent: config.ANALYTICS_MAX_CONCURRENT,
    observationBatchSize: config.ANALYTICS_BATCH_SIZE,
    relay,
    ...(config.ANALYTICS_FAULT_KILL_AFTER_COMMITS
      ? { afterCommit: killAfterCommits(config.ANALYTICS_FAULT_KILL_AFTER_COMMITS) }
      : {}),
  });
  await messaging.start();
  relay.start();
  const { url } = await startHttpServer(createApp({ prisma, logger, messaging, relay }), {
    port: config.PORT,
    logger,
    shutdownTimeoutMs: config.SHUTDOWN_TIMEOUT_MS,
    // Handlers drain first (their commits may wake the relay), then the relay, then the pool.
    onShutdown: [
      () => messaging.stop({ timeoutMs: 6_000 }),
      () => relay.stop(),
      () => prisma.$disconnect(),
    ],
  });
  logger.info(`analytics listening on ${url} (messaging over ${messaging.transport})`);
}

/**
 * The fault hook: a real SIGKILL of this process between a commit and its publish, right after the
 * commit that brings the observations committed by this process to `count` or more.
 */
function killAfterCommits(count: number): (observations: number) => void {
  let committed = 0;
  return (observations) => {
    committed += observations;
    if (committed >= count) process.kill(process.pid, 'SIGKILL');
  };
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
