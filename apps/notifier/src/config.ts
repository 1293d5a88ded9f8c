import { baseConfigSchema } from '@shelfwatch/runtime';
import { z } from 'zod';

export const notifierConfigSchema = baseConfigSchema.extend({
  DATABASE_URL: z
    .string({ error: 'is required (a postgresql:// connection string)' })
    .regex(/^postgres(ql)?:\/\//, 'must be a postgresql:// connection string'),
  DATABASE_POOL_MAX: z.coerce.number().int().min(1).max(100).default(5),
});

export type NotifierConfig = typeof notifierConfigSchema._output;
