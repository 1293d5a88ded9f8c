import { derivedId, type EventOf } from '@shelfwatch/contracts';
import { enqueueOutboxEvents, type Alert, type Prisma } from '@shelfwatch/db';
import { ANALYTICS_OUTBOX_PUBLISHER } from '../consumers';
import type { AlertRecipient } from './alert-rules';
import { alertRaisedEventOf, type AlertedProduct } from './alert-raised-event';
import { priceChangedEventOf, publishableKind, type EventContext } from './price-changed-event';

type Tx = Prisma.TransactionClient;

/** The events announcing alerts, as written to the outbox. */
export type AnnouncementEvent = EventOf<'price.changed'> | EventOf<'alert.raised'>;

/** The announcement mark of alerts no watch raised (a target nobody watches). */
const NO_WATCH = '00000000-0000-0000-0000-000000000000';

export interface AnnouncementContext {
  tx: Tx;
  recipients: readonly AlertRecipient[];
  products: ReadonlyMap<string, AlertedProduct>;
  event: EventContext;
  now: () => Date;
}

/**
 * Announces the news among freshly stored alerts, in the same transaction, through the outbox:
 * per product and watch, only alerts observed after the newest one already announced, so a late
 * observation that fills in history stores its alerts but tells nobody old news. Each announced
 * alert gets alert.raised (when a watch raised it) and price.changed (when that can carry its
 * kind), both with ids derived from the alert id. The caller holds the products' locks.
 */
export async function announceNews(
  context: AnnouncementContext,
  alerts: readonly Alert[],
): Promise<AnnouncementEvent[]> {
  const { tx } = context;
  const groups = new Map<string, Alert[]>();
  for (const alert of alerts) {
    const key = `${alert.productId} ${alert.watchId ?? NO_WATCH}`;
    groups.set(key, [...(groups.get(key) ?? []), alert]);
  }
  const events: AnnouncementEvent[] = [];
  const announcedAt = context.now();
  for (const group of groups.values()) {
    const { productId, watchId } = group[0]!;
    const watchKey = watchId ?? NO_WATCH;
    const mark = await tx.alertAnnouncement.findUnique({
      where: { productId_watchKey: { productId, watchKey } },
    });
    const news = group.filter((alert) => !mark || alert.observedAt > mark.observedAt);
    if (news.length === 0) continue;
    const newest = news.reduce((a, b) => (b.observedAt > a.observedAt ? b : a));
    await tx.alertAnnouncement.upsert({
      where: { productId_watchKey: { productId, watchKey } },
      create: { productId, watchKey, observedAt: newest.observedAt, alertId: newest.id },
      update: { observedAt: newest.observedAt, alertId: newest.id },
    });
    const recipient = context.recipients.find((candidate) => candidate.watchId === watchId);
    const product = context.products.get(productId)!;
    for (const alert of news) {
      const announced = await tx.alert.update({
        where: { id: alert.id },
        data: {
          announcedAt,
          eventId:
            publishableKind(alert.kind) !== null && alert.currentAmount !== null
              ? derivedId(alert.id, 'price.changed')
              : null,
        },
      });
      const raised = recipient && alertRaisedEventOf(announced, recipient, product, context.event);
      if (raised) events.push(raised);
      const changed = priceChangedEventOf(announced, product.url, context.event);
      if (changed) events.push(changed);
    }
  }
  await enqueueOutboxEvents(
    tx,
    ANALYTICS_OUTBOX_PUBLISHER,
    events.map((event) => ({
      eventId: event.id,
      eventType: event.type,
      payload: event as unknown as Prisma.InputJsonValue,
    })),
  );
  return events;
}
