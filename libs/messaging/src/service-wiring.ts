import type { Router } from 'express';
import { isPubSubMessaging } from './create-messaging';
import type { Messaging } from './messaging';
import type { OutboxRelay } from './outbox-relay';

/** A readiness check (`GET /ready`) that fails while the transport is down or a subscriber stopped. */
export function messagingReadiness(messaging: Messaging): () => Promise<void> {
  return async () => {
    const health = await messaging.health();
    if (!health.ok) throw new Error(`${health.transport}: ${health.detail}`);
  };
}

/**
 * The push endpoint (`POST /pubsub/push/:subscription`) for a service on Pub/Sub, or undefined for
 * the Postgres transport, which has no push delivery. Mounted in pull mode too: it answers 404 for
 * a subscription this process does not handle, and nothing calls it unless a push subscription
 * points here.
 */
export function pushRoutes(messaging: Messaging): Router | undefined {
  return isPubSubMessaging(messaging) ? messaging.pushRouter() : undefined;
}

/** A readiness check that fails while the outbox relay is stopped or its last pass failed. */
export function outboxRelayReadiness(relay: Pick<OutboxRelay, 'health'>): () => Promise<void> {
  return async () => {
    const health = relay.health();
    if (!health.ok) throw new Error(health.detail);
  };
}
