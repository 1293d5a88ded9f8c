import { parseEvent, type EventType } from '@shelfwatch/contracts';
import { parseTraceContext, projectIdOf, traceLogFields, type Logger } from '@shelfwatch/logging';
import type { InFlight } from './in-flight';
import type { EventHandler } from './messaging';
import type { ResolvedSubscription } from './subscription-options';

/**
 * Thrown by a handler for an event it can never process (a retry cannot help): the message goes
 * to the dead-letter path at once instead of being redelivered.
 */
export class NonRetryableError extends Error {
  override readonly name = 'NonRetryableError';
}

export type DeadLetterReason = 'invalid-payload' | 'non-retryable' | 'max-attempts';

/** What the transport must do with a delivered message. */
export type DeliveryOutcome =
  | { kind: 'ack' }
  | { kind: 'retry'; error: string }
  | { kind: 'dead-letter'; reason: DeadLetterReason; error: string };

export interface Registration {
  options: ResolvedSubscription;
  // Stored for any event type; `subscribe` ties handler and type together.
  handler: EventHandler<EventType>;
}

export interface Delivery {
  /** The message body as received: bytes, JSON text or the decoded object. */
  body: unknown;
  attempt: number;
  messageId: string;
}

/**
 * Validates a delivered message against its subscription's event type and runs the handler on
 * it. Never throws: every failure becomes an outcome the transport maps to ack, redelivery or the
 * dead-letter path, so a bad message can neither crash the service nor be retried forever.
 */
export async function deliver(
  registration: Registration,
  delivery: Delivery,
  logger: Logger,
  inFlight: InFlight,
): Promise<DeliveryOutcome> {
  const { options } = registration;
  const base = {
    subscription: options.subscription,
    eventType: options.eventType,
    messageId: delivery.messageId,
    attempt: delivery.attempt,
  };
  const parsed = parseEvent(options.eventType, delivery.body);
  if (!parsed.ok) {
    logger.warn('Dead-lettering a message that does not match its event schema', {
      ...base,
      error: parsed.error,
    });
    return { kind: 'dead-letter', reason: 'invalid-payload', error: parsed.error };
  }
  const event = parsed.event;
  const eventLogger = logger.child({
    ...base,
    eventId: event.id,
    ...(event.traceparent
      ? traceLogFields(parseTraceContext({ traceparent: event.traceparent }, projectIdOf(logger)))
      : {}),
  });
  try {
    await inFlight.run(() =>
      registration.handler(event, {
        attempt: delivery.attempt,
        maxAttempts: options.maxAttempts,
        subscription: options.subscription,
        messageId: delivery.messageId,
        logger: eventLogger,
      }),
    );
    return { kind: 'ack' };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    if (error instanceof NonRetryableError) {
      eventLogger.error('Handler rejected the event for good; dead-lettering it', {
        error: message,
      });
      return { kind: 'dead-letter', reason: 'non-retryable', error: message };
    }
    const last = delivery.attempt >= options.maxAttempts;
    eventLogger.log(
      last ? 'error' : 'warn',
      last
        ? 'Handler failed on the last attempt; the message goes to the dead-letter path'
        : 'Handler failed; the message will be redelivered',
      { error: message, stack: error instanceof Error ? error.stack : undefined },
    );
    return { kind: 'retry', error: message };
  }
}
