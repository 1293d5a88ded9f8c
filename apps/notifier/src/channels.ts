import type { PrismaClient } from '@shelfwatch/db';
import type { ConfiguredMail } from '@shelfwatch/mail';
import type { Dispatcher } from 'undici';
import type { NotifierConfig } from './config';
import type { AlertChannel } from './delivery/channel';
import { emailChannel } from './email/email-channel';
import { webhookChannel } from './webhooks/webhook-channel';

/**
 * The channels alerts go out on. Each is an `AlertChannel`; the delivery engine treats them all
 * alike, so adding one (email) is a new module here and nothing else.
 */
export function notifierChannels(
  config: NotifierConfig,
  deps: {
    prisma: PrismaClient;
    dispatcher: Pick<Dispatcher, 'request'>;
    mail?: ConfiguredMail | null;
  },
) {
  const webhooks = webhookChannel({
    prisma: deps.prisma,
    sealingKey: config.WEBHOOK_SECRET_KEY,
    dispatcher: deps.dispatcher,
    timeoutMs: config.WEBHOOK_TIMEOUT_MS,
    allowHttp: config.WEBHOOK_ALLOW_HTTP,
    disableAfterSeconds: config.WEBHOOK_DISABLE_AFTER_SECONDS,
  });
  const channels: AlertChannel[] = [webhooks];
  // Email only with an SMTP server configured (SMTP_URL): see mailFromConfig.
  if (deps.mail)
    channels.push(
      emailChannel({
        prisma: deps.prisma,
        mailer: deps.mail.mailer,
        linkSecret: deps.mail.linkSecret,
        apiBaseUrl: config.API_PUBLIC_URL,
      }),
    );
  return { webhooks, channels };
}

export function retryPolicyOf(config: NotifierConfig) {
  return {
    maxAttempts: config.NOTIFIER_MAX_ATTEMPTS,
    minBackoffSeconds: config.NOTIFIER_MIN_BACKOFF_SECONDS,
    maxBackoffSeconds: config.NOTIFIER_MAX_BACKOFF_SECONDS,
    maxConcurrent: config.NOTIFIER_MAX_CONCURRENT,
  };
}
