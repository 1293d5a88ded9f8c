import type { Messaging } from '@shelfwatch/messaging';

/** `source` of the events notifier publishes. */
export const NOTIFIER_EVENT_SOURCE = 'shelfwatch/notifier';

/**
 * Subscription names (one per handler; on Cloud Run the push subscription of the same name in
 * infra/notifier delivers to POST /pubsub/push/<name>).
 */
export const subscriptions = {
  alertRaised: 'notifier.alert-raised',
} as const;

/** Wires notifier's handlers; each gets a validated payload from the contracts registry. */
export function subscribeNotifier(messaging: Messaging): void {
  messaging.subscribe(
    'alert.raised',
    async (event, context) => {
      // TODO(notifier): act on the event; throwing retries it, NonRetryableError dead-letters it.
      context.logger.info(`received alert.raised ${event.id}`);
    },
    { subscription: subscriptions.alertRaised },
  );
}
