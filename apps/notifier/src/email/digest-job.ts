import type { AlertRaised } from '@shelfwatch/contracts';
import { Prisma } from '@shelfwatch/db';
import type { Logger } from '@shelfwatch/logging';
import { digestMail, unsubscribeUrl } from '@shelfwatch/mail';
import type { EmailChannelDeps } from './email-channel';

export interface DigestRunResult {
  sent: number;
  failed: number;
  dropped: number;
}

interface DueRecipient {
  recipient_id: string;
}

/**
 * Mails every recipient whose oldest pending alert has waited its digest interval: one digest
 * listing all its pending alerts, oldest first. The pending rows are locked (SKIP LOCKED, so two
 * notifier instances never mail the same digest) and marked sent in the transaction that mails
 * them; a refused mail rolls back and the next run tries again. The state is all in
 * `email_digest_entries`, so a restart loses nothing.
 */
export async function sendDueDigests(
  deps: EmailChannelDeps & { logger: Logger },
  now: Date = new Date(),
): Promise<DigestRunResult> {
  const { prisma } = deps;
  const result: DigestRunResult = { sent: 0, failed: 0, dropped: 0 };
  const due = await prisma.$queryRaw<DueRecipient[]>(Prisma.sql`
    SELECT d.recipient_id
    FROM email_digest_entries d
    LEFT JOIN email_recipients r ON r.id = d.recipient_id
    WHERE d.status = 'pending'
    GROUP BY d.recipient_id, r.digest_interval_minutes
    HAVING min(d.queued_at) <= ${now}::timestamptz
      - make_interval(mins => coalesce(r.digest_interval_minutes, 0))
  `);
  for (const { recipient_id: recipientId } of due) {
    try {
      const outcome = await sendDigest(deps, recipientId, now);
      if (outcome !== 'none') result[outcome] += 1;
    } catch (error) {
      result.failed += 1;
      deps.logger.warn(`Digest to recipient ${recipientId} failed: ${(error as Error).message}`);
    }
  }
  return result;
}

async function sendDigest(
  deps: EmailChannelDeps & { logger: Logger },
  recipientId: string,
  now: Date,
): Promise<'sent' | 'dropped' | 'none'> {
  return deps.prisma.$transaction(
    async (tx) => {
      const rows = await tx.$queryRaw<Array<{ event_id: string; alert: AlertRaised }>>(Prisma.sql`
        SELECT event_id, alert FROM email_digest_entries
        WHERE recipient_id = ${recipientId}::uuid AND status = 'pending'
        ORDER BY queued_at, event_id
        FOR UPDATE SKIP LOCKED
      `);
      if (rows.length === 0) return 'none';
      const eventIds = rows.map((row) => row.event_id);
      const recipient = await tx.emailRecipient.findUnique({ where: { id: recipientId } });
      if (!recipient || !recipient.verifiedAt || recipient.unsubscribedAt) {
        await tx.emailDigestEntry.updateMany({
          where: { recipientId, eventId: { in: eventIds } },
          data: { status: 'dropped' },
        });
        return 'dropped';
      }
      const link = unsubscribeUrl(deps.apiBaseUrl, deps.linkSecret, recipientId);
      await deps.mailer.send({
        to: recipient.address,
        ...digestMail(
          rows.map((row) => row.alert),
          link,
        ),
        unsubscribeUrl: link,
        messageId: `<digest.${eventIds[0]}.${recipientId}@shelfwatch>`,
      });
      await tx.emailDigestEntry.updateMany({
        where: { recipientId, eventId: { in: eventIds } },
        data: { status: 'sent', sentAt: now },
      });
      return 'sent';
    },
    { timeout: 60_000 },
  );
}

/** Runs the digest job every `intervalMs` until stopped; a run never overlaps the previous. */
export function startDigestTimer(
  deps: EmailChannelDeps & { logger: Logger },
  intervalMs: number,
): { stop(): Promise<void> } {
  let running: Promise<unknown> = Promise.resolve();
  const timer = setInterval(() => {
    running = running.then(() =>
      sendDueDigests(deps).catch((error: unknown) =>
        deps.logger.warn(`Digest run failed: ${(error as Error).message}`),
      ),
    );
  }, intervalMs);
  timer.unref();
  return {
    async stop() {
      clearInterval(timer);
      await running;
    },
  };
}
