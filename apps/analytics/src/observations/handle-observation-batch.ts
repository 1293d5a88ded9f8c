import { newId as defaultNewId, type EventOf, type Offer } from '@shelfwatch/contracts';
import { Prisma, type Alert, type PrismaClient } from '@shelfwatch/db';
import { ANALYTICS_EVENT_SOURCE, consumers } from '../consumers';
import type { AlertedProduct } from './alert-raised-event';
import { announceNews } from './announcements';
import { anyChange } from './change-detection';
import { judgingTargets, type JudgingTarget } from './judging-targets';
import {
  handleObservationRecorded,
  type ObservationHandlerOptions,
  type ObservationOutcome,
} from './handle-observation-recorded';
import { distinctOffers, observedState } from './observed-offers';
import type { EventContext } from './price-changed-event';
import type { HistoryPoint } from './price-history';
import { identityKey, productIdentity, type ProductIdentity } from './product-identity';
import { planPointAlerts, type PointJudgement } from './stored-alerts';

type Tx = Prisma.TransactionClient;
type ObservationEvent = EventOf<'observation.recorded'>;

/** What became of one event of a batch, in the order the batch gave them. */
export type ObservationBatchResult =
  { ok: true; outcome: ObservationOutcome } | { ok: false; error: unknown };

export interface ObservationBatchOptions extends ObservationHandlerOptions {
  /** Told when a batch transaction failed and its events are applied one by one instead. */
  onFallback?: (error: unknown, events: number) => void;
}

const duplicateOutcome: ObservationOutcome = {
  duplicate: true,
  events: [],
  pricePoints: 0,
  alerts: 0,
};

/**
 * Applies a batch of observations with the effect of applying each on its own
 * (`handleObservationRecorded`), in ONE transaction of a few set-based statements: one inbox insert
 * for the batch, one statement each for runs, target health, products (created or locked, in
 * identity order), price points, the neighbours of every new point, alerts and announcements.
 * Alerts stay a function of the history ordered by observation time (ADR 0014): each new point is
 * judged against its predecessor in the merged history and its successor re-judged against it.
 *
 * Not-modified checks (which repeat a product's state as of the check) are applied one by one after
 * the batch commits. When the batch transaction fails for any reason (an event its statements
 * cannot take, a deadlock, a lost connection), every event of it is applied on its own, so one
 * poison event fails alone and the others are applied; nothing is dropped (ADR 0025).
 */
export async function handleObservationBatch(
  prisma: PrismaClient,
  events: readonly ObservationEvent[],
  options: ObservationBatchOptions = {},
): Promise<ObservationBatchResult[]> {
  const results: ObservationBatchResult[] = new Array(events.length);
  const firstOf = new Map<string, number>();
  const batched: number[] = [];
  const oneByOne: number[] = [];
  const repeats: number[] = [];
  events.forEach((event, index) => {
    if (firstOf.has(event.id)) {
      // The same event twice in one batch: a redelivery; the first copy carries its effect.
      repeats.push(index);
      return;
    }
    firstOf.set(event.id, index);
    (event.data.notModified ? oneByOne : batched).push(index);
  });

  if (batched.length > 1) {
    try {
      const outcomes = await applyBatch(
        prisma,
        batched.map((index) => events[index]!),
        options,
      );
      batched.forEach((index, position) => {
        results[index] = { ok: true, outcome: outcomes[position]! };
      });
    } catch (error) {
      options.onFallback?.(error, batched.length);
      oneByOne.unshift(...batched);
    }
  } else oneByOne.unshift(...batched);

  for (const index of oneByOne) {
    try {
      results[index] = {
        ok: true,
        outcome: await handleObservationRecorded(prisma, events[index]!, options),
      };
    } catch (error) {
      results[index] = { ok: false, error };
    }
  }
  // A repeat shares its first copy's fate: acking it while the first copy is retried could ack
  // the very message (one Pub/Sub message leased twice) and lose the event.
  for (const index of repeats) {
    const first = results[firstOf.get(events[index]!.id)!]!;
    results[index] = first.ok ? { ok: true, outcome: duplicateOutcome } : first;
  }
  return results;
}

/** One offer of one event of the batch: a new point of a product's history. */
interface NewPoint {
  event: ObservationEvent;
  position: number;
  identity: ProductIdentity;
  key: string;
  offer: Offer;
  state: ReturnType<typeof observedState>;
  point: HistoryPoint;
  pointId: string;
  productId?: string;
}

const byKey =
  <T>(key: (item: T) => string) =>
  (a: T, b: T) =>
    key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0;

/** History order: observation time, then event id (ADR 0014). */
const historyOrder = (a: HistoryPoint, b: HistoryPoint): number =>
  a.observedAt.getTime() - b.observedAt.getTime() ||
  (a.sourceEventId < b.sourceEventId ? -1 : a.sourceEventId > b.sourceEventId ? 1 : 0);

async function applyBatch(
  prisma: PrismaClient,
  events: readonly ObservationEvent[],
  options: ObservationHandlerOptions,
): Promise<ObservationOutcome[]> {
  const newId = options.newId ?? defaultNewId;
  const now = options.now ?? (() => new Date());
  const source = options.source ?? ANALYTICS_EVENT_SOURCE;
  return prisma.$transaction(
    async (tx) => {
      // 1. The inbox, in event id order so concurrent batches never wait on each other in a cycle.
      const ids = events.map((event) => event.id).sort();
      const inserted = await tx.$queryRawUnsafe<Array<{ event_id: string }>>(
        `INSERT INTO processed_events (consumer, event_id, event_type)
           SELECT $1, e.id, $2 FROM unnest($3::uuid[]) WITH ORDINALITY AS e(id, ord) ORDER BY e.ord
         ON CONFLICT DO NOTHING RETURNING event_id::text`,
        consumers.observationRecorded,
        'observation.recorded',
        ids,
      );
      const fresh = new Set(inserted.map((row) => row.event_id));
      const applied = events
        .map((event, position) => ({ event, position }))
        .filter(({ event }) => fresh.has(event.id));
      const outcomes: ObservationOutcome[] = events.map(() => ({ ...duplicateOutcome }));
      for (const { position } of applied)
        outcomes[position] = { duplicate: false, events: [], pricePoints: 0, alerts: 0 };
      if (applied.length === 0) return outcomes;

      const judgingTargetOf = await judgingTargets(
        tx,
        applied.map(({ event }) => event.data.targetId),
        options.defaultThresholds ?? anyChange,
      );
      const targetOf = (event: ObservationEvent): JudgingTarget =>
        judgingTargetOf(event.data.targetId);

      await endRuns(
        tx,
        applied.map(({ event }) => event),
      );
      await recordChecksSucceeded(
        tx,
        applied.map(({ event }) => event).filter((event) => targetOf(event).targetId !== null),
      );

      // 2. The new points: one per product identity per event.
      const points: NewPoint[] = [];
      for (const { event, position } of applied) {
        const observedAt = new Date(event.data.fetchedAt);
        for (const { identity, offer } of distinctOffers(event.data.offers, event.data.finalUrl)) {
          const state = observedState(offer);
          points.push({
            event,
            position,
            identity,
            key: identityKey(identity),
            offer,
            state,
            point: { sourceEventId: event.id, observedAt, state },
            pointId: newId(),
          });
        }
      }
      const byIdentity = new Map<string, NewPoint[]>();
      for (const point of points)
        byIdentity.set(point.key, [...(byIdentity.get(point.key) ?? []), point]);
      for (const group of byIdentity.values()) group.sort((a, b) => historyOrder(a.point, b.point));

      // 3. Products created or locked, in identity order (the order every handler locks them in).
      const products = await lockOrCreateProducts(tx, byIdentity, targetOf, newId);
      for (const point of points) point.productId = products.get(point.key)!.id;
      await insertPricePoints(tx, points);

      // 4. Neighbours in the merged history; judge every new point and re-judge its successor.
      const neighbours = await neighboursOfPoints(tx, points);
      const newPointKeys = new Set(points.map((p) => `${p.productId} ${p.event.id}`));
      const judgements: Array<PointJudgement & { position: number; eventContext: EventContext }> =
        [];
      const newestHasSuccessor = new Map<string, boolean>();
      points.forEach((point, index) => {
        const { previous, next } = neighbours[index]!;
        const target = targetOf(point.event);
        const eventContext = contextOf(point.event, source);
        const base = {
          productId: point.productId!,
          targetId: target.targetId,
          recipients: target.recipients,
          position: point.position,
          eventContext,
        };
        judgements.push({ ...base, point: point.point, previous: previous?.state ?? null });
        if (next && !newPointKeys.has(`${point.productId} ${next.sourceEventId}`))
          judgements.push({ ...base, point: next, previous: point.state });
        const group = byIdentity.get(point.key)!;
        if (group.at(-1) === point) newestHasSuccessor.set(point.key, next !== null);
      });

      // 5. Stored alerts made what the history implies.
      const stored =
        judgements.length === 0
          ? []
          : await tx.alert.findMany({
              where: {
                OR: uniquePairs(judgements).map(([productId, sourceEventId]) => ({
                  productId,
                  sourceEventId,
                })),
              },
            });
      const stale: string[] = [];
      const missing: Array<{
        row: Prisma.AlertCreateManyInput;
        judgement: (typeof judgements)[number];
      }> = [];
      for (const judgement of judgements) {
        const plan = planPointAlerts(judgement, stored, { newId, now });
        stale.push(...plan.stale);
        for (const row of plan.missing) missing.push({ row, judgement });
      }
      if (stale.length > 0) await tx.alert.deleteMany({ where: { id: { in: stale } } });
      const created: Alert[] =
        missing.length === 0
          ? []
          : await tx.alert.createManyAndReturn({ data: missing.map(({ row }) => row) });
      const judgementOf = new Map(missing.map(({ row, judgement }) => [row.id!, judgement]));
      for (const alert of created) outcomes[judgementOf.get(alert.id)!.position]!.alerts++;

      // 6. Products' latest state and last change, then the news through the outbox.
      const alerted = await updateProducts(tx, byIdentity, products, newestHasSuccessor, targetOf);
      const announced = await announceNews(
        {
          tx,
          recipientOf: (alert) =>
            judgementOf.get(alert.id)!.recipients.find((r) => r.watchId === alert.watchId),
          products: alerted,
          eventOf: (alert) => judgementOf.get(alert.id)!.eventContext,
          now,
        },
        created,
      );
      for (const [alertId, own] of announced)
        outcomes[judgementOf.get(alertId)!.position]!.events.push(...own);
      for (const point of points) outcomes[point.position]!.pricePoints++;

      await recordPrimaryProducts(tx, applied, products, targetOf);
      return outcomes;
    },
    { timeout: options.transactionTimeoutMs ?? 30_000 },
  );
}

function contextOf(event: ObservationEvent, source: string): EventContext {
  return {
    source,
    ...(event.traceparent ? { traceparent: event.traceparent } : {}),
    ...(event.correlationId ? { correlationId: event.correlationId } : {}),
  };
}

function uniquePairs(judgements: readonly PointJudgement[]): Array<[string, string]> {
  const pairs = new Map<string, [string, string]>();
  for (const { productId, point } of judgements)
    pairs.set(`${productId} ${point.sourceEventId}`, [productId, point.sourceEventId]);
  return [...pairs.values()];
}

/** Whichever delivery of a run comes first ends it (as `handleObservationRecorded` does). */
async function endRuns(tx: Tx, events: readonly ObservationEvent[]): Promise<void> {
  const runs = new Map<string, ObservationEvent>();
  for (const event of events) if (!runs.has(event.data.runId)) runs.set(event.data.runId, event);
  const ordered = [...runs.values()].sort(byKey((event) => event.data.runId));
  await tx.$executeRawUnsafe(
    `UPDATE scrape_runs AS r
        SET status = 'succeeded', started_at = COALESCE(u.started_at, r.started_at),
            finished_at = u.finished_at, http_status = u.http_status,
            error_class = NULL, error_message = NULL
       FROM unnest($1::uuid[], $2::timestamptz[], $3::timestamptz[], $4::int[])
            AS u(id, started_at, finished_at, http_status)
      WHERE r.id = u.id AND r.status <> 'succeeded'`,
    ordered.map((event) => event.data.runId),
    ordered.map((event) => (event.data.startedAt ? new Date(event.data.startedAt) : null)),
    ordered.map((event) => new Date(event.data.fetchedAt)),
    ordered.map((event) => event.data.httpStatus),
  );
}

/**
 * A successful check per target, as `recordCheckSucceeded` would record each: the newest success
 * ends the failure streaks unless a newer failure is recorded, and the validators come from the
 * newest check only (the first of equal times, as one by one).
 */
async function recordChecksSucceeded(tx: Tx, events: readonly ObservationEvent[]): Promise<void> {
  if (events.length === 0) return;
  const newest = new Map<string, ObservationEvent>();
  for (const event of events) {
    const seen = newest.get(event.data.targetId);
    if (!seen || new Date(event.data.fetchedAt) > new Date(seen.data.fetchedAt))
      newest.set(event.data.targetId, event);
  }
  const ordered = [...newest.values()].sort(byKey((event) => event.data.targetId));
  await tx.$executeRawUnsafe(
    `INSERT INTO target_health AS h (target_id, last_success_at, etag, last_modified, validators_at, updated_at)
       SELECT u.target_id, u.at, u.etag, u.last_modified, u.at, now()
         FROM unnest($1::uuid[], $2::timestamptz[], $3::text[], $4::text[]) WITH ORDINALITY
              AS u(target_id, at, etag, last_modified, ord)
        ORDER BY u.ord
     ON CONFLICT (target_id) DO UPDATE SET
       last_success_at = GREATEST(h.last_success_at, EXCLUDED.last_success_at),
       consecutive_failures = CASE WHEN h.last_failure_at IS NULL OR h.last_failure_at < EXCLUDED.last_success_at
                                   THEN 0 ELSE h.consecutive_failures END,
       consecutive_gone = CASE WHEN h.last_failure_at IS NULL OR h.last_failure_at < EXCLUDED.last_success_at
                               THEN 0 ELSE h.consecutive_gone END,
       etag = CASE WHEN h.validators_at IS NULL OR h.validators_at < EXCLUDED.validators_at
                   THEN EXCLUDED.etag ELSE h.etag END,
       last_modified = CASE WHEN h.validators_at IS NULL OR h.validators_at < EXCLUDED.validators_at
                            THEN EXCLUDED.last_modified ELSE h.last_modified END,
       validators_at = GREATEST(h.validators_at, EXCLUDED.validators_at),
       updated_at = now()`,
    ordered.map((event) => event.data.targetId),
    ordered.map((event) => new Date(event.data.fetchedAt)),
    ordered.map((event) => event.data.etag ?? null),
    ordered.map((event) => event.data.lastModified ?? null),
  );
}

interface ProductRow {
  id: string;
  canonical_url: string;
  variant_key: string;
  created: boolean;
  target_id: string | null;
  url: string;
  name: string | null;
  brand: string | null;
  sku: string | null;
  gtin: string | null;
  mpn: string | null;
  image: string | null;
  currency: string | null;
  latest_observed_at: Date;
  first_seen_at: Date;
}

const text = (value: Prisma.Decimal | null): string | null =>
  value === null ? null : value.toFixed();

/**
 * Creates the products first seen in this batch and locks every product the batch touches, in one
 * upsert fed in identity order: `ON CONFLICT DO UPDATE` locks an existing row as it meets it, so
 * concurrent batches (and single observations, which lock in the same order) never deadlock. A new
 * product starts as its earliest point in the batch; `updateProducts` sets its final state.
 */
async function lockOrCreateProducts(
  tx: Tx,
  byIdentity: ReadonlyMap<string, NewPoint[]>,
  targetOf: (event: ObservationEvent) => JudgingTarget,
  newId: () => string,
): Promise<Map<string, ProductRow>> {
  const keys = [...byIdentity.keys()].sort();
  const firsts = keys.map((key) => byIdentity.get(key)![0]!);
  const rows = await tx.$queryRawUnsafe<ProductRow[]>(
    `INSERT INTO products AS p (id, target_id, url, canonical_url, variant_key, host, currency,
                                latest_price, latest_list_price, latest_availability,
                                latest_observed_at, first_seen_at, updated_at)
       SELECT u.id, u.target_id, u.url, u.canonical_url, u.variant_key, u.host, u.currency,
              u.latest_price, u.latest_list_price, u.latest_availability::availability,
              u.at, u.at, now()
         FROM unnest($1::uuid[], $2::uuid[], $3::text[], $4::text[], $5::text[], $6::text[],
                     $7::text[], $8::numeric[], $9::numeric[], $10::text[], $11::timestamptz[])
              WITH ORDINALITY
              AS u(id, target_id, url, canonical_url, variant_key, host, currency, latest_price,
                   latest_list_price, latest_availability, at, ord)
        ORDER BY u.ord
     ON CONFLICT (canonical_url, variant_key) DO UPDATE SET canonical_url = p.canonical_url
     RETURNING p.id::text, p.canonical_url, p.variant_key, (p.xmax = 0) AS created,
               p.target_id::text, p.url, p.name, p.brand, p.sku, p.gtin, p.mpn, p.image, p.currency,
               p.latest_observed_at, p.first_seen_at`,
    firsts.map(() => newId()),
    firsts.map((first) => targetOf(first.event).targetId),
    firsts.map((first) => first.event.data.finalUrl),
    firsts.map((first) => first.identity.canonicalUrl),
    firsts.map((first) => first.identity.variantKey),
    firsts.map((first) => first.identity.host),
    firsts.map((first) => first.state.currency),
    firsts.map((first) => text(first.state.amount)),
    firsts.map((first) => text(first.state.listPrice)),
    firsts.map((first) => first.state.availability),
    firsts.map((first) => first.point.observedAt),
  );
  return new Map(rows.map((row) => [identityKey({ ...identityOf(row), host: '' }), row]));
}

const identityOf = (row: ProductRow) => ({
  canonicalUrl: row.canonical_url,
  variantKey: row.variant_key,
});

async function insertPricePoints(tx: Tx, points: readonly NewPoint[]): Promise<void> {
  if (points.length === 0) return;
  await tx.$executeRawUnsafe(
    `INSERT INTO price_points (id, product_id, run_id, observed_at, amount, currency, list_price,
                               availability, not_modified, source_event_id)
       SELECT u.id, u.product_id, u.run_id, u.observed_at, u.amount, u.currency, u.list_price,
              u.availability::availability, false, u.source_event_id
         FROM unnest($1::uuid[], $2::uuid[], $3::uuid[], $4::timestamptz[], $5::numeric[],
                     $6::text[], $7::numeric[], $8::text[], $9::uuid[])
              AS u(id, product_id, run_id, observed_at, amount, currency, list_price,
                   availability, source_event_id)`,
    points.map((p) => p.pointId),
    points.map((p) => p.productId),
    points.map((p) => p.event.data.runId),
    points.map((p) => p.point.observedAt),
    points.map((p) => text(p.state.amount)),
    points.map((p) => p.state.currency),
    points.map((p) => text(p.state.listPrice)),
    points.map((p) => p.state.availability),
    points.map((p) => p.event.id),
  );
}

interface NeighbourRow {
  ord: bigint | number;
  prev_event: string | null;
  prev_at: Date | null;
  prev_amount: string | null;
  prev_currency: string | null;
  prev_availability: string | null;
  next_event: string | null;
  next_at: Date | null;
  next_amount: string | null;
  next_currency: string | null;
  next_availability: string | null;
}

/**
 * For every new point, the observed points right before and after it in its product's history,
 * every new point of the batch included (the same order and exclusions as `neighboursOf`).
 */
async function neighboursOfPoints(
  tx: Tx,
  points: readonly NewPoint[],
): Promise<Array<{ previous: HistoryPoint | null; next: HistoryPoint | null }>> {
  if (points.length === 0) return [];
  const rows = await tx.$queryRawUnsafe<NeighbourRow[]>(
    `SELECT n.ord,
            prev.source_event_id::text AS prev_event, prev.observed_at AS prev_at,
            prev.amount::text AS prev_amount, prev.currency AS prev_currency,
            prev.availability::text AS prev_availability,
            nxt.source_event_id::text AS next_event, nxt.observed_at AS next_at,
            nxt.amount::text AS next_amount, nxt.currency AS next_currency,
            nxt.availability::text AS next_availability
       FROM unnest($1::uuid[], $2::timestamptz[], $3::uuid[]) WITH ORDINALITY
            AS n(product_id, observed_at, source_event_id, ord)
       LEFT JOIN LATERAL (
         SELECT source_event_id, observed_at, amount, currency, availability FROM price_points
          WHERE product_id = n.product_id AND NOT not_modified
            AND (observed_at, source_event_id) < (n.observed_at, n.source_event_id)
          ORDER BY observed_at DESC, source_event_id DESC LIMIT 1) AS prev ON true
       LEFT JOIN LATERAL (
         SELECT source_event_id, observed_at, amount, currency, availability FROM price_points
          WHERE product_id = n.product_id AND NOT not_modified
            AND (observed_at, source_event_id) > (n.observed_at, n.source_event_id)
          ORDER BY observed_at, source_event_id LIMIT 1) AS nxt ON true
      ORDER BY n.ord`,
    points.map((p) => p.productId),
    points.map((p) => p.point.observedAt),
    points.map((p) => p.event.id),
  );
  const pointOf = (
    event: string | null,
    at: Date | null,
    amount: string | null,
    currency: string | null,
    availability: string | null,
  ): HistoryPoint | null =>
    event === null || at === null
      ? null
      : {
          sourceEventId: event,
          observedAt: at,
          state: {
            amount: amount === null ? null : new Prisma.Decimal(amount),
            currency,
            availability: availability as HistoryPoint['state']['availability'],
          },
        };
  return rows.map((row) => ({
    previous: pointOf(
      row.prev_event,
      row.prev_at,
      row.prev_amount,
      row.prev_currency,
      row.prev_availability,
    ),
    next: pointOf(
      row.next_event,
      row.next_at,
      row.next_amount,
      row.next_currency,
      row.next_availability,
    ),
  }));
}

const later = (a: Date, b: Date): Date => (a > b ? a : b);
const earlier = (a: Date, b: Date): Date => (a < b ? a : b);

/**
 * Every touched product's state after the batch, in one statement: the newest point of the batch
 * sets the latest state only when it is the newest of the history (as one by one, where a late
 * point touches history only), identity fields fall back from the newest point to older ones and
 * then the stored row, the earliest sighting moves back, and `last_changed_at` is recomputed from
 * the ordered history (as `refreshLastChange`). Returns what alerts need of each product.
 */
async function updateProducts(
  tx: Tx,
  byIdentity: ReadonlyMap<string, NewPoint[]>,
  products: ReadonlyMap<string, ProductRow>,
  newestHasSuccessor: ReadonlyMap<string, boolean>,
  targetOf: (event: ObservationEvent) => JudgingTarget,
): Promise<Map<string, AlertedProduct>> {
  const updates = [...byIdentity.entries()].map(([key, group]) => {
    const row = products.get(key)!;
    const newest = group.at(-1)!;
    const firstSeenAt = earlier(row.first_seen_at, group[0]!.point.observedAt);
    const latest = row.created || !newestHasSuccessor.get(key);
    const newestFirst = [...group].reverse();
    const pick = (field: 'name' | 'brand' | 'sku' | 'gtin' | 'mpn' | 'image') =>
      newestFirst.map((p) => p.offer[field]).find((value) => value != null) ?? row[field];
    if (!latest)
      return { row, latest, firstSeenAt, url: row.url, name: row.name, newest, pick: null };
    return {
      row,
      latest,
      firstSeenAt,
      url: newest.event.data.finalUrl,
      name: pick('name'),
      newest,
      pick,
    };
  });
  const latestOnes = updates.filter((update) => update.latest);
  const column = <T>(value: (update: (typeof latestOnes)[number]) => T) => latestOnes.map(value);
  if (latestOnes.length > 0)
    await tx.$executeRawUnsafe(
      `UPDATE products AS p
          SET target_id = COALESCE(u.target_id, p.target_id), url = u.url, name = u.name,
              brand = u.brand, sku = u.sku, gtin = u.gtin, mpn = u.mpn, image = u.image,
              attributes = COALESCE(u.attributes, p.attributes), currency = u.currency,
              latest_price = u.latest_price, latest_list_price = u.latest_list_price,
              latest_availability = u.latest_availability::availability,
              latest_observed_at = u.latest_observed_at, first_seen_at = u.first_seen_at,
              updated_at = now()
         FROM unnest($1::uuid[], $2::uuid[], $3::text[], $4::text[], $5::text[], $6::text[],
                     $7::text[], $8::text[], $9::text[], $10::jsonb[], $11::text[],
                     $12::numeric[], $13::numeric[], $14::text[], $15::timestamptz[],
                     $16::timestamptz[])
              AS u(id, target_id, url, name, brand, sku, gtin, mpn, image, attributes, currency,
                   latest_price, latest_list_price, latest_availability, latest_observed_at,
                   first_seen_at)
        WHERE p.id = u.id`,
      column((u) => u.row.id),
      column((u) => targetOf(u.newest.event).targetId),
      column((u) => u.url),
      column((u) => u.name),
      column((u) => u.pick!('brand')),
      column((u) => u.pick!('sku')),
      column((u) => u.pick!('gtin')),
      column((u) => u.pick!('mpn')),
      column((u) => u.pick!('image')),
      column((u) => {
        const attributes = [...byIdentity.get(identityKey({ ...identityOf(u.row), host: '' }))!]
          .reverse()
          .map((p) => p.offer.attributes)
          .find((value) => value !== undefined);
        return attributes === undefined ? null : JSON.stringify(attributes);
      }),
      column(
        (u) =>
          [...byIdentity.get(identityKey({ ...identityOf(u.row), host: '' }))!]
            .reverse()
            .map((p) => p.state.currency)
            .find((value) => value !== null) ?? u.row.currency,
      ),
      column((u) => text(u.newest.state.amount)),
      column((u) => text(u.newest.state.listPrice)),
      column((u) => u.newest.state.availability),
      column((u) => later(u.row.latest_observed_at, u.newest.point.observedAt)),
      column((u) => u.firstSeenAt),
    );
  const ids = updates.map((update) => update.row.id);
  await tx.$executeRawUnsafe(
    `UPDATE products AS p
        SET first_seen_at = LEAST(p.first_seen_at, u.first_seen_at),
            last_changed_at = (
              SELECT max(observed_at)
                FROM (SELECT observed_at,
                             ROW(amount, currency, availability) IS DISTINCT FROM
                               lag(ROW(amount, currency, availability)) OVER (ORDER BY observed_at, id) AS changed
                        FROM price_points WHERE product_id = p.id) AS history
               WHERE changed)
       FROM unnest($1::uuid[], $2::timestamptz[]) AS u(id, first_seen_at)
      WHERE p.id = u.id`,
    ids,
    updates.map((update) => update.firstSeenAt),
  );
  return new Map(updates.map((update) => [update.row.id, { url: update.url, name: update.name }]));
}

/** Which product each target's page is about, from its newest observation only. */
async function recordPrimaryProducts(
  tx: Tx,
  applied: ReadonlyArray<{ event: ObservationEvent }>,
  products: ReadonlyMap<string, ProductRow>,
  targetOf: (event: ObservationEvent) => JudgingTarget,
): Promise<void> {
  const newest = new Map<string, { at: Date; productId: string }>();
  for (const { event } of applied) {
    if (targetOf(event).targetId === null) continue;
    const primary = event.data.offers[event.data.primaryOffer ?? 0];
    if (!primary) continue;
    const product = products.get(identityKey(productIdentity(primary, event.data.finalUrl)));
    if (!product) continue;
    const at = new Date(event.data.fetchedAt);
    const seen = newest.get(event.data.targetId);
    if (!seen || at > seen.at) newest.set(event.data.targetId, { at, productId: product.id });
  }
  if (newest.size === 0) return;
  const ordered = [...newest.entries()].sort(byKey(([targetId]) => targetId));
  await tx.$executeRawUnsafe(
    `UPDATE target_health AS h SET primary_product_id = u.product_id, primary_observed_at = u.at,
            updated_at = now()
       FROM unnest($1::uuid[], $2::uuid[], $3::timestamptz[]) AS u(target_id, product_id, at)
      WHERE h.target_id = u.target_id
        AND (h.primary_observed_at IS NULL OR h.primary_observed_at < u.at)`,
    ordered.map(([targetId]) => targetId),
    ordered.map(([, seen]) => seen.productId),
    ordered.map(([, seen]) => seen.at),
  );
}
