import {
  InvalidEventError,
  createEvent,
  isEventType,
  type AnyEvent,
  type EventPayloadInput,
  type EventType,
} from '@shelfwatch/contracts';
import type { PublishOptions } from './messaging';

export type PublishArguments =
  | [event: AnyEvent]
  | [type: EventType, data: EventPayloadInput<EventType>, options?: PublishOptions];

/**
 * The validated event a `publish` call sends. A ready-made event is checked again, because a cast
 * or a hand-built object can carry anything; a type plus payload goes through `createEvent`.
 */
export function outgoingEvent(source: string, args: PublishArguments): AnyEvent {
  if (typeof args[0] === 'string') {
    const [type, data, options] = args as [
      EventType,
      EventPayloadInput<EventType>,
      PublishOptions?,
    ];
    return createEvent(type, data, { ...options, source: options?.source ?? source }) as AnyEvent;
  }
  const event = args[0] as AnyEvent;
  const type: unknown = (event as { type?: unknown } | null)?.type;
  if (!isEventType(type))
    throw new InvalidEventError(String(type), [
      { path: 'type', message: 'is not a registered event type' },
    ]);
  // createEvent validates envelope and payload and names every bad field.
  return createEvent(type, event.data as EventPayloadInput<EventType>, {
    id: event.id,
    occurredAt: event.occurredAt,
    source: event.source,
    traceparent: event.traceparent,
    correlationId: event.correlationId,
  }) as AnyEvent;
}
