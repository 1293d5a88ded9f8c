import { z } from 'zod';
import { AlertRaisedSchema } from './events/alert-raised';
import { WebhookDeliveryRequestedSchema } from './events/webhook-delivery-requested';
import { EventEnvelopeSchema, type EventEnvelope } from './events/envelope';
import {
  ObservationRecordedSchema,
  PriceChangedSchema,
  ProductsDiscoveredSchema,
  ScrapeFailedSchema,
  ScrapeRequestedSchema,
} from './events/payloads';
import { newId } from './ids';

/**
 * Every event type with its topic and payload schema. Publishing and subscribing go through
 * this table, so no payload crosses a topic unchecked. Bump `version` (and keep the old entry
 * readable) only for a breaking payload change.
 */
export const topics = {
  'scrape.requested': { topic: 'scrape-requested', version: 1, payload: ScrapeRequestedSchema },
  'observation.recorded': {
    topic: 'observation-recorded',
    version: 1,
    payload: ObservationRecordedSchema,
  },
  'scrape.failed': { topic: 'scrape-failed', version: 1, payload: ScrapeFailedSchema },
  'products.discovered': {
    topic: 'products-discovered',
    version: 1,
    payload: ProductsDiscoveredSchema,
  },
  'price.changed': { topic: 'price-changed', version: 1, payload: PriceChangedSchema },
  'alert.raised': { topic: 'alert-raised', version: 1, payload: AlertRaisedSchema },
  'webhook.delivery-requested': {
    topic: 'webhook-delivery-requested',
    version: 1,
    payload: WebhookDeliveryRequestedSchema,
  },
} as const satisfies Record<string, { topic: string; version: number; payload: z.ZodType }>;

export type EventType = keyof typeof topics;
export type EventPayload<T extends EventType> = z.output<(typeof topics)[T]['payload']>;
export type EventPayloadInput<T extends EventType> = z.input<(typeof topics)[T]['payload']>;
export type EventOf<T extends EventType> = EventEnvelope<EventPayload<T>, T>;
/** Any registered event, discriminated on `type`. */
export type AnyEvent = { [T in EventType]: EventOf<T> }[EventType];

export const eventTypes = Object.keys(topics) as EventType[];

export function isEventType(value: unknown): value is EventType {
  return typeof value === 'string' && Object.hasOwn(topics, value);
}

export function topicFor(type: EventType): string {
  return topics[type].topic;
}

export interface CreateEventOptions {
  /** Publishing service, e.g. `shelfwatch/api`. */
  source: string;
  /** Defaults to a new UUIDv7; pass one to republish the same event idempotently. */
  id?: string;
  /** Defaults to now. */
  occurredAt?: Date | string;
  traceparent?: string;
  correlationId?: string;
}

/** Thrown by `createEvent` when a publisher builds an event that would not pass its own contract. */
export class InvalidEventError extends Error {
  override readonly name = 'InvalidEventError';
  constructor(
    readonly eventType: string,
    readonly issues: ReadonlyArray<{ path: string; message: string }>,
  ) {
    super(
      `Invalid ${eventType} event: ${issues.map((issue) => `${issue.path || '(root)'}: ${issue.message}`).join('; ')}`,
    );
  }
}

function describeIssues(error: z.ZodError): Array<{ path: string; message: string }> {
  return error.issues.map((issue) => ({
    path: issue.path.map(String).join('.'),
    message: issue.message,
  }));
}

const envelopeSchemas = new Map<EventType, z.ZodType>();

function envelopeSchemaFor(type: EventType): z.ZodType {
  let schema = envelopeSchemas.get(type);
  if (!schema) {
    const { version, payload } = topics[type];
    schema = EventEnvelopeSchema(payload).extend({
      type: z.literal(type),
      version: z.literal(version),
    });
    envelopeSchemas.set(type, schema);
  }
  return schema;
}

/** Builds a validated envelope; throws `InvalidEventError` naming the event type and every bad field. */
export function createEvent<T extends EventType>(
  type: T,
  data: EventPayloadInput<T>,
  options: CreateEventOptions,
): EventOf<T> {
  if (!isEventType(type))
    throw new InvalidEventError(String(type), [
      { path: 'type', message: 'is not a registered event type' },
    ]);
  const occurredAt =
    options.occurredAt instanceof Date
      ? options.occurredAt.toISOString()
      : (options.occurredAt ?? new Date().toISOString());
  const candidate = {
    id: options.id ?? newId(),
    type,
    version: topics[type].version,
    occurredAt,
    source: options.source,
    ...(options.traceparent === undefined ? {} : { traceparent: options.traceparent }),
    ...(options.correlationId === undefined ? {} : { correlationId: options.correlationId }),
    data,
  };
  const parsed = envelopeSchemaFor(type).safeParse(candidate);
  if (!parsed.success) throw new InvalidEventError(type, describeIssues(parsed.error));
  return parsed.data as EventOf<T>;
}

export type ParseEventResult<T extends EventType> =
  { ok: true; event: EventOf<T> } | { ok: false; error: string };

/**
 * Validates a received message against the registry entry for `type`. Accepts the decoded
 * object or its JSON text/bytes. Never throws: a bad message is data for the dead-letter path.
 */
export function parseEvent<T extends EventType>(type: T, raw: unknown): ParseEventResult<T> {
  if (!isEventType(type))
    return { ok: false, error: `"${String(type)}" is not a registered event type` };
  let value = raw;
  if (typeof raw === 'string' || raw instanceof Uint8Array) {
    try {
      value = JSON.parse(typeof raw === 'string' ? raw : Buffer.from(raw).toString('utf8'));
    } catch {
      return { ok: false, error: `${type}: message is not valid JSON` };
    }
  }
  const parsed = envelopeSchemaFor(type).safeParse(value);
  if (!parsed.success) {
    const details = describeIssues(parsed.error)
      .map((issue) => `${issue.path || '(root)'}: ${issue.message}`)
      .join('; ');
    return { ok: false, error: `Invalid ${type} event: ${details}` };
  }
  return { ok: true, event: parsed.data as EventOf<T> };
}
