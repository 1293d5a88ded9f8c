import type { AlertRaised, EventOf } from '@shelfwatch/contracts';
import type { Prisma, PrismaClient } from '@shelfwatch/db';
import { alertMail, unsubscribeUrl, type Mailer, type MailMessage } from '@shelfwatch/mail';
import type { AlertChannel, AttemptResult, PreparedMessage, Recipient } from '../delivery/channel';
import { recipientsForAlert } from './recipients-for-alert';

export interface EmailChannelDeps {
  prisma: PrismaClient;
  mailer: Mailer;
  /** Signs the unsubscribe links (shared with the api, which checks them). */
  linkSecret: string;
  /** The api's public URL: unsubscribe links point there. */
  apiBaseUrl: string;
}

/** An email recipient as the channel hands it to the delivery engine. */
interface EmailTarget extends Recipient {
  address: string;
  digest: boolean;
}

/** What `prepare` fixes for one (event, recipient): a mail, or an entry for the digest. */
type EmailPayload =
  | { kind: 'mail'; mail: MailMessage }
  | { kind: 'digest'; eventId: string; recipientId: string; alert: AlertRaised };

/** A stable Message-ID per (alert event, recipient): a repeat after a lost answer says so. */
export function deliveryMessageId(eventId: string, recipientId: string): string {
  return `<${eventId}.${recipientId}@shelfwatch>`;
}

function smtpCode(error: unknown): number | null {
  const code = (error as { responseCode?: unknown }).responseCode;
  return typeof code === 'number' ? code : null;
}

/**
 * Email as an AlertChannel: the delivery engine (deliver-once.ts) gives it exactly once per
 * (event, recipient), retries through the messaging layer and the attempts log. Confirmed,
 * subscribed recipients only. An `each_alert` recipient gets the alert's mail; for a `digest`
 * recipient "sending" is queueing the alert in email_digest_entries, which the digest job
 * mails later (ON CONFLICT DO NOTHING, so a retried queueing adds nothing).
 */
export function emailChannel(deps: EmailChannelDeps): AlertChannel {
  return {
    name: 'email',

    async recipientsOf(event) {
      const rows = await recipientsForAlert(deps.prisma, event.data);
      return rows.map((row): EmailTarget => ({
        channel: 'email',
        channelId: row.id,
        accountId: row.accountId,
        address: row.address,
        digest: row.deliveryMode === 'digest',
      }));
    },

    prepare(event: EventOf<'alert.raised'>, recipient: Recipient): PreparedMessage {
      // The engine hands back the recipients recipientsOf returned.
      const target = recipient as EmailTarget;
      const payload: EmailPayload = target.digest
        ? { kind: 'digest', eventId: event.id, recipientId: target.channelId, alert: event.data }
        : (() => {
            const link = unsubscribeUrl(deps.apiBaseUrl, deps.linkSecret, target.channelId);
            return {
              kind: 'mail',
              mail: {
                to: target.address,
                ...alertMail(event.data, link),
                unsubscribeUrl: link,
                messageId: deliveryMessageId(event.id, target.channelId),
              },
            };
          })();
      return { payload: JSON.stringify(payload), webhookId: null };
    },

    async send(_recipient, message): Promise<AttemptResult> {
      const payload = JSON.parse(message.payload) as EmailPayload;
      const startedAt = performance.now();
      const latency = () => Math.round(performance.now() - startedAt);
      try {
        if (payload.kind === 'digest') {
          await deps.prisma.emailDigestEntry.createMany({
            data: [
              {
                eventId: payload.eventId,
                recipientId: payload.recipientId,
                alert: payload.alert as unknown as Prisma.InputJsonValue,
              },
            ],
            skipDuplicates: true,
          });
          return {
            succeeded: true,
            status: null,
            latencyMs: latency(),
            responseExcerpt: 'queued for the digest',
            error: null,
          };
        }
        const sent = await deps.mailer.send(payload.mail);
        return {
          succeeded: true,
          status: 250,
          latencyMs: latency(),
          responseExcerpt: sent.response.slice(0, 500),
          error: null,
        };
      } catch (error) {
        return {
          succeeded: false,
          status: smtpCode(error),
          latencyMs: latency(),
          responseExcerpt: null,
          error: (error as Error).message.slice(0, 500),
        };
      }
    },
  };
}
