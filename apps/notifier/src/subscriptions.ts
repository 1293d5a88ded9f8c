import type { Messaging, SubscribeOptions } from '@shelfwatch/messaging';
import { handleAlertRaised, type AlertDeliveryDeps } from './delivery/handle-alert-raised';
import {
  handleDeliveryRequested,
  type DeliveryRequestDeps,
} from './webhooks/handle-delivery-requested';

/** `source` of the events notifier publishes. */
export const NOTIFIER_EVENT_SOURCE = 'shelfwatch/notifier';

/**
 * Subscription names (one per handler; on Cloud Run the push subscription of the same name in
 * infra/notifier delivers to POST /pubsub/push/<name>).
 */
export const subscriptions = {
  alertRaised: 'notifier.alert-raised',
  webhookDeliveryRequested: 'notifier.webhook-delivery-requested',
} as const;

/** How failed deliveries are retried: the messaging layer's retry policy (ADR 0016). */
export type DeliveryRetryPolicy = Required<
  Pick<
    SubscribeOptions,
    'maxAttempts' | 'minBackoffSeconds' | 'maxBackoffSeconds' | 'maxConcurrent'
  >
>;

export type NotifierHandlerDeps = AlertDeliveryDeps &
  DeliveryRequestDeps & { retry: DeliveryRetryPolicy };

/** Wires notifier's handlers; each gets a validated payload from the contracts registry. */
export function subscribeNotifier(messaging: Messaging, deps: NotifierHandlerDeps): void {
  // An alert goes to its recipients one after another, each send bounded by the send timeout.
  const handlerTimeoutSeconds = 300;
  const options = { ...deps.retry, handlerTimeoutSeconds };
  messaging.subscribe('alert.raised', (event, context) => handleAlertRaised(deps, event, context), {
    subscription: subscriptions.alertRaised,
    ...options,
  });
  messaging.subscribe(
    'webhook.delivery-requested',
    (event, context) => handleDeliveryRequested(deps, event, context),
    { subscription: subscriptions.webhookDeliveryRequested, ...options },
  );
}
