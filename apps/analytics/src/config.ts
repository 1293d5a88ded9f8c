import { baseConfigSchema } from '@shelfwatch/runtime';
import { z } from 'zod';

/**
 * Observations per batch transaction unless configured (ADR 0025). Larger batches ingest a
 * backlog faster (the statements and the commit are paid per batch), but a killed Pub/Sub pull
 * subscriber strands what it leased, `(OBSERVATION_BATCHES_AT_ONCE + 1) x` this many messages
 * (the batches running and one waiting, ADR 0045), until their leases expire.
 */
export const DEFAULT_OBSERVATION_BATCH_SIZE = 200;

/**
 * Observation batches applied at once by one process, whatever `ANALYTICS_MAX_CONCURRENT` allows:
 * one batch runs its statements while the next is read and prepared, and more than that mostly
 * wait on the same cores and rows. It bounds what a transport holds: a pull subscriber leases at
 * most one batch's worth more than this (at 10 batches of 200 a kill -9 stranded 2,000).
 */
export const OBSERVATION_BATCHES_AT_ONCE = 2;

export const analyticsConfigSchema = baseConfigSchema.extend({
  DATABASE_URL: z
    .string({ error: 'is required (a postgresql:// connection string)' })
    .regex(/^postgres(ql)?:\/\//, 'must be a postgresql:// connection string'),
  DATABASE_POOL_MAX: z.coerce.number().int().min(1).max(100).default(5),
  /** Events per subscription handled at once; keep at or below the pool size. */
  ANALYTICS_MAX_CONCURRENT: z.coerce.number().int().min(1).max(100).default(5),
  /** Most observations applied in one transaction (ADR 0025). */
  ANALYTICS_BATCH_SIZE: z.coerce
    .number()
    .int()
    .min(1)
    .max(1000)
    .default(DEFAULT_OBSERVATION_BATCH_SIZE),
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
