import { webhookIdOf, type EventOf, type WebhookPayload } from '@shelfwatch/contracts';
import type { PrismaClient } from '@shelfwatch/db';
import type { MessageContext } from '@shelfwatch/messaging';
import type { AlertChannel, PreparedMessage, Recipient } from '../delivery/channel';
import { deliverOnce } from '../delivery/deliver-once';
import { DeliveryFailedError } from '../delivery/handle-alert-raised';

export interface DeliveryRequestDeps {
  prisma: PrismaClient;
  webhooks: AlertChannel & {
    recipientById(accountId: string, endpointId: string): Promise<Recipient | null>;
  };
  sendTimeoutMs: number;
}

export function pingPayload(event: EventOf<'webhook.delivery-requested'>): string {
  const body: WebhookPayload = {
    type: 'webhook.ping',
    timestamp: event.occurredAt,
    data: {
      webhookId: event.data.endpointId,
      message: 'A test delivery from shelfwatch: the signature verifies with your secret.',
    },
  };
  return JSON.stringify(body);
}

/**
 * The api's requests to deliver outside the alert flow: a test ping (a delivery of its own,
 * keyed by this event) or a resend of a dead delivery (the stored bytes and webhook-id again).
 * Both go through the same once-only path and retries as alerts.
 */
export async function handleDeliveryRequested(
  deps: DeliveryRequestDeps,
  event: EventOf<'webhook.delivery-requested'>,
  context: MessageContext,
): Promise<void> {
  const { accountId, endpointId } = event.data;
  const recipient = await deps.webhooks.recipientById(accountId, endpointId);
  if (!recipient) {
    context.logger.info(`webhook ${endpointId} no longer exists; nothing to deliver`);
    return;
  }
  let target: { eventId: string; eventType: string; message: PreparedMessage; resend: boolean };
  if (event.data.request === 'ping') {
    target = {
      eventId: event.id,
      eventType: 'webhook.ping',
      message: { payload: pingPayload(event), webhookId: webhookIdOf(event.id, endpointId) },
      resend: false,
    };
  } else {
    const dead = event.data.eventId
      ? await deps.prisma.channelDelivery.findUnique({
          where: {
            eventId_channel_channelId: {
              eventId: event.data.eventId,
              channel: 'webhook',
              channelId: endpointId,
            },
          },
        })
      : null;
    if (!dead || dead.outcome !== 'dead') {
      context.logger.info(
        `no dead delivery of ${event.data.eventId ?? '?'} to ${endpointId} to resend`,
      );
      return;
    }
    target = {
      eventId: dead.eventId,
      eventType: dead.eventType,
      message: { payload: dead.payload, webhookId: dead.webhookId },
      resend: true,
    };
  }
  const finalAttempt = context.attempt >= context.maxAttempts;
  // A paused or disabled endpoint is recorded dead without a byte sent (the api refuses to queue
  // either, but the endpoint may have changed since).
  const result = await deliverOnce(
    deps.prisma,
    deps.webhooks,
    { ...target, recipient, finalAttempt },
    { sendTimeoutMs: deps.sendTimeoutMs },
  );
  if (result === 'failed' || (result === 'dead' && finalAttempt && !recipient.unreachable))
    throw new DeliveryFailedError(
      `${event.data.request} to webhook ${endpointId} failed (attempt ${context.attempt} of ${context.maxAttempts})`,
    );
}
