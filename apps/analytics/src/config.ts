import { baseConfigSchema } from '@shelfwatch/runtime';
import { z } from 'zod';

export const analyticsConfigSchema = baseConfigSchema.extend({
  DATABASE_URL: z
    .string({ error: 'is required (a postgresql:// connection string)' })
    .regex(/^postgres(ql)?:\/\//, 'must be a postgresql:// connection string'),
  DATABASE_POOL_MAX: z.coerce.number().int().min(1).max(100).default(5),
  /** Events per subscription handled at once; keep at or below the pool size. */
  ANALYTICS_MAX_CONCURRENT: z.coerce.number().int().min(1).max(100).default(5),
  /** Most observations applied in one transaction (ADR 0025). */
  ANALYTICS_BATCH_SIZE: z.coerce.number().int().min(1).max(1000).default(50),
  /** How often the outbox relay looks for unpublished events without being woken. */
  OUTBOX_POLL_INTERVAL_MS: z.coerce.number().int().min(50).max(600_000).default(1_000),
  /**
   * Fault tests only: SIGKILL this process right after the commit that brings its committed
   * observations to N or more (a batch commits several at once), before the
   * outbox relay publishes, to prove a crash there loses nothing. Unset in every deployment.
   */
  ANALYTICS_FAULT_KILL_AFTER_COMMITS: z.coerce.number().int().min(1).optional(),
});

export type AnalyticsConfig = z.infer<typeof analyticsConfigSchema>;
