import { AddressGuard, guardedAgentOnFirstUse } from '@shelfwatch/address-guard';
import { createPrismaClient, startPrismaEngine } from '@shelfwatch/db';
import { createLogger } from '@shelfwatch/logging';
import { messagingFromEnv } from '@shelfwatch/messaging';
import { mailFromConfig } from '@shelfwatch/mail';
import { loadConfigOrExit, startHttpServer } from '@shelfwatch/runtime';
import { createApp } from './app';
import { notifierChannels, retryPolicyOf } from './channels';
import { notifierConfigSchema } from './config';
import { startDigestTimer } from './email/digest-job';
import { NOTIFIER_EVENT_SOURCE, subscribeNotifier } from './subscriptions';

async function main(): Promise<void> {
  const config = loadConfigOrExit(notifierConfigSchema, process.env);
  const logger = createLogger({ service: 'notifier', level: config.LOG_LEVEL });
  const prisma = createPrismaClient({
    databaseUrl: config.DATABASE_URL,
    pool: { max: config.DATABASE_POOL_MAX },
    applicationName: 'shelfwatch-notifier',
  });
  // Loads the query compiler while messaging's start waits on the database (ADR 0034).
  startPrismaEngine(prisma);
  // Every connection to an endpoint is checked by the guard as it is opened. The agent (and
  // undici) is made by the first delivery, not at start (ADR 0034).
  const dispatcher = guardedAgentOnFirstUse(
    new AddressGuard({ allowHosts: config.WEBHOOK_ALLOW_HOSTS }),
    {
      connectTimeoutMs: config.WEBHOOK_TIMEOUT_MS,
      headersTimeoutMs: config.WEBHOOK_TIMEOUT_MS,
      bodyTimeoutMs: config.WEBHOOK_TIMEOUT_MS,
    },
  );
  const mail = mailFromConfig(config);
  const { webhooks, channels } = notifierChannels(config, { prisma, dispatcher, mail });
  const messaging = messagingFromEnv(process.env, { logger, source: NOTIFIER_EVENT_SOURCE });
  subscribeNotifier(messaging, {
    prisma,
    channels,
    webhooks,
    sendTimeoutMs: config.WEBHOOK_TIMEOUT_MS,
    retry: retryPolicyOf(config),
  });
  await messaging.start();
  // Digest state lives in email_digest_entries; the timer only looks for what is due.
  const digests =
    mail &&
    startDigestTimer(
      {
        prisma,
        mailer: mail.mailer,
        linkSecret: mail.linkSecret,
        apiBaseUrl: config.API_PUBLIC_URL,
        logger,
      },
      config.EMAIL_DIGEST_CHECK_MS,
    );
  const { url } = await startHttpServer(createApp({ logger, prisma, messaging }), {
    port: config.PORT,
    logger,
    shutdownTimeoutMs: config.SHUTDOWN_TIMEOUT_MS,
    onShutdown: [
      () => messaging.stop({ timeoutMs: 6_000 }),
      async () => digests?.stop(),
      () => dispatcher.close(),
      async () => mail?.mailer.close(),
      () => prisma.$disconnect(),
    ],
  });
  logger.info(
    `notifier listening on ${url} (messaging over ${messaging.transport}, mail ${mail ? `via ${mail.server}` : 'off: no SMTP_URL'})`,
  );
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
