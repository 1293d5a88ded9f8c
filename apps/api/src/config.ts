import { allowHostsSetting } from '@shelfwatch/address-guard';
import { mailConfigShape } from '@shelfwatch/mail';
import { sealingKeySetting } from '@shelfwatch/db';
import { baseConfigSchema, internalCallerRule, wholeNumberSetting } from '@shelfwatch/runtime';
import { z } from 'zod';

export const apiConfigSchema = baseConfigSchema
  .extend({
    DATABASE_URL: z
      .string({ error: 'is required (a postgresql:// connection string)' })
      .regex(/^postgres(ql)?:\/\//, 'must be a postgresql:// connection string'),
    DATABASE_POOL_MAX: z.coerce.number().int().min(1).max(100).default(10),
    PUBLIC_BASE_URL: z.url().optional(),
    /** The dashboard's production build to serve under `/` (the image sets /app/web). */
    WEB_DIST_DIR: z.string().min(1).optional(),
    /**
     * The scraper's allow-list (hosts, addresses or CIDR ranges it may reach although not
     * public), so watches of them are accepted: locally the demo shop on loopback. Empty in
     * production.
     */
    SCRAPER_ALLOW_HOSTS: allowHostsSetting,
    /**
     * `timer`: this process ticks the scheduler itself (local runs). `http`: only
     * `POST /internal/scheduler/tick` does (Cloud Scheduler in the cloud). `off`: neither.
     */
    SCHEDULER_MODE: z.enum(['timer', 'http', 'off']).default('timer'),
    SCHEDULER_INTERVAL_MS: wholeNumberSetting(5_000, 100, 3_600_000),
    /** Targets claimed per tick. */
    SCHEDULER_BATCH_SIZE: wholeNumberSetting(100, 1, 1000),
    /** Targets of one host claimed per tick. */
    SCHEDULER_PER_HOST_LIMIT: wholeNumberSetting(10, 1, 1000),
    /** Verify the tick's OIDC token: its audience, and the calling service account's email. */
    SCHEDULER_TICK_AUDIENCE: z.string().min(1).optional(),
    SCHEDULER_TICK_SERVICE_ACCOUNT: z.email().optional(),
    /** A whole `sw_…` key from Secret Manager: an operator account holding it is created on start. */
    BOOTSTRAP_ADMIN_API_KEY: z
      .string()
      .regex(
        /^sw_[a-z2-7]{12}_[A-Za-z0-9_-]{43}$/,
        'must be a shelfwatch API key (sw_<prefix>_<secret>)',
      )
      .optional(),
    /** How long a sign-in session lasts. */
    SESSION_TTL_SECONDS: wholeNumberSetting(7 * 24 * 3600, 300, 90 * 24 * 3600),
    /** Failed sign-ins allowed per email, and per client address, in one throttle window. */
    LOGIN_FAILURES_PER_EMAIL: wholeNumberSetting(5, 1, 1000),
    LOGIN_FAILURES_PER_ADDRESS: wholeNumberSetting(50, 1, 100_000),
    LOGIN_THROTTLE_WINDOW_SECONDS: wholeNumberSetting(900, 1, 86_400),
    /** Requests per window for one API key or session, and for a whole account. */
    RATE_LIMIT_PER_KEY: wholeNumberSetting(600, 1, 1_000_000),
    RATE_LIMIT_PER_ACCOUNT: wholeNumberSetting(3000, 1, 10_000_000),
    RATE_LIMIT_WINDOW_SECONDS: wholeNumberSetting(60, 1, 86_400),
    ...mailConfigShape,
    /** How long the confirmation link mailed to a new email recipient works. */
    EMAIL_VERIFICATION_TTL_SECONDS: wholeNumberSetting(48 * 3600, 300, 30 * 86_400),
    /**
     * Seals webhook signing secrets at rest; the notifier opens them with the same key. Without
     * it /v1/webhooks answers 503 (the migrate job and the accounts CLI need none).
     */
    WEBHOOK_SECRET_KEY: sealingKeySetting.optional(),
    /** Accept plain http webhook URLs; only the local configuration sets it. */
    WEBHOOK_ALLOW_HTTP: z
      .enum(['true', 'false'], { error: 'expected true or false' })
      .default('false')
      .transform((value) => value === 'true'),
  })
  .superRefine(
    internalCallerRule(
      'SCHEDULER_TICK_AUDIENCE',
      'SCHEDULER_TICK_SERVICE_ACCOUNT',
      'POST /internal/scheduler/tick',
      (config) => config.SCHEDULER_MODE !== 'off',
    ),
  );

export type ApiConfig = z.infer<typeof apiConfigSchema>;
