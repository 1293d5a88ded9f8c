import { derivedId, type EventOf } from '@shelfwatch/contracts';
import { outboxInsert, type Alert, type Prisma } from '@shelfwatch/db';
import { ANALYTICS_OUTBOX_PUBLISHER } from '../consumers';
import type { AlertRecipient } from './alert-rules';
import { alertRaisedEventOf, type AlertedProduct } from './alert-raised-event';
import { priceChangedEventOf, publishableKind, type EventContext } from './price-changed-event';
import { records, type Sql } from './sql';

/** The events announcing alerts, as written to the outbox. */
export type AnnouncementEvent = EventOf<'price.changed'> | EventOf<'alert.raised'>;

/** The announcement mark of alerts no watch raised (a target nobody watches). */
const NO_WATCH = '00000000-0000-0000-0000-000000000000';

export interface AnnouncementContext {
  sql: Sql;
  /** The recipient whose rules raised a stored alert (by its watch). */
  recipientOf: (alert: Alert) => AlertRecipient | undefined;
  products: ReadonlyMap<string, AlertedProduct>;
  /** The trace context of the observation that stored an alert. */
  eventOf: (alert: Alert) => EventContext;
  now: () => Date;
}

/** Which of some alerts are news, with the announcement marks they move (`newsAmong`). */
export interface News {
  /** The alerts to announce, as they read once announced. */
  announced: Alert[];
  marks: Array<{ productId: string; watchKey: string; observedAt: Date; alertId: string }>;
}

/**
 * Announces the news among freshly stored alerts, in the same transaction, through the outbox:
 * per product and watch, only alerts observed after the newest one already announced, so a late
 * observation that fills in history stores its alerts but tells nobody old news. Each announced
 * alert gets alert.raised (when a watch raised it) and price.changed (when that can carry its
 * kind), both with ids derived from the alert id. A few statements for any number of alerts: the
 * marks are read, moved and the alerts marked as announced in one statement each. The caller
 * holds the products' locks. Returns the events by the alert they announce.
 */
export async function announceNews(
  context: AnnouncementContext,
  alerts: readonly Alert[],
): Promise<Map<string, AnnouncementEvent[]>> {
  const news = await newsAmong(context, alerts);
  if (news.announced.length > 0)
    await context.sql(
      `UPDATE alerts AS a SET announced_at = u.announced_at, event_id = u.event_id
         FROM jsonb_to_recordset($1::jsonb) AS u(id uuid, announced_at timestamptz, event_id uuid)
        WHERE a.id = u.id`,
      [
        records(
          news.announced.map((alert) => ({
            id: alert.id,
            announced_at: alert.announcedAt,
            event_id: alert.eventId,
          })),
        ),
      ],
    );
  return recordNews(context, news);
}

/**
 * The news among alerts not yet announced, stored or about to be (one read of the marks): per
 * product and watch, the alerts observed after the newest one announced so far, each as it reads
 * once announced (`announcedAt`, and the id of its price.changed event when that can carry it).
 * Storing alerts already announced saves writing each twice (ADR 0045); `recordNews` then moves
 * the marks and writes the events.
 */
export async function newsAmong(
  context: Pick<AnnouncementContext, 'sql' | 'now'>,
  alerts: readonly Alert[],
): Promise<News> {
  if (alerts.length === 0) return { announced: [], marks: [] };
  const { sql } = context;
  const groups = new Map<string, { productId: string; watchKey: string; alerts: Alert[] }>();
  for (const alert of alerts) {
    const watchKey = alert.watchId ?? NO_WATCH;
    const key = `${alert.productId} ${watchKey}`;
    const group = groups.get(key) ?? { productId: alert.productId, watchKey, alerts: [] };
    group.alerts.push(alert);
    groups.set(key, group);
  }
  const stored = await sql<{ product_id: string; watch_key: string; observed_at: Date }>(
    `SELECT a.product_id::text, a.watch_key::text, a.observed_at
       FROM alert_announcements AS a
       JOIN jsonb_to_recordset($1::jsonb) AS g(product_id uuid, watch_key uuid)
         ON a.product_id = g.product_id AND a.watch_key = g.watch_key`,
    [
      records(
        [...groups.values()].map(({ productId, watchKey }) => ({
          product_id: productId,
          watch_key: watchKey,
        })),
      ),
    ],
  );
  const markOf = new Map(
    stored.map((mark) => [
      `${mark.product_id} ${mark.watch_key}`,
      { observedAt: mark.observed_at },
    ]),
  );

  const fresh: Alert[] = [];
  const marks: News['marks'] = [];
  for (const [key, group] of groups) {
    const mark = markOf.get(key);
    const own = group.alerts.filter((alert) => !mark || alert.observedAt > mark.observedAt);
    if (own.length === 0) continue;
    const newest = own.reduce((a, b) => (b.observedAt > a.observedAt ? b : a));
    marks.push({
      productId: group.productId,
      watchKey: group.watchKey,
      observedAt: newest.observedAt,
      alertId: newest.id,
    });
    fresh.push(...own);
  }
  const announcedAt = context.now();
  const announced = fresh.map((alert) => ({
    ...alert,
    announcedAt,
    eventId:
      publishableKind(alert.kind) !== null && alert.currentAmount !== null
        ? derivedId(alert.id, 'price.changed')
        : null,
  }));
  return { announced, marks };
}

/**
 * Moves the announcement marks of `news` and writes its events to the outbox, in one statement
 * each; the alerts must be stored as announced already (or in the same transaction). Returns the
 * events by the alert they announce.
 */
export async function recordNews(
  context: AnnouncementContext,
  news: News,
): Promise<Map<string, AnnouncementEvent[]>> {
  const byAlert = new Map<string, AnnouncementEvent[]>();
  if (news.announced.length === 0) return byAlert;
  const { sql } = context;
  await sql(
    `INSERT INTO alert_announcements (product_id, watch_key, observed_at, alert_id, updated_at)
       SELECT m.product_id, m.watch_key, m.observed_at, m.alert_id, now()
         FROM jsonb_to_recordset($1::jsonb)
              AS m(product_id uuid, watch_key uuid, observed_at timestamptz, alert_id uuid, ord int)
        ORDER BY m.ord
     ON CONFLICT (product_id, watch_key) DO UPDATE
       SET observed_at = EXCLUDED.observed_at, alert_id = EXCLUDED.alert_id, updated_at = now()`,
    [
      records(
        news.marks.map((mark, ord) => ({
          product_id: mark.productId,
          watch_key: mark.watchKey,
          observed_at: mark.observedAt,
          alert_id: mark.alertId,
          ord,
        })),
      ),
    ],
  );

  const events: AnnouncementEvent[] = [];
  for (const alert of news.announced) {
    const product = context.products.get(alert.productId)!;
    const recipient = context.recipientOf(alert);
    const eventContext = context.eventOf(alert);
    const own: AnnouncementEvent[] = [];
    const raised = recipient && alertRaisedEventOf(alert, recipient, product, eventContext);
    if (raised) own.push(raised);
    const changed = priceChangedEventOf(alert, product.url, eventContext);
    if (changed) own.push(changed);
    byAlert.set(alert.id, own);
    events.push(...own);
  }
  if (events.length > 0) {
    const outbox = outboxInsert(
      ANALYTICS_OUTBOX_PUBLISHER,
      events.map((event) => ({
        eventId: event.id,
        eventType: event.type,
        payload: event as unknown as Prisma.InputJsonValue,
      })),
    );
    await sql(outbox.text, outbox.values);
  }
  return byAlert;
}
