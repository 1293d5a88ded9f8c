import type {
  CreateEventOptions,
  EventOf,
  EventPayloadInput,
  EventType,
} from '@shelfwatch/contracts';
import type { Logger } from '@shelfwatch/logging';

export type TransportName = 'pubsub' | 'postgres';

/** What a handler learns about the delivery besides the event itself. */
export interface MessageContext {
  /** 1 on the first delivery; a redelivery after a failure or a lost ack counts up. */
  attempt: number;
  /** Deliveries after which the message goes to the dead-letter path instead of being retried. */
  maxAttempts: number;
  subscription: string;
  /** The transport's id for this message (not the event id: one event may travel as several messages). */
  messageId: string;
  /** A child logger carrying the event id, type, subscription and the event's trace context. */
  logger: Logger;
}

/**
 * Handles one validated event. Resolving acks the message; throwing makes the transport redeliver it
 * with backoff until `maxAttempts`, then dead-letter it. Delivery is at least once and in no
 * particular order, so a handler must be idempotent: record `(consumer, event.id)` in an inbox table
 * in the same database transaction as its effect, and skip events already recorded.
 */
export type EventHandler<T extends EventType> = (
  event: EventOf<T>,
  context: MessageContext,
) => Promise<void>;

/** One delivered, validated event of a batch, with what its handler would have been told. */
export interface BatchItem<T extends EventType> {
  event: EventOf<T>;
  context: MessageContext;
}

/** What became of one event of a batch: handled (acked), or failed with the error (retried). */
export type BatchItemResult = { ok: true } | { ok: false; error: unknown };

/**
 * Handles a batch of validated events and says, per event and in the same order, whether it was
 * handled. A failed event is retried (or dead-lettered) on its own; its batch-mates that succeeded
 * are acked. Throwing fails every event of the batch. The same idempotency rules as for
 * `EventHandler` apply to each event.
 */
export type BatchEventHandler<T extends EventType> = (
  items: ReadonlyArray<BatchItem<T>>,
) => Promise<ReadonlyArray<BatchItemResult>>;

export interface BatchOptions {
  /** Most events handed to one handler call, 1 to 1000. Default 50. */
  maxMessages?: number;
  /**
   * Longest a received event waits for batch-mates before a short batch is handed over, in
   * milliseconds, 0 to 1000 (Pub/Sub pull; pg-boss hands over whatever one fetch returned). Default 5.
   */
  maxWaitMs?: number;
}

export interface BatchSubscribeOptions extends SubscribeOptions {
  /**
   * Batching; `maxConcurrent` then counts handler calls (batches) running at once, so at most
   * `maxConcurrent × batch.maxMessages` messages are held at once.
   */
  batch?: BatchOptions;
}

export interface SubscribeOptions {
  /**
   * Subscription (Pub/Sub) or queue (Postgres) name, and the consumer's identity: one per consuming
   * service and event type, e.g. `analytics.observation-recorded`. Letters, digits, `.`, `_` and `-`;
   * starts with a letter; 3 to 200 characters.
   */
  subscription: string;
  /** Deliveries before dead-lettering, 5 to 100 (Pub/Sub's own bounds). Default 5. */
  maxAttempts?: number;
  /** First retry delay in whole seconds, 0 to 600, doubling up to `maxBackoffSeconds`. Default 10. */
  minBackoffSeconds?: number;
  /** Longest retry delay in whole seconds, 0 to 600. Default 600. */
  maxBackoffSeconds?: number;
  /** Most handlers of this subscription running at once in this process (flow control). Default 10. */
  maxConcurrent?: number;
  /** Most message bytes held in memory by this subscription's pull (Pub/Sub). Default 10 MiB. */
  maxOutstandingBytes?: number;
  /** How long one handler call may hold a message before the transport hands it out again. Default 600 s. */
  handlerTimeoutSeconds?: number;
  /** Where undeliverable messages go. Default `<topic>-dead-letter`. */
  deadLetterTopic?: string;
}

export interface PublishOptions extends Partial<Omit<CreateEventOptions, 'source'>> {
  /** Defaults to the messaging instance's `source`. */
  source?: string;
}

export interface MessagingHealth {
  ok: boolean;
  transport: TransportName;
  /** Why `ok` is false, or what was checked. */
  detail: string;
}

export interface StopOptions {
  /** How long to wait for in-flight handlers before giving up their messages for redelivery. Default 8 s. */
  timeoutMs?: number;
}

/** One typed publish/subscribe API over either transport. */
export interface Messaging {
  readonly transport: TransportName;
  /**
   * Publishes an event built with `createEvent` (validated again here), or builds one from a type
   * and payload. Rejects with `InvalidEventError` when the payload does not match its schema.
   */
  publish<T extends EventType>(event: EventOf<T>): Promise<EventOf<T>>;
  publish<T extends EventType>(
    type: T,
    data: EventPayloadInput<T>,
    options?: PublishOptions,
  ): Promise<EventOf<T>>;
  /** Registers a handler; takes effect on `start()`. One handler per subscription name. */
  subscribe<T extends EventType>(
    type: T,
    handler: EventHandler<T>,
    options: SubscribeOptions,
  ): void;
  /**
   * Registers a handler that takes events in batches (streaming pull and pg-boss); a push
   * delivery is a batch of one. One handler per subscription name, as for `subscribe`.
   */
  subscribeBatch<T extends EventType>(
    type: T,
    handler: BatchEventHandler<T>,
    options: BatchSubscribeOptions,
  ): void;
  /** Connects, provisions where configured, and starts pulling for every subscription. */
  start(): Promise<void>;
  /** Stops taking messages, waits for in-flight handlers (up to `timeoutMs`), closes connections. */
  stop(options?: StopOptions): Promise<void>;
  /** For readiness probes: whether the transport is connected and every subscriber is running. */
  health(): Promise<MessagingHealth>;
}
