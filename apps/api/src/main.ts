import { AddressGuard } from '@shelfwatch/address-guard';
import { randomBytes } from 'node:crypto';
import {
  applyMigrations,
  cancelStatementsOf,
  CLIENT_CONNECTION_CHECK_MS,
  createOutboxStore,
  createPrismaClient,
} from '@shelfwatch/db';
import { createLogger, type Logger } from '@shelfwatch/logging';
import {
  createOutboxRelay,
  createPushTokenVerifier,
  messagingFromEnv,
} from '@shelfwatch/messaging';
import { mailFromConfig } from '@shelfwatch/mail';
import { loadConfigOrExit, startHttpServer } from '@shelfwatch/runtime';
import { Pool } from 'pg';
import { newId } from '@shelfwatch/contracts';
import { ensureBootstrapKey } from './access/bootstrap-key';
import { createApp } from './app';
import { runAccountsCli } from './cli/accounts-cli';
import { apiConfigSchema, type ApiConfig } from './config';
import { subscribeDiscovery } from './discovery/subscribe-discovery';
import { createSchedulerTick, startSchedulerTimer } from './scheduling/scheduler';
import { API_EVENT_SOURCE, API_OUTBOX_PUBLISHER } from './outbox/api-outbox';

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
  // This process's own name: at the shutdown deadline it cancels its statements, nobody else's.
  const applicationName = `shelfwatch-api ${randomBytes(6).toString('hex')}`;
  const prisma = createPrismaClient({
    databaseUrl: config.DATABASE_URL,
    pool: { max: config.DATABASE_POOL_MAX },
    applicationName,
  });
  // Runs while messaging starts: both mostly wait on the database (ADR 0034).
  const bootstrapKeyEnsured = (async () => {
    if (
      config.BOOTSTRAP_ADMIN_API_KEY &&
      (await ensureBootstrapKey(prisma, config.BOOTSTRAP_ADMIN_API_KEY, newId))
    )
      logger.info('Created the operator account for BOOTSTRAP_ADMIN_API_KEY');
  })();
  // The driver's own pool: rate-limit counters and the hot reads (ADR 0022). Same name as the
  // Prisma pool's, so the shutdown's cancellation reaches its statements too.
  const pool = new Pool({
    connectionString: config.DATABASE_URL,
    max: config.DATABASE_POOL_MAX,
    application_name: applicationName,
    // As on Prisma's pool: a counter upsert whose process died must not commit later.
    options: `-c client_connection_check_interval=${CLIENT_CONNECTION_CHECK_MS}`,
  });
  // An idle connection the server ends (a database restart) is an 'error' event: without a
  // listener it would end the process. The pool replaces the connection on next use.
  pool.on('error', (error) =>
    logger.warn('The driver pool lost an idle database connection', {
      error: error.message,
    }),
  );
  const messaging = messagingFromEnv(process.env, {
    logger,
    source: API_EVENT_SOURCE,
    databaseUrl: config.DATABASE_URL,
  });
  subscribeDiscovery(messaging, prisma);
  await Promise.all([bootstrapKeyEnsured, messaging.start()]);
  const relay = createOutboxRelay({
    source: createOutboxStore(prisma, API_OUTBOX_PUBLISHER),
    messaging,
    logger,
  });
  relay.start();

  const schedulerTick = createSchedulerTick({
    prisma,
    relay,
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
  const mail = mailFromConfig(config);
  const app = createApp({
    prisma,
    logger,
    ...(mail
      ? {
          mail: {
            mailer: mail.mailer,
            linkSecret: mail.linkSecret,
            // Links in mail must point at the api's public address, never at a request's Host.
            publicBaseUrl: config.PUBLIC_BASE_URL ?? `http://127.0.0.1:${config.PORT}`,
            verificationTtlSeconds: config.EMAIL_VERIFICATION_TTL_SECONDS,
          },
        }
      : {}),
    pool,
    addressGuard: new AddressGuard({ allowHosts: config.SCRAPER_ALLOW_HOSTS }),
    access: {
      sessionTtlSeconds: config.SESSION_TTL_SECONDS,
      loginThrottle: {
        perEmail: {
          points: config.LOGIN_FAILURES_PER_EMAIL,
          durationSeconds: config.LOGIN_THROTTLE_WINDOW_SECONDS,
        },
        perAddress: {
          points: config.LOGIN_FAILURES_PER_ADDRESS,
          durationSeconds: config.LOGIN_THROTTLE_WINDOW_SECONDS,
        },
      },
      rateLimits: {
        perKey: {
          points: config.RATE_LIMIT_PER_KEY,
          durationSeconds: config.RATE_LIMIT_WINDOW_SECONDS,
        },
        perAccount: {
          points: config.RATE_LIMIT_PER_ACCOUNT,
          durationSeconds: config.RATE_LIMIT_WINDOW_SECONDS,
        },
      },
    },
    publicBaseUrl: config.PUBLIC_BASE_URL,
    ...(config.WEBHOOK_SECRET_KEY
      ? {
          webhooks: {
            sealingKey: config.WEBHOOK_SECRET_KEY,
            allowHttp: config.WEBHOOK_ALLOW_HTTP,
          },
        }
      : {}),
    webAppDir: config.WEB_DIST_DIR,
    messaging,
    relay,
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
    // Requests still waiting on the database near the deadline answer 503 and write nothing.
    cancelInFlight: () => cancelStatementsOf(config.DATABASE_URL, applicationName),
    onShutdown: [
      async () => timer?.stop(),
      () => messaging.stop({ timeoutMs: 5_000 }),
      () => relay.stop(),
      () => prisma.$disconnect(),
      () => pool.end(),
      async () => mail?.mailer.close(),
    ],
  });
  logger.info(
    `api listening on ${url} (messaging over ${messaging.transport}, scheduler ${config.SCHEDULER_MODE}, mail ${mail ? `via ${mail.server}` : 'off: no SMTP_URL'})`,
  );
}

async function main(): Promise<void> {
  if (process.argv[2] === 'accounts') {
    process.exitCode = await runAccountsCli(process.argv.slice(3), {
      stdout: process.stdout,
      stderr: process.stderr,
      env: process.env,
    });
    return;
  }
  const config = loadConfigOrExit(apiConfigSchema, process.env);
  const logger = createLogger({ service: 'api', level: config.LOG_LEVEL });
  const command = process.argv[2] ?? 'serve';
  if (command === 'migrate') return migrate(config, logger);
  if (command === 'serve') return serve(config, logger);
  logger.error(`Unknown command "${command}": expected serve (the default), migrate or accounts`);
  process.exitCode = 2;
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
