import type { Message, PubSub, Subscription, SubscriberOptions, Topic } from '@google-cloud/pubsub';
import type * as PubSubClient from '@google-cloud/pubsub';
import { topicFor } from '@shelfwatch/contracts';
import type { Logger } from '@shelfwatch/logging';
import type express from 'express';
import { deliverAll, type DeliveryOutcome, type Registration } from '../dispatch';
import { InFlight } from '../in-flight';
import type { Messaging, MessagingHealth, StopOptions } from '../messaging';
import { outgoingEvent, type PublishArguments } from '../outgoing-event';
import { messagesPerCall, Registrations } from '../registrations';
import { PULL_LEASE_SECONDS } from '../subscription-options';
import { BatchCollector } from './batch-collector';
import { AttemptCounter } from './attempt-counter';
import {
  EMULATOR_STREAM_SECONDS,
  emulatorStreamsFor,
  streamingPullDeadline,
} from './emulator-streams';
import { publishDeadLetter } from './dead-letter';
import { ensureTopic, provisionSubscription } from './provision';
import type { PushAuthOptions } from './push-auth';
import {
  createPushRouter,
  type PushResult,
  type PushRouterOptions,
  type PushedMessage,
} from './push-router';

export interface PubSubMessagingOptions {
  transport: 'pubsub';
  projectId: string;
  logger: Logger;
  /** Publishing service, e.g. `shelfwatch/scraper`: the `source` of events built by `publish(type, data)`. */
  source: string;
  /** `host:port` of the Pub/Sub emulator; unset means real Pub/Sub (or `PUBSUB_EMULATOR_HOST`, which the client reads itself). */
  emulatorHost?: string;
  /**
   * `pull` (default) opens a streaming pull per subscription on `start()`; `push` opens none and
   * expects Pub/Sub to call `pushRouter()` (Cloud Run).
   */
  delivery?: 'pull' | 'push';
  /**
   * Create missing topics, dead-letter topics and subscriptions on `start()` (and topics before the
   * first publish). For the emulator and local runs only; in the cloud, Terraform owns them.
   */
  provision?: boolean;
  /** With `provision` and push delivery: the service's base URL, so subscriptions push to `<url>/pubsub/push/<subscription>`. */
  pushEndpoint?: string;
  /** OIDC verification for `pushRouter()`; off when unset. */
  pushAuth?: PushAuthOptions;
  /**
   * Whether provisioned subscriptions get the server-side retry policy (backoff between
   * redeliveries). Default true, except on the emulator: there a retry policy keeps the messages a
   * killed subscriber had leased from coming back for many minutes (ADR 0009), so failed
   * deliveries are redelivered at once instead. Terraform always sets the policy in the cloud.
   */
  serverRetryPolicy?: boolean;
  /**
   * Whether Pub/Sub's own `deliveryAttempt` counts attempts and its dead-letter policy ends them
   * after `maxAttempts`. Default true, except on the emulator: it counts attempts for messages it
   * never delivered while a dead subscriber's leases expire, and dead-letters them unhandled (ADR
   * 0023). There the subscription allows the maximum of 100 deliveries and this process counts
   * its handler's failures, dead-lettering a message itself after `maxAttempts`.
   */
  serverAttemptCount?: boolean;
  /** A ready client (tests, or custom credentials); closed by `stop()` only if we created it. */
  client?: PubSub;
}

export interface PubSubMessaging extends Messaging {
  readonly transport: 'pubsub';
  /** The express router for `POST /pubsub/push/:subscription` (mount it on the service's app). */
  pushRouter(options?: Partial<Omit<PushRouterOptions, 'logger'>>): express.Router;
}

/** The most deliveries a Pub/Sub dead-letter policy allows. */
const MAX_DELIVERY_ATTEMPTS = 100;

interface Puller {
  registration: Registration;
  /** Batch subscriptions only: gathers pulled messages into the handler's batches. */
  collector?: BatchCollector<Message>;
  subscription: Subscription;
  subscriberOptions: SubscriberOptions;
  error?: string;
}

/**
 * The Pub/Sub client library, loaded on first use rather than at start-up: it takes 90-130 ms to
 * load, and a service on the Postgres transport never needs it.
 */
function loadPubSubClient(): typeof PubSubClient {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require('@google-cloud/pubsub') as typeof PubSubClient;
}

/** Messaging over Google Pub/Sub or its emulator: streaming pull with flow control, or push. */
export function createPubSubMessaging(options: PubSubMessagingOptions): PubSubMessaging {
  const logger = options.logger.child({ component: 'messaging', transport: 'pubsub' });
  const ownsClient = !options.client;
  const { Duration, PubSub } = loadPubSubClient();
  const pubsub =
    options.client ??
    new PubSub({
      projectId: options.projectId,
      ...(options.emulatorHost
        ? {
            apiEndpoint: options.emulatorHost,
            emulatorMode: true,
            // The emulator serves a killed subscriber's stream until its deadline (ADR 0028).
            ...streamingPullDeadline(EMULATOR_STREAM_SECONDS),
          }
        : {}),
    });
  const delivery = options.delivery ?? 'pull';
  const registrations = new Registrations();
  const pullers: Puller[] = [];
  const topics = new Map<string, Topic>();
  const provisionedTopics = new Map<string, Promise<void>>();
  const inFlight = new InFlight();
  const serverAttemptCount = options.serverAttemptCount ?? !options.emulatorHost;
  const attempts = new AttemptCounter();
  let state: 'new' | 'starting' | 'started' | 'stopping' | 'stopped' = 'new';

  const topicNamed = (name: string): Topic => {
    let topic = topics.get(name);
    if (!topic) {
      topic = pubsub.topic(name, { batching: { maxMessages: 100, maxMilliseconds: 10 } });
      topics.set(name, topic);
    }
    return topic;
  };

  const ensureProvisionedTopic = (name: string): Promise<void> => {
    if (!options.provision) return Promise.resolve();
    let pending = provisionedTopics.get(name);
    if (!pending) {
      pending = ensureTopic(pubsub, name);
      provisionedTopics.set(name, pending);
      pending.catch(() => provisionedTopics.delete(name));
    }
    return pending;
  };

  /** The attempt a delivery is: Pub/Sub's count, or this process's where that is not trusted. */
  const attemptOf = (messageId: string, serverAttempt: number | undefined): number =>
    serverAttemptCount
      ? // 0 when the subscription has no dead-letter policy, which is the only thing that counts attempts.
        Math.max(1, serverAttempt ?? 1)
      : attempts.attemptOf(messageId);

  /** Acts on an outcome; resolves to whether the message is settled (ack) or must come back. */
  const settle = async (
    registration: Registration,
    messageId: string,
    delivered: DeliveryOutcome,
    data: Buffer,
    attributes: Record<string, string>,
  ): Promise<'ack' | 'retry'> => {
    let outcome = delivered;
    if (outcome.kind === 'retry' && !serverAttemptCount) {
      if (attempts.failed(messageId) < registration.options.maxAttempts) return 'retry';
      outcome = { kind: 'dead-letter', reason: 'max-attempts', error: outcome.error };
    }
    if (outcome.kind === 'ack') {
      attempts.settled(messageId);
      return 'ack';
    }
    if (outcome.kind === 'retry') return 'retry';
    try {
      await publishDeadLetter(pubsub, {
        deadLetterTopic: registration.options.deadLetterTopic,
        subscription: registration.options.subscription,
        data,
        attributes,
        reason: outcome.reason,
        error: outcome.error,
      });
      attempts.settled(messageId);
      return 'ack';
    } catch (error) {
      logger.error('Could not forward a message to the dead-letter topic; it will be redelivered', {
        subscription: registration.options.subscription,
        deadLetterTopic: registration.options.deadLetterTopic,
        error: (error as Error).message,
      });
      return 'retry';
    }
  };

  /** Runs the handler on pulled messages (one, or a batch) and acks or nacks each. */
  const handlePulled = async (puller: Puller, messages: Message[]) => {
    if (state !== 'started') {
      for (const message of messages) message.nack();
      return;
    }
    const outcomes = await deliverAll(
      puller.registration,
      messages.map((message) => ({
        body: message.data,
        attempt: attemptOf(message.id, message.deliveryAttempt),
        messageId: message.id,
      })),
      logger,
      inFlight,
    );
    await Promise.all(
      messages.map(async (message, index) => {
        const result = await settle(
          puller.registration,
          message.id,
          outcomes[index]!,
          message.data,
          message.attributes,
        ).catch((error: unknown) => {
          logger.error('Unexpected failure while settling a message', {
            subscription: puller.registration.options.subscription,
            error: (error as Error).message,
          });
          return 'retry' as const;
        });
        if (result === 'ack') message.ack();
        else message.nack();
      }),
    );
  };

  const openPuller = (registration: Registration): Puller => {
    const resolved = registration.options;
    // Flow control holds what the handlers can take at once, maxConcurrent calls of a batch each,
    // and for a batch subscription one batch more, waiting in the collector: a slot that frees up
    // then starts a full batch at once instead of waiting for the stream to deliver its
    // replacement (on the emulator up to a 50 ms step per 100 messages) and starting a short one.
    const callsHeld = resolved.maxConcurrent + (registration.kind === 'batch' ? 1 : 0);
    const held = callsHeld * messagesPerCall(registration);
    const subscriberOptions: SubscriberOptions = {
      flowControl: {
        maxMessages: held,
        maxBytes: resolved.maxOutstandingBytes,
        // Messages beyond the limit that arrive in one batch wait in the client instead of running.
        allowExcessMessages: false,
      },
      maxExtensionTime: Duration.from({ seconds: resolved.handlerTimeoutSeconds }),
      // The client sizes each lease by the 99th percentile of its ack times, which counts the time
      // a message waited in the client's queue: under a backlog it grows towards ten minutes, and
      // that is how long a killed subscriber's messages then stay away. Short leases, renewed by
      // the client while it lives, bring them back within seconds of a crash.
      minAckDeadline: Duration.from({ seconds: PULL_LEASE_SECONDS }),
      maxAckDeadline: Duration.from({ seconds: PULL_LEASE_SECONDS }),
      // With few messages outstanding, acks must leave quickly or they become the bottleneck.
      batching: { maxMessages: held, maxMilliseconds: 10 },
      // Against Pub/Sub one stream per subscription: more only buffer messages the flow control
      // will not run yet. The emulator sends each stream at most 100 messages per 50 ms step, so
      // there a subscriber holding more opens as many streams as refill its window in one step.
      streamingOptions: { maxStreams: options.emulatorHost ? emulatorStreamsFor(held) : 1 },
    };
    const subscription = pubsub.subscription(resolved.subscription, subscriberOptions);
    const puller: Puller = { registration, subscription, subscriberOptions };
    if (registration.kind === 'batch')
      puller.collector = new BatchCollector(
        {
          maxItems: registration.batch.maxMessages,
          maxWaitMs: registration.batch.maxWaitMs,
          maxConcurrent: resolved.maxConcurrent,
        },
        (messages) => handlePulled(puller, messages),
      );
    subscription.on('message', (message: Message) => {
      if (puller.collector) puller.collector.add(message);
      else void handlePulled(puller, [message]);
    });
    // Without a listener an 'error' event would crash the process.
    subscription.on('error', (error: Error) => {
      puller.error = error.message;
      logger.error('Pub/Sub subscriber failed', {
        subscription: resolved.subscription,
        error: error.message,
      });
    });
    return puller;
  };

  const receivePush = async (name: string, message: PushedMessage): Promise<PushResult> => {
    const registration = registrations.get(name);
    if (!registration) return 'unknown-subscription';
    if (state !== 'started') return 'stopping';
    // A push request carries one message: for a batch subscription, a batch of one.
    const [outcome] = await deliverAll(
      registration,
      [
        {
          body: message.data,
          attempt: attemptOf(message.messageId, message.deliveryAttempt),
          messageId: message.messageId,
        },
      ],
      logger,
      inFlight,
    );
    return settle(registration, message.messageId, outcome!, message.data, message.attributes);
  };

  const messaging: PubSubMessaging = {
    transport: 'pubsub',

    async publish(...args: unknown[]) {
      const event = outgoingEvent(options.source, args as PublishArguments);
      const topic = topicFor(event.type);
      await ensureProvisionedTopic(topic);
      await topicNamed(topic).publishMessage({
        data: Buffer.from(JSON.stringify(event)),
        attributes: {
          eventType: event.type,
          eventVersion: String(event.version),
          eventId: event.id,
          source: event.source,
        },
      });
      return event as never;
    },

    ...registrations.subscribeMethods(() => state === 'new'),

    async start() {
      if (state !== 'new') throw new Error(`Messaging cannot start: it is ${state}`);
      state = 'starting';
      try {
        if (options.provision) {
          for (const registration of registrations.values()) {
            await provisionSubscription(
              pubsub,
              options.projectId,
              registration.options,
              delivery === 'push' ? options.pushEndpoint : undefined,
              {
                retryPolicy: options.serverRetryPolicy ?? !options.emulatorHost,
                maxDeliveryAttempts: serverAttemptCount
                  ? registration.options.maxAttempts
                  : MAX_DELIVERY_ATTEMPTS,
              },
            );
          }
        }
        state = 'started';
        if (delivery === 'pull') {
          for (const registration of registrations.values()) pullers.push(openPuller(registration));
        }
        logger.info('Messaging started', {
          delivery,
          subscriptions: registrations.names(),
          provision: Boolean(options.provision),
        });
      } catch (error) {
        state = 'stopped';
        if (ownsClient) await pubsub.close().catch(() => undefined);
        throw error;
      }
    },

    async stop(stopOptions: StopOptions = {}) {
      if (state === 'stopped' || state === 'stopping') return;
      const wasStarted = state === 'started';
      state = 'stopping';
      const timeoutMs = stopOptions.timeoutMs ?? 8_000;
      // Streams close at once and new deliveries are nacked from here on; handlers already running
      // finish and settle, and whatever is still unsettled at the deadline is nacked for redelivery.
      const closeOptions = {
        behavior: 'WAIT' as const,
        timeout: Duration.from({ milliseconds: timeoutMs }),
      };
      // Messages still waiting for batch-mates never reached a handler: they go back at once.
      for (const puller of pullers)
        for (const message of puller.collector?.takePending() ?? []) message.nack();
      const [drained] = await Promise.all([
        wasStarted ? inFlight.drain(timeoutMs) : true,
        ...pullers.map((puller) => {
          puller.subscription.setOptions({ ...puller.subscriberOptions, closeOptions });
          return puller.subscription.close();
        }),
      ]);
      if (!drained)
        logger.warn('Stopped before every handler finished; their messages will be redelivered', {
          running: inFlight.count,
        });
      await Promise.all([...topics.values()].map((topic) => topic.flush()));
      if (ownsClient) await pubsub.close();
      state = 'stopped';
    },

    async health(): Promise<MessagingHealth> {
      if (state !== 'started')
        return { ok: false, transport: 'pubsub', detail: `messaging is ${state}` };
      const failed = pullers.filter((puller) => puller.error || !puller.subscription.isOpen);
      if (failed.length > 0)
        return {
          ok: false,
          transport: 'pubsub',
          detail: failed
            .map(
              (puller) =>
                `${puller.registration.options.subscription}: ${puller.error ?? 'closed'}`,
            )
            .join('; '),
        };
      return {
        ok: true,
        transport: 'pubsub',
        detail: `${delivery} delivery, ${registrations.size} subscription(s)`,
      };
    },

    pushRouter(routerOptions = {}) {
      return createPushRouter(
        { receivePush },
        {
          logger,
          auth: routerOptions.auth ?? options.pushAuth,
          bodyLimit: routerOptions.bodyLimit,
        },
      );
    },
  };
  return messaging;
}
