import { baseConfigSchema } from '@shelfwatch/runtime';
import { z } from 'zod';

export const analyticsConfigSchema = baseConfigSchema.extend({
  DATABASE_URL: z
    .string({ error: 'is required (a postgresql:// connection string)' })
    .regex(/^postgres(ql)?:\/\//, 'must be a postgresql:// connection string'),
  DATABASE_POOL_MAX: z.coerce.number().int().min(1).max(100).default(5),
  /** Events per subscription handled at once; keep at or below the pool size. */
  ANALYTICS_MAX_CONCURRENT: z.coerce.number().int().min(1).max(100).default(5),
});

export type AnalyticsConfig = z.infer<typeof analyticsConfigSchema>;
