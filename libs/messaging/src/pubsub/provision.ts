import type { PubSub, CreateSubscriptionOptions } from '@google-cloud/pubsub';
import { PULL_LEASE_SECONDS, type ResolvedSubscription } from '../subscription-options';

// gRPC status ALREADY_EXISTS: another instance created it first, which is what we wanted.
const ALREADY_EXISTS = 6;

function isAlreadyExists(error: unknown): boolean {
  return (error as { code?: unknown } | null)?.code === ALREADY_EXISTS;
}

/** Creates a topic unless it exists. Local and emulator runs only: in the cloud, Terraform owns topics. */
export async function ensureTopic(pubsub: PubSub, name: string): Promise<void> {
  const [exists] = await pubsub.topic(name).exists();
  if (exists) return;
  await pubsub.createTopic(name).catch((error: unknown) => {
    if (!isAlreadyExists(error)) throw error;
  });
}

async function ensureSubscriptionOf(
  pubsub: PubSub,
  topic: string,
  name: string,
  options: CreateSubscriptionOptions,
): Promise<void> {
  const subscription = pubsub.subscription(name);
  const [exists] = await subscription.exists();
  if (exists) {
    // Keeps a local subscription in step with changed options (attempts, backoff, push endpoint).
    if (Object.keys(options).length > 0) await subscription.setMetadata(options);
    return;
  }
  await pubsub
    .topic(topic)
    .createSubscription(name, options)
    .catch((error: unknown) => {
      if (!isAlreadyExists(error)) throw error;
    });
}

/**
 * Creates the topic, the dead-letter topic (with a subscription of the same name, so dead letters
 * are kept rather than dropped) and the subscription with its dead-letter and retry policies.
 */
export async function provisionSubscription(
  pubsub: PubSub,
  projectId: string,
  subscription: ResolvedSubscription,
  pushEndpoint: string | undefined,
  policies: {
    /** False on the emulator: its retry policy strands the leases of a dead subscriber (ADR 0009). */
    retryPolicy: boolean;
    /** Deliveries before Pub/Sub itself dead-letters a message (5 to 100). */
    maxDeliveryAttempts: number;
  } = { retryPolicy: true, maxDeliveryAttempts: subscription.maxAttempts },
): Promise<void> {
  await ensureTopic(pubsub, subscription.topic);
  await ensureTopic(pubsub, subscription.deadLetterTopic);
  await ensureSubscriptionOf(
    pubsub,
    subscription.deadLetterTopic,
    subscription.deadLetterTopic,
    {},
  );
  await ensureSubscriptionOf(pubsub, subscription.topic, subscription.subscription, {
    deadLetterPolicy: {
      deadLetterTopic: `projects/${projectId}/topics/${subscription.deadLetterTopic}`,
      maxDeliveryAttempts: policies.maxDeliveryAttempts,
    },
    ...(policies.retryPolicy
      ? {
          retryPolicy: {
            minimumBackoff: { seconds: subscription.minBackoffSeconds },
            maximumBackoff: { seconds: subscription.maxBackoffSeconds },
          },
        }
      : {}),
    // A push request must be answered within the ack deadline; a pull client renews short leases
    // itself, so a dead one gives its messages back quickly.
    ackDeadlineSeconds: pushEndpoint
      ? Math.min(600, subscription.handlerTimeoutSeconds)
      : PULL_LEASE_SECONDS,
    pushConfig: pushEndpoint
      ? {
          pushEndpoint: `${pushEndpoint.replace(/\/+$/, '')}/pubsub/push/${subscription.subscription}`,
        }
      : {},
  });
}
