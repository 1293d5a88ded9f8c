import { baseConfigSchema } from '@shelfwatch/runtime';
import { z } from 'zod';

export const apiConfigSchema = baseConfigSchema.extend({
  DATABASE_URL: z
    .string({ error: 'is required (a postgresql:// connection string)' })
    .regex(/^postgres(ql)?:\/\//, 'must be a postgresql:// connection string'),
  DATABASE_POOL_MAX: z.coerce.number().int().min(1).max(100).default(10),
  PUBLIC_BASE_URL: z.url().optional(),
});

export type ApiConfig = z.infer<typeof apiConfigSchema>;
