import { z } from 'zod';
import { IdSchema } from '../ids';
import { TimestampSchema } from '../time';

/**
 * The one envelope every event travels in. Field names follow CloudEvents (`id`, `type`,
 * `source`) where they fit; `occurredAt` and `version` are ours. Unknown envelope fields are
 * dropped rather than rejected so envelope additions stay compatible.
 */
export function EventEnvelopeSchema<TData extends z.ZodType>(dataSchema: TData) {
  return z.object({
    id: IdSchema.meta({ description: 'Event id (UUIDv7); consumers deduplicate on it.' }),
    type: z
      .string()
      .min(1)
      .meta({ description: 'Event type, e.g. scrape.requested.', example: 'scrape.requested' }),
    version: z.int().min(1).meta({
      description: 'Payload version; a breaking payload change is a new version.',
      example: 1,
    }),
    occurredAt: TimestampSchema,
    source: z
      .string()
      .min(1)
      .meta({ description: 'Publishing service.', example: 'shelfwatch/api' }),
    traceparent: z
      .string()
      .min(1)
      .optional()
      .meta({ description: 'W3C trace context of the work that caused the event.' }),
    correlationId: z
      .string()
      .min(1)
      .optional()
      .meta({ description: 'Ties together events of one logical operation.' }),
    data: dataSchema,
  });
}

/** Envelope with the payload left unchecked: for routing on `type` before the payload is validated. */
export const AnyEventEnvelopeSchema = EventEnvelopeSchema(z.unknown());

export interface EventEnvelope<TData, TType extends string = string> {
  id: string;
  type: TType;
  version: number;
  occurredAt: string;
  source: string;
  traceparent?: string;
  correlationId?: string;
  data: TData;
}
