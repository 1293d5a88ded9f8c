import { parseEvent, type EventOf, type EventType } from '@shelfwatch/contracts';
import { parseTraceContext, projectIdOf, traceLogFields, type Logger } from '@shelfwatch/logging';
import type { InFlight } from './in-flight';
import type { BatchEventHandler, BatchItemResult, EventHandler, MessageContext } from './messaging';
import type { ResolvedBatch, ResolvedSubscription } from './subscription-options';

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

export type Registration =
  | {
      kind: 'single';
      options: ResolvedSubscription;
      // Stored for any event type; `subscribe` ties handler and type together.
      handler: EventHandler<EventType>;
    }
  | {
      kind: 'batch';
      options: ResolvedSubscription;
      batch: ResolvedBatch;
      handler: BatchEventHandler<EventType>;
    };

export interface Delivery {
  /** The message body as received: bytes, JSON text or the decoded object. */
  body: unknown;
  attempt: number;
  messageId: string;
}

/** A delivery that passed validation, ready for its handler. */
interface Accepted {
  index: number;
  event: EventOf<EventType>;
  context: MessageContext;
}

/**
 * Validates delivered messages against their subscription's event type and runs the handler on
 * the valid ones: one call per message for `subscribe`, one call for all of them for
 * `subscribeBatch`. Never throws: every failure becomes an outcome per message (in the order
 * given) that the transport maps to ack, redelivery or the dead-letter path, so a bad message can
 * neither crash the service, be retried forever, nor fail its batch-mates.
 */
export async function deliverAll(
  registration: Registration,
  deliveries: readonly Delivery[],
  logger: Logger,
  inFlight: InFlight,
): Promise<DeliveryOutcome[]> {
  const outcomes: DeliveryOutcome[] = new Array(deliveries.length);
  const accepted: Accepted[] = [];
  deliveries.forEach((delivery, index) => {
    const parsed = accept(registration, delivery, logger);
    if ('event' in parsed) accepted.push({ index, ...parsed });
    else outcomes[index] = parsed.outcome;
  });
  if (registration.kind === 'single') {
    await Promise.all(
      accepted.map(async (item) => {
        try {
          await inFlight.run(() => registration.handler(item.event, item.context));
          outcomes[item.index] = { kind: 'ack' };
        } catch (error) {
          outcomes[item.index] = failureOutcome(error, item.context);
        }
      }),
    );
    return outcomes;
  }
  if (accepted.length === 0) return outcomes;
  let results: ReadonlyArray<BatchItemResult>;
  try {
    results = await inFlight.run(() =>
      registration.handler(accepted.map(({ event, context }) => ({ event, context }))),
    );
  } catch (error) {
    results = accepted.map(() => ({ ok: false, error }));
  }
  accepted.forEach((item, position) => {
    const result = results[position] ?? {
      ok: false,
      error: new Error('The batch handler returned no result for this event'),
    };
    outcomes[item.index] = result.ok ? { kind: 'ack' } : failureOutcome(result.error, item.context);
  });
  return outcomes;
}

function accept(
  registration: Registration,
  delivery: Delivery,
  logger: Logger,
): { event: EventOf<EventType>; context: MessageContext } | { outcome: DeliveryOutcome } {
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
    return { outcome: { kind: 'dead-letter', reason: 'invalid-payload', error: parsed.error } };
  }
  const event = parsed.event;
  const eventLogger = logger.child({
    ...base,
    eventId: event.id,
    ...(event.traceparent
      ? traceLogFields(parseTraceContext({ traceparent: event.traceparent }, projectIdOf(logger)))
      : {}),
  });
  return {
    event,
    context: {
      attempt: delivery.attempt,
      maxAttempts: options.maxAttempts,
      subscription: options.subscription,
      messageId: delivery.messageId,
      logger: eventLogger,
    },
  };
}

function failureOutcome(error: unknown, context: MessageContext): DeliveryOutcome {
  const eventLogger = context.logger;
  const message = error instanceof Error ? error.message : String(error);
  if (error instanceof NonRetryableError) {
    eventLogger.error('Handler rejected the event for good; dead-lettering it', {
      error: message,
    });
    return { kind: 'dead-letter', reason: 'non-retryable', error: message };
  }
  const last = context.attempt >= context.maxAttempts;
  eventLogger.log(
    last ? 'error' : 'warn',
    last
      ? 'Handler failed on the last attempt; the message goes to the dead-letter path'
      : 'Handler failed; the message will be redelivered',
    { error: message, stack: error instanceof Error ? error.stack : undefined },
  );
  return { kind: 'retry', error: message };
}
