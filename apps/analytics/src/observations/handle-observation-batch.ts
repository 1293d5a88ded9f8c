import { newId as defaultNewId, type EventOf, type Offer } from '@shelfwatch/contracts';
import { Prisma, sqlPoolOf, withSqlTransaction, type PrismaClient } from '@shelfwatch/db';
import { ANALYTICS_EVENT_SOURCE, consumers } from '../consumers';
import type { AlertedProduct } from './alert-raised-event';
import { alertOfInput, deleteAlerts, insertAlerts, storedAlertsOf } from './alert-rows';
import { newsAmong, recordNews } from './announcements';
import { anyChange, type ObservedState } from './change-detection';
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
import { numericText as text, records, sqlOfClient, type Sql } from './sql';
import { planPointAlerts, type PointJudgement } from './stored-alerts';
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
 * (`handleObservationRecorded`), in ONE transaction of a few set-based statements, run on the pg
 * driver over the Prisma client's own pool (`sqlPoolOf`, ADR 0025): one inbox insert
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

/**
 * How long a batch's transaction waits for a pooled connection (the pool's own wait is 5 s): the
 * batches, the single-observation handlers and the relay share the pool, and on a busy machine a
 * batch that gave up early fell back to one by one, on the same pool, which is slower still. A
 * single observation keeps the short wait: it fails fast and is redelivered with backoff.
 */
const BATCH_CONNECTION_WAIT_MS = 15_000;

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
  return withSqlTransaction(
    sqlPoolOf(prisma),
    {
      maxWaitMs: BATCH_CONNECTION_WAIT_MS,
      statementTimeoutMs: options.transactionTimeoutMs ?? 30_000,
    },
    async (client) => {
      const sql = sqlOfClient(client);
      // 1. The inbox, in event id order so concurrent batches never wait on each other in a cycle.
      const ids = events.map((event) => event.id).sort();
      const inserted = await sql<{ event_id: string }>(
        `INSERT INTO processed_events (consumer, event_id, event_type)
           SELECT $1, e.id, $2 FROM jsonb_to_recordset($3::jsonb) AS e(id uuid, ord int) ORDER BY e.ord
         ON CONFLICT DO NOTHING RETURNING event_id::text`,
        [
          consumers.observationRecorded,
          'observation.recorded',
          records(ids.map((id, ord) => ({ id, ord }))),
        ],
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
        sql,
        applied.map(({ event }) => event.data.targetId),
        options.defaultThresholds ?? anyChange,
      );
      const targetOf = (event: ObservationEvent): JudgingTarget =>
        judgingTargetOf(event.data.targetId);

      await endRuns(
        sql,
        applied.map(({ event }) => event),
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
      const states = new Map(
        [...byIdentity].map(([key, group]) => [key, batchProductState(group)] as const),
      );
      const products = await lockProductsAndAppendPoints(sql, states, points, targetOf, newId);
      for (const point of points) point.productId = products.get(point.key)!.id;

      // 4. Neighbours in the merged history; judge every new point and re-judge its successor.
      const neighbours = await neighboursOfPoints(sql, points);
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
      const stored = await storedAlertsOf(sql, uniquePairs(judgements));
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
      await deleteAlerts(sql, stale);
      // Which new alerts are news is known before they are stored: they are inserted announced.
      const news = await newsAmong(
        { sql, now },
        missing.map(({ row }) => alertOfInput(row)),
      );
      const announcedOf = new Map(news.announced.map((alert) => [alert.id, alert]));
      await insertAlerts(
        sql,
        missing.map(({ row }) => announcedOf.get(row.id!) ?? alertOfInput(row)),
      );
      const judgementOf = new Map(missing.map(({ row, judgement }) => [row.id!, judgement]));
      for (const { judgement } of missing) outcomes[judgement.position]!.alerts++;

      // 6. Products' latest state and last change, the targets' health, then the news.
      const alerted = await finishProductsAndHealth(
        sql,
        applied,
        states,
        products,
        newestHasSuccessor,
        targetOf,
      );
      const announced = await recordNews(
        {
          sql,
          recipientOf: (alert) =>
            judgementOf.get(alert.id)!.recipients.find((r) => r.watchId === alert.watchId),
          products: alerted,
          eventOf: (alert) => judgementOf.get(alert.id)!.eventContext,
          now,
        },
        news,
      );
      for (const [alertId, own] of announced)
        outcomes[judgementOf.get(alertId)!.position]!.events.push(...own);
      for (const point of points) outcomes[point.position]!.pricePoints++;
      return outcomes;
    },
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
async function endRuns(sql: Sql, events: readonly ObservationEvent[]): Promise<void> {
  const runs = new Map<string, ObservationEvent>();
  for (const event of events) if (!runs.has(event.data.runId)) runs.set(event.data.runId, event);
  const ordered = [...runs.values()].sort(byKey((event) => event.data.runId));
  await sql(
    `UPDATE scrape_runs AS r
        SET status = 'succeeded', started_at = COALESCE(u.started_at, r.started_at),
            finished_at = u.finished_at, http_status = u.http_status,
            error_class = NULL, error_message = NULL
       FROM jsonb_to_recordset($1::jsonb)
            AS u(id uuid, started_at timestamptz, finished_at timestamptz, http_status int)
      WHERE r.id = u.id AND r.status <> 'succeeded'`,
    [
      records(
        ordered.map((event) => ({
          id: event.data.runId,
          started_at: event.data.startedAt ? new Date(event.data.startedAt) : null,
          finished_at: new Date(event.data.fetchedAt),
          http_status: event.data.httpStatus,
        })),
      ),
    ],
  );
}

/** One target's health after the batch: its newest check and the product its newest page is about. */
interface HealthUpdate {
  targetId: string;
  checkedAt: Date;
  etag: string | null;
  lastModified: string | null;
  primaryProductId: string | null;
  primaryAt: Date | null;
}

/**
 * A successful check per known target, as `recordCheckSucceeded` would record each (the newest
 * check gives the validators, the first of equal times, as one by one), and which product the
 * target's page is about from its newest observation naming one (as `recordPrimaryProduct`).
 * In target id order, the order the health rows are locked in.
 */
function healthUpdates(
  applied: ReadonlyArray<{ event: ObservationEvent }>,
  products: ReadonlyMap<string, ProductRow>,
  targetOf: (event: ObservationEvent) => JudgingTarget,
): HealthUpdate[] {
  const updates = new Map<string, HealthUpdate>();
  for (const { event } of applied) {
    if (targetOf(event).targetId === null) continue;
    const at = new Date(event.data.fetchedAt);
    const update = updates.get(event.data.targetId) ?? {
      targetId: event.data.targetId,
      checkedAt: at,
      etag: event.data.etag ?? null,
      lastModified: event.data.lastModified ?? null,
      primaryProductId: null,
      primaryAt: null,
    };
    if (at > update.checkedAt) {
      update.checkedAt = at;
      update.etag = event.data.etag ?? null;
      update.lastModified = event.data.lastModified ?? null;
    }
    const primary = event.data.offers[event.data.primaryOffer ?? 0];
    const product =
      primary && products.get(identityKey(productIdentity(primary, event.data.finalUrl)));
    if (product && (update.primaryAt === null || at > update.primaryAt)) {
      update.primaryProductId = product.id;
      update.primaryAt = at;
    }
    updates.set(event.data.targetId, update);
  }
  return [...updates.values()].sort(byKey((update) => update.targetId));
}

type ProductField = 'name' | 'brand' | 'sku' | 'gtin' | 'mpn' | 'image';

/**
 * A product's state after the batch as far as the batch's own points tell it, from its group of
 * new points in history order: the newest point, the earliest, each identity field from the newest
 * point naming it, and the last change among these points. A product created by the batch has
 * no other history, so this is its final state; an existing one falls back to its stored fields.
 */
interface BatchProductState extends Record<ProductField, string | null> {
  first: NewPoint;
  newest: NewPoint;
  attributes: Offer['attributes'] | null;
  currency: string | null;
  /** Only meaningful for a product the batch created (see `lastChangeOf`). */
  lastChangedAt: Date;
}

function batchProductState(group: readonly NewPoint[]): BatchProductState {
  const newestFirst = [...group].reverse();
  const pick = (field: ProductField) =>
    newestFirst.map((p) => p.offer[field]).find((value) => value != null) ?? null;
  return {
    first: group[0]!,
    newest: group.at(-1)!,
    name: pick('name'),
    brand: pick('brand'),
    sku: pick('sku'),
    gtin: pick('gtin'),
    mpn: pick('mpn'),
    image: pick('image'),
    attributes:
      newestFirst.map((p) => p.offer.attributes).find((value) => value !== undefined) ?? null,
    currency: newestFirst.map((p) => p.state.currency).find((value) => value !== null) ?? null,
    lastChangedAt: lastChangeOf(group),
  };
}

/**
 * `last_changed_at` of a history made of these points alone, as `refreshLastChange` computes it:
 * in (observed_at, id) order, the time of the last point whose price, currency or availability
 * differs from the point before (the first point always does). Ids are compared as PostgreSQL
 * orders uuids, by their bytes, which for the lower-case text is the string order.
 */
function lastChangeOf(group: readonly NewPoint[]): Date {
  const ordered = [...group].sort(
    (a, b) =>
      a.point.observedAt.getTime() - b.point.observedAt.getTime() ||
      (a.pointId.toLowerCase() < b.pointId.toLowerCase() ? -1 : 1),
  );
  let last = ordered[0]!.point.observedAt;
  ordered.forEach((p, index) => {
    const before = ordered[index - 1];
    if (!before || !sameState(before.state, p.state)) last = p.point.observedAt;
  });
  return last;
}

const sameState = (a: ObservedState, b: ObservedState): boolean =>
  (a.amount === null ? b.amount === null : b.amount !== null && a.amount.equals(b.amount)) &&
  a.currency === b.currency &&
  a.availability === b.availability;

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

/**
 * Creates the products first seen in this batch, locks every product the batch touches and
 * appends the batch's price points, in one statement. The upsert is fed in identity order: `ON
 * CONFLICT DO UPDATE` locks an existing row as it meets it, so concurrent batches (and single
 * observations, which lock in the same order) never deadlock. A new product is inserted in its
 * final state after the batch (`BatchProductState`, its whole history being the batch's points), so
 * `finishProductsAndHealth` updates only the products that existed. The points find their product
 * by identity among the upsert's rows. Returns the products by identity key.
 */
async function lockProductsAndAppendPoints(
  sql: Sql,
  states: ReadonlyMap<string, BatchProductState>,
  points: readonly NewPoint[],
  targetOf: (event: ObservationEvent) => JudgingTarget,
  newId: () => string,
): Promise<Map<string, ProductRow>> {
  const keys = [...states.keys()].sort();
  const rows = await sql<ProductRow & { appended: number }>(
    `WITH locked AS (
       INSERT INTO products AS p (id, target_id, url, canonical_url, variant_key, host, name, brand,
                                  sku, gtin, mpn, image, attributes, currency, latest_price,
                                  latest_list_price, latest_availability, latest_observed_at,
                                  first_seen_at, last_changed_at, updated_at)
         SELECT u.id, u.target_id, u.url, u.canonical_url, u.variant_key, u.host, u.name, u.brand,
                u.sku, u.gtin, u.mpn, u.image, u.attributes, u.currency, u.latest_price,
                u.latest_list_price, u.latest_availability::availability, u.latest_observed_at,
                u.first_seen_at, u.last_changed_at, now()
           FROM jsonb_to_recordset($1::jsonb)
                AS u(id uuid, target_id uuid, url text, canonical_url text, variant_key text,
                     host text, name text, brand text, sku text, gtin text, mpn text, image text,
                     attributes jsonb, currency text, latest_price numeric,
                     latest_list_price numeric, latest_availability text,
                     latest_observed_at timestamptz, first_seen_at timestamptz,
                     last_changed_at timestamptz, ord int)
          ORDER BY u.ord
       ON CONFLICT (canonical_url, variant_key) DO UPDATE SET canonical_url = p.canonical_url
       RETURNING p.id, p.canonical_url, p.variant_key, (p.xmax = 0) AS created, p.target_id,
                 p.url, p.name, p.brand, p.sku, p.gtin, p.mpn, p.image, p.currency,
                 p.latest_observed_at, p.first_seen_at
     ), appended AS (
       INSERT INTO price_points (id, product_id, run_id, observed_at, amount, currency,
                                 list_price, availability, not_modified, source_event_id)
         SELECT v.id, l.id, v.run_id, v.observed_at, v.amount, v.currency, v.list_price,
                v.availability::availability, false, v.source_event_id
           FROM jsonb_to_recordset($2::jsonb)
                AS v(id uuid, canonical_url text, variant_key text, run_id uuid,
                     observed_at timestamptz, amount numeric, currency text, list_price numeric,
                     availability text, source_event_id uuid)
           JOIN locked AS l ON l.canonical_url = v.canonical_url AND l.variant_key = v.variant_key
         RETURNING 1
     )
     SELECT id::text, canonical_url, variant_key, created, target_id::text, url, name, brand, sku,
            gtin, mpn, image, currency, latest_observed_at, first_seen_at,
            (SELECT count(*) FROM appended)::int AS appended
       FROM locked`,
    [
      records(
        keys.map((key, ord) => {
          const state = states.get(key)!;
          const { first, newest } = state;
          return {
            id: newId(),
            target_id: targetOf(newest.event).targetId ?? targetOf(first.event).targetId,
            url: newest.event.data.finalUrl,
            canonical_url: first.identity.canonicalUrl,
            variant_key: first.identity.variantKey,
            host: first.identity.host,
            name: state.name,
            brand: state.brand,
            sku: state.sku,
            gtin: state.gtin,
            mpn: state.mpn,
            image: state.image,
            attributes: state.attributes,
            currency: state.currency,
            latest_price: text(newest.state.amount),
            latest_list_price: text(newest.state.listPrice),
            latest_availability: newest.state.availability,
            latest_observed_at: newest.point.observedAt,
            first_seen_at: first.point.observedAt,
            last_changed_at: state.lastChangedAt,
            ord,
          };
        }),
      ),
      records(
        points.map((p) => ({
          id: p.pointId,
          canonical_url: p.identity.canonicalUrl,
          variant_key: p.identity.variantKey,
          run_id: p.event.data.runId,
          observed_at: p.point.observedAt,
          amount: text(p.state.amount),
          currency: p.state.currency,
          list_price: text(p.state.listPrice),
          availability: p.state.availability,
          source_event_id: p.event.id,
        })),
      ),
    ],
  );
  // A point that met no product would be lost: fail the batch (and so apply it one by one).
  const appended = rows[0]?.appended ?? 0;
  if (appended !== points.length)
    throw new Error(`Appended ${appended} of the batch's ${points.length} price points`);
  return new Map(rows.map((row) => [identityKey({ ...identityOf(row), host: '' }), row]));
}

const identityOf = (row: ProductRow) => ({
  canonicalUrl: row.canonical_url,
  variantKey: row.variant_key,
});

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
  sql: Sql,
  points: readonly NewPoint[],
): Promise<Array<{ previous: HistoryPoint | null; next: HistoryPoint | null }>> {
  if (points.length === 0) return [];
  const rows = await sql<NeighbourRow>(
    `SELECT n.ord,
            prev.source_event_id::text AS prev_event, prev.observed_at AS prev_at,
            prev.amount::text AS prev_amount, prev.currency AS prev_currency,
            prev.availability::text AS prev_availability,
            nxt.source_event_id::text AS next_event, nxt.observed_at AS next_at,
            nxt.amount::text AS next_amount, nxt.currency AS next_currency,
            nxt.availability::text AS next_availability
       FROM jsonb_to_recordset($1::jsonb)
            AS n(product_id uuid, observed_at timestamptz, source_event_id uuid, ord int)
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
    [
      records(
        points.map((p, ord) => ({
          product_id: p.productId,
          observed_at: p.point.observedAt,
          source_event_id: p.event.id,
          ord,
        })),
      ),
    ],
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

const earlier = (a: Date, b: Date): Date => (a < b ? a : b);

/**
 * Every touched product's state and every judged target's health after the batch, in one
 * statement. Products: the newest point of the batch sets the latest state only when it is the
 * newest of the history (as one by one, where a late point touches history only), identity fields
 * fall back from the newest point to older ones and then the stored row, the earliest sighting
 * moves back, and `last_changed_at` is recomputed from the ordered history (as
 * `refreshLastChange`). Health: see `healthUpdates`, with the comparisons of
 * `recordCheckSucceeded` and `recordPrimaryProduct`. The products are locked already; the health
 * rows are locked here, after them, the order the single path locks them in too. Returns what
 * alerts need of each product.
 */
async function finishProductsAndHealth(
  sql: Sql,
  applied: ReadonlyArray<{ event: ObservationEvent }>,
  states: ReadonlyMap<string, BatchProductState>,
  products: ReadonlyMap<string, ProductRow>,
  newestHasSuccessor: ReadonlyMap<string, boolean>,
  targetOf: (event: ObservationEvent) => JudgingTarget,
): Promise<Map<string, AlertedProduct>> {
  const all = [...states.entries()].map(([key, state]) => {
    const row = products.get(key)!;
    const { newest } = state;
    const pick = <F extends ProductField>(field: F) => state[field] ?? row[field];
    return {
      row,
      newest,
      firstSeenAt: earlier(row.first_seen_at, state.first.point.observedAt),
      latest: row.created || !newestHasSuccessor.get(key),
      pick,
      attributes: state.attributes,
      currency: state.currency,
    };
  });
  // A product this batch created was inserted in its final state already.
  const updates = all.filter((u) => !u.row.created);
  const health = healthUpdates(applied, products, targetOf);
  await sql(
    `WITH product_updates AS (
       UPDATE products AS p
          SET target_id = CASE WHEN u.latest THEN COALESCE(u.target_id, p.target_id) ELSE p.target_id END,
              url = CASE WHEN u.latest THEN u.url ELSE p.url END,
              name = CASE WHEN u.latest THEN u.name ELSE p.name END,
              brand = CASE WHEN u.latest THEN u.brand ELSE p.brand END,
              sku = CASE WHEN u.latest THEN u.sku ELSE p.sku END,
              gtin = CASE WHEN u.latest THEN u.gtin ELSE p.gtin END,
              mpn = CASE WHEN u.latest THEN u.mpn ELSE p.mpn END,
              image = CASE WHEN u.latest THEN u.image ELSE p.image END,
              attributes = CASE WHEN u.latest THEN COALESCE(u.attributes, p.attributes) ELSE p.attributes END,
              currency = CASE WHEN u.latest THEN COALESCE(u.currency, p.currency) ELSE p.currency END,
              latest_price = CASE WHEN u.latest THEN u.latest_price ELSE p.latest_price END,
              latest_list_price = CASE WHEN u.latest THEN u.latest_list_price ELSE p.latest_list_price END,
              latest_availability = CASE WHEN u.latest THEN u.latest_availability::availability
                                         ELSE p.latest_availability END,
              latest_observed_at = CASE WHEN u.latest THEN GREATEST(p.latest_observed_at, u.latest_observed_at)
                                        ELSE p.latest_observed_at END,
              first_seen_at = LEAST(p.first_seen_at, u.first_seen_at),
              last_changed_at = (
                SELECT max(observed_at)
                  FROM (SELECT observed_at,
                               ROW(amount, currency, availability) IS DISTINCT FROM
                                 lag(ROW(amount, currency, availability)) OVER (ORDER BY observed_at, id) AS changed
                          FROM price_points WHERE product_id = p.id) AS history
                 WHERE changed),
              updated_at = CASE WHEN u.latest THEN now() ELSE p.updated_at END
         FROM jsonb_to_recordset($1::jsonb)
              AS u(id uuid, latest boolean, target_id uuid, url text, name text, brand text,
                   sku text, gtin text, mpn text, image text, attributes jsonb, currency text,
                   latest_price numeric, latest_list_price numeric, latest_availability text,
                   latest_observed_at timestamptz, first_seen_at timestamptz)
        WHERE p.id = u.id
       RETURNING 1
     )
     INSERT INTO target_health AS h (target_id, last_success_at, etag, last_modified, validators_at,
                                     primary_product_id, primary_observed_at, updated_at)
       SELECT v.target_id, v.at, v.etag, v.last_modified, v.at, v.product_id, v.primary_at, now()
         FROM jsonb_to_recordset($2::jsonb)
              AS v(target_id uuid, at timestamptz, etag text, last_modified text, product_id uuid,
                   primary_at timestamptz, ord int)
        ORDER BY v.ord
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
       primary_product_id = CASE WHEN EXCLUDED.primary_observed_at IS NOT NULL
                                  AND (h.primary_observed_at IS NULL OR h.primary_observed_at < EXCLUDED.primary_observed_at)
                                 THEN EXCLUDED.primary_product_id ELSE h.primary_product_id END,
       primary_observed_at = CASE WHEN EXCLUDED.primary_observed_at IS NOT NULL
                                   AND (h.primary_observed_at IS NULL OR h.primary_observed_at < EXCLUDED.primary_observed_at)
                                  THEN EXCLUDED.primary_observed_at ELSE h.primary_observed_at END,
       updated_at = now()`,
    [
      records(
        updates.map((u) => {
          const latest = u.latest
            ? {
                target_id: targetOf(u.newest.event).targetId,
                url: u.newest.event.data.finalUrl,
                name: u.pick('name'),
                brand: u.pick('brand'),
                sku: u.pick('sku'),
                gtin: u.pick('gtin'),
                mpn: u.pick('mpn'),
                image: u.pick('image'),
                attributes: u.attributes,
                currency: u.currency,
                latest_price: text(u.newest.state.amount),
                latest_list_price: text(u.newest.state.listPrice),
                latest_availability: u.newest.state.availability,
                latest_observed_at: u.newest.point.observedAt,
              }
            : {};
          return { id: u.row.id, latest: u.latest, first_seen_at: u.firstSeenAt, ...latest };
        }),
      ),
      records(
        health.map((h, ord) => ({
          target_id: h.targetId,
          at: h.checkedAt,
          etag: h.etag,
          last_modified: h.lastModified,
          product_id: h.primaryProductId,
          primary_at: h.primaryAt,
          ord,
        })),
      ),
    ],
  );
  return new Map(
    all.map((u) => [
      u.row.id,
      u.latest
        ? { url: u.newest.event.data.finalUrl, name: u.pick('name') }
        : { url: u.row.url, name: u.row.name },
    ]),
  );
}
