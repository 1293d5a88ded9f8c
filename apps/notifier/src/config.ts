import { allowHostsSetting } from '@shelfwatch/address-guard';
import { sealingKeySetting } from '@shelfwatch/db';
import { mailConfigShape } from '@shelfwatch/mail';
import { baseConfigSchema, wholeNumberSetting } from '@shelfwatch/runtime';
import { z } from 'zod';

const flag = z
  .enum(['true', 'false'], { error: 'expected true or false' })
  .default('false')
  .transform((value) => value === 'true');

export const notifierConfigSchema = baseConfigSchema.extend({
  DATABASE_URL: z
    .string({ error: 'is required (a postgresql:// connection string)' })
    .regex(/^postgres(ql)?:\/\//, 'must be a postgresql:// connection string'),
  DATABASE_POOL_MAX: z.coerce.number().int().min(1).max(100).default(5),
  WEBHOOK_SECRET_KEY: sealingKeySetting,
  /**
   * Hosts, addresses or CIDR ranges webhooks may reach although not public: the same explicit
   * allow-list the scraper gets for the demo shop, so locally a receiver on loopback works.
   * Empty in production.
   */
  WEBHOOK_ALLOW_HOSTS: allowHostsSetting,
  /** Plain http endpoints; only the local configuration sets it. */
  WEBHOOK_ALLOW_HTTP: flag,
  /** A delivery succeeds on a 2xx within this time. */
  WEBHOOK_TIMEOUT_MS: wholeNumberSetting(10_000, 100, 60_000),
  /**
   * Retries go through the messaging layer's retry policy: `maxAttempts` deliveries of the event,
   * backing off exponentially from the minimum to the maximum (Pub/Sub allows at most 100 and
   * 600 s: about 16 h in all; see ADR 0016). Tests shorten them.
   */
  NOTIFIER_MAX_ATTEMPTS: wholeNumberSetting(100, 5, 100),
  NOTIFIER_MIN_BACKOFF_SECONDS: wholeNumberSetting(10, 0, 600),
  NOTIFIER_MAX_BACKOFF_SECONDS: wholeNumberSetting(600, 0, 600),
  /**
   * Handlers at once per subscription (two subscriptions); each holds a database connection while
   * it sends, so keep 2 x this below DATABASE_POOL_MAX.
   */
  NOTIFIER_MAX_CONCURRENT: wholeNumberSetting(2, 1, 100),
  /** An endpoint that has failed for this long without a success is disabled. Default 3 days. */
  WEBHOOK_DISABLE_AFTER_SECONDS: wholeNumberSetting(3 * 24 * 3600, 0, 30 * 24 * 3600),
  /** SMTP_URL, MAIL_FROM, EMAIL_LINK_SECRET: without SMTP_URL no mail is sent (libs/mail). */
  ...mailConfigShape,
  /** The api's public URL: the unsubscribe links in mail point at it. */
  API_PUBLIC_URL: z.url().default('http://127.0.0.1:8080'),
  /** How often the digest job looks for digests that are due. */
  EMAIL_DIGEST_CHECK_MS: wholeNumberSetting(30_000, 100, 3_600_000),
});

export type NotifierConfig = typeof notifierConfigSchema._output;
