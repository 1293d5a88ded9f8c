import { z } from 'zod';

export const ReadinessOutcomeSchema = z.enum(['ok', 'failed', 'timed out']);

/** Body of GET /health ('ok') and of a successful GET /ready ('ready'). Loose: services may add details. */
export const HealthStatusSchema = z
  .looseObject({
    status: z.enum(['ok', 'ready']),
    checks: z
      .record(z.string(), ReadinessOutcomeSchema)
      .optional()
      .meta({ description: 'Readiness only: result per dependency.', example: { database: 'ok' } }),
  })
  .meta({ id: 'HealthStatus', example: { status: 'ready', checks: { database: 'ok' } } });

export type HealthStatus = z.infer<typeof HealthStatusSchema>;
export type ReadinessOutcome = z.infer<typeof ReadinessOutcomeSchema>;
