import { baseConfigSchema, wholeNumberSetting } from '@shelfwatch/runtime';
import { z } from 'zod';

export const apiConfigSchema = baseConfigSchema
  .extend({
    DATABASE_URL: z
      .string({ error: 'is required (a postgresql:// connection string)' })
      .regex(/^postgres(ql)?:\/\//, 'must be a postgresql:// connection string'),
    DATABASE_POOL_MAX: z.coerce.number().int().min(1).max(100).default(10),
    PUBLIC_BASE_URL: z.url().optional(),
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
  })
  .refine(
    (config) =>
      (config.SCHEDULER_TICK_AUDIENCE === undefined) ===
      (config.SCHEDULER_TICK_SERVICE_ACCOUNT === undefined),
    {
      path: ['SCHEDULER_TICK_AUDIENCE'],
      error: 'SCHEDULER_TICK_AUDIENCE and SCHEDULER_TICK_SERVICE_ACCOUNT must be set together',
    },
  );

export type ApiConfig = z.infer<typeof apiConfigSchema>;
