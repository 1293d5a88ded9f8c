import type { EventOf } from '@shelfwatch/contracts';
import type { PrismaClient } from '@shelfwatch/db';
import type { MessageContext } from '@shelfwatch/messaging';
import type { AlertChannel } from './channel';
import { deliverOnce } from './deliver-once';

/** Thrown so the messaging layer redelivers the event (with backoff) to the recipients that failed. */
export class DeliveryFailedError extends Error {
  override readonly name = 'DeliveryFailedError';
}

export interface AlertDeliveryDeps {
  prisma: PrismaClient;
  channels: readonly AlertChannel[];
  sendTimeoutMs: number;
}

/**
 * One alert.raised event to every channel recipient that wants it. Each recipient is delivered
 * at most once (deliver-once.ts); when any failed, the event is thrown back for a retry, which
 * skips those already delivered and keeps every message (and webhook-id) the same. On the last
 * attempt failures are recorded dead and the event goes on to the dead-letter path.
 */
export async function handleAlertRaised(
  deps: AlertDeliveryDeps,
  event: EventOf<'alert.raised'>,
  context: MessageContext,
): Promise<void> {
  const finalAttempt = context.attempt >= context.maxAttempts;
  const failed: string[] = [];
  let delivered = 0;
  for (const channel of deps.channels) {
    for (const recipient of await channel.recipientsOf(event)) {
      const result = await deliverOnce(
        deps.prisma,
        channel,
        {
          eventId: event.id,
          eventType: event.type,
          recipient,
          message: channel.prepare(event, recipient),
          finalAttempt,
        },
        { sendTimeoutMs: deps.sendTimeoutMs },
      );
      if (result === 'delivered') delivered += 1;
      if (result === 'failed' || (result === 'dead' && finalAttempt))
        failed.push(`${recipient.channel} ${recipient.channelId}`);
    }
  }
  if (delivered > 0)
    context.logger.info(`delivered alert ${event.data.alertId} to ${delivered} recipient(s)`);
  if (failed.length > 0)
    throw new DeliveryFailedError(
      `${finalAttempt ? 'gave up on' : 'will retry'} ${failed.length} recipient(s) of alert ${event.data.alertId}: ${failed.join(', ')} (attempt ${context.attempt} of ${context.maxAttempts})`,
    );
}
