import { newId } from '@shelfwatch/contracts';
import type { PrismaClient } from '@shelfwatch/db';
import type { AlertChannel, AttemptResult, PreparedMessage, Recipient } from './channel';

export type DeliveryResult =
  /** Sent now and answered with success; recorded. */
  | 'delivered'
  /** An earlier delivery of this event to this recipient succeeded: nothing sent. */
  | 'already-delivered'
  /** Retries ran out earlier (or the recipient is unreachable): nothing sent unless resending. */
  | 'dead'
  /** Sent and failed; the event must be retried. */
  | 'failed';

export interface DeliverOnceInput {
  eventId: string;
  eventType: string;
  recipient: Recipient;
  message: PreparedMessage;
  /** The messaging layer will not redeliver after this try: a failure is recorded dead. */
  finalAttempt: boolean;
  /** Send again although the outcome is dead (POST /v1/webhooks/:id/deliveries/:eventId/resend). */
  resend?: boolean;
}

type Sender = Pick<AlertChannel, 'send' | 'afterAttempt'>;

/**
 * Delivers one event to one recipient at most once successfully. A transaction-scoped advisory
 * lock on (event, channel, recipient) serialises concurrent copies of the same event (duplicate
 * publishes, a redelivery racing a slow first try); under it the recorded outcome is checked,
 * the message sent, the attempt logged and the outcome written, all in one transaction. A
 * process killed mid-send rolls it all back, so the event is redelivered and sent again with the
 * same webhook-id (receivers deduplicate on it); a success is never recorded twice.
 */
export async function deliverOnce(
  prisma: PrismaClient,
  channel: Sender,
  input: DeliverOnceInput,
  options: { sendTimeoutMs: number },
): Promise<DeliveryResult> {
  const { eventId, recipient, message } = input;
  const key = { eventId, channel: recipient.channel, channelId: recipient.channelId };
  return prisma.$transaction(
    async (tx) => {
      await tx.$queryRaw`SELECT 1 AS locked FROM (SELECT pg_advisory_xact_lock(hashtextextended(${`${eventId}/${recipient.channel}/${recipient.channelId}`}, 0))) AS lock`;
      const recorded = await tx.channelDelivery.findUnique({
        where: { eventId_channel_channelId: key },
      });
      if (recorded?.outcome === 'delivered') return 'already-delivered';
      if (recorded?.outcome === 'dead' && !input.resend) return 'dead';

      const record = async (outcome: 'delivered' | 'dead', attempts: number) => {
        const fields = { outcome, attempts, finishedAt: new Date() };
        await tx.channelDelivery.upsert({
          where: { eventId_channel_channelId: key },
          create: {
            id: newId(),
            ...key,
            eventType: input.eventType,
            accountId: recipient.accountId,
            webhookId: message.webhookId,
            payload: message.payload,
            ...fields,
          },
          update: fields,
        });
      };
      const attemptsSoFar = () => tx.deliveryAttempt.count({ where: key });

      if (recipient.unreachable !== undefined) {
        await record('dead', await attemptsSoFar());
        return 'dead';
      }

      const startedAt = new Date();
      const result: AttemptResult = await channel.send(recipient, message, tx);
      await tx.deliveryAttempt.create({
        data: {
          id: newId(),
          ...key,
          eventType: input.eventType,
          accountId: recipient.accountId,
          webhookId: message.webhookId,
          startedAt,
          latencyMs: result.latencyMs,
          status: result.status,
          succeeded: result.succeeded,
          responseExcerpt: result.responseExcerpt,
          error: result.error,
        },
      });
      await channel.afterAttempt?.(tx, recipient, result);
      if (result.succeeded) {
        await record('delivered', await attemptsSoFar());
        return 'delivered';
      }
      if (input.finalAttempt) {
        await record('dead', await attemptsSoFar());
        return 'dead';
      }
      return 'failed';
    },
    // The lock waits for a concurrent copy's whole send; the send itself is bounded.
    { maxWait: options.sendTimeoutMs + 10_000, timeout: 2 * options.sendTimeoutMs + 10_000 },
  );
}
