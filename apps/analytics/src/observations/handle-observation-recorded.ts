import { newId as defaultNewId, type EventOf, type Offer } from '@shelfwatch/contracts';
import {
  Prisma,
  recordProcessedEvent,
  type Alert,
  type PrismaClient,
  type Product,
} from '@shelfwatch/db';
import { ANALYTICS_EVENT_SOURCE, consumers } from '../consumers';
import { recordCheckSucceeded, recordPrimaryProduct } from '../health/target-health';
import { anyChange, type AlertThresholds } from './change-detection';
import type { AlertRecipient } from './alert-rules';
import { judgingTargets } from './judging-targets';
import { neighboursOf, type HistoryPoint } from './price-history';
import { reconcilePointAlerts, type AlertWriteContext } from './stored-alerts';
import type { AlertedProduct } from './alert-raised-event';
import { announceNews, type AnnouncementEvent } from './announcements';
import { sqlOfTransaction } from './sql';
import type { EventContext } from './price-changed-event';
import { identityKey, productIdentity, type ProductIdentity } from './product-identity';
import { distinctOffers, observedState } from './observed-offers';
import { refreshLastChange } from './last-change';

type Tx = Prisma.TransactionClient;
type ObservationEvent = EventOf<'observation.recorded'>;

export interface ObservationHandlerOptions {
  /** `source` of the published events (default `shelfwatch/analytics`). */
  source?: string;
  /** Thresholds for a target that is not in the database (default: any change). */
  defaultThresholds?: AlertThresholds;
  newId?: () => string;
  now?: () => Date;
  /** Longest the transaction may take (default 30 s; an observation has up to 500 offers). */
  transactionTimeoutMs?: number;
}

export interface ObservationOutcome {
  /** True when the event had been handled before: nothing changed. */
  duplicate: boolean;
  /**
   * Events this delivery wrote to the outbox (alert.raised, price.changed) in its transaction;
   * the outbox relay publishes them after the commit. None for a duplicate.
   */
  events: AnnouncementEvent[];
  /** Price points appended by this delivery. */
  pricePoints: number;
  /** Alerts stored by this delivery (a late observation may also replace later alerts). */
  alerts: number;
}

interface Context {
  tx: Tx;
  event: ObservationEvent;
  observedAt: Date;
  targetId: string | null;
  /** Whose rules this observation is judged by: the target's watches (see `recipientsOf`). */
  recipients: AlertRecipient[];
  newId: () => string;
  now: () => Date;
}

/**
 * Turns one observation into price history in ONE transaction: the inbox entry, products
 * (created or updated), a price point per product, and the alerts the history implies. Alerts
 * are a function of the history ordered by observation time, not of arrival order: a late
 * observation is judged against the point before it and re-judges the point after it. Alerts
 * newer than the latest announced are announced through the outbox in the same transaction.
 */
export async function handleObservationRecorded(
  prisma: PrismaClient,
  event: ObservationEvent,
  options: ObservationHandlerOptions = {},
): Promise<ObservationOutcome> {
  const context: EventContext = {
    source: options.source ?? ANALYTICS_EVENT_SOURCE,
    ...(event.traceparent ? { traceparent: event.traceparent } : {}),
    ...(event.correlationId ? { correlationId: event.correlationId } : {}),
  };
  const applied = await prisma.$transaction(
    async (tx) => {
      const first = await recordProcessedEvent(tx, {
        consumer: consumers.observationRecorded,
        eventId: event.id,
        eventType: event.type,
      });
      if (!first) return null;
      return applyObservation(tx, event, options, context);
    },
    { timeout: options.transactionTimeoutMs ?? 30_000 },
  );
  if (!applied) return { duplicate: true, events: [], pricePoints: 0, alerts: 0 };
  return {
    duplicate: false,
    events: applied.events,
    pricePoints: applied.pricePoints,
    alerts: applied.alerts,
  };
}

interface Applied {
  alerts: number;
  events: AnnouncementEvent[];
  pricePoints: number;
}

async function applyObservation(
  tx: Tx,
  event: ObservationEvent,
  options: ObservationHandlerOptions,
  eventContext: EventContext,
): Promise<Applied> {
  const data = event.data;
  const observedAt = new Date(data.fetchedAt);
  const judged = (
    await judgingTargets(
      sqlOfTransaction(tx),
      [data.targetId],
      options.defaultThresholds ?? anyChange,
    )
  )(data.targetId);
  const target = judged.targetId === null ? null : { id: judged.targetId };
  const context: Context = {
    tx,
    event,
    observedAt,
    targetId: judged.targetId,
    recipients: judged.recipients,
    newId: options.newId ?? defaultNewId,
    now: options.now ?? (() => new Date()),
  };

  // Whichever delivery of the run comes first ends it; a failed attempt later retried counts as succeeded.
  await tx.scrapeRun.updateMany({
    where: { id: data.runId, status: { not: 'succeeded' } },
    data: {
      status: 'succeeded',
      ...(data.startedAt === undefined ? {} : { startedAt: new Date(data.startedAt) }),
      finishedAt: observedAt,
      httpStatus: data.httpStatus,
      errorClass: null,
      errorMessage: null,
    },
  });
  // Target health is locked after the products, the order a batch locks them in (ADR 0025).
  const recordCheck = async () => {
    if (target)
      await recordCheckSucceeded(tx, target.id, observedAt, {
        ...(data.etag === undefined ? {} : { etag: data.etag }),
        ...(data.lastModified === undefined ? {} : { lastModified: data.lastModified }),
      });
  };

  if (data.notModified) {
    const pricePoints = await recordNotModified(context);
    await recordCheck();
    return { alerts: 0, events: [], pricePoints };
  }

  const stored: Alert[] = [];
  const products = new Map<string, AlertedProduct>();
  const productByIdentity = new Map<string, string>();
  for (const { identity, offer } of distinctOffers(data.offers, data.finalUrl)) {
    const { product, alerts } = await applyOffer(context, identity, offer);
    stored.push(...alerts);
    products.set(product.id, { url: product.url, name: product.name });
    productByIdentity.set(identityKey(identity), product.id);
  }
  const announced = await announceNews(
    {
      sql: sqlOfTransaction(tx),
      recipientOf: (alert) =>
        context.recipients.find((candidate) => candidate.watchId === alert.watchId),
      products,
      eventOf: () => eventContext,
      now: context.now,
    },
    stored,
  );
  const events = [...announced.values()].flat();
  // The page-level state is the primary offer's product (older events name none: the first).
  const primary = data.offers[data.primaryOffer ?? 0];
  const primaryProductId =
    primary && productByIdentity.get(identityKey(productIdentity(primary, data.finalUrl)));
  await recordCheck();
  if (target && primaryProductId)
    await recordPrimaryProduct(tx, target.id, primaryProductId, observedAt);
  return { alerts: stored.length, events, pricePoints: products.size };
}

async function applyOffer(
  context: Context,
  identity: ProductIdentity,
  offer: Offer,
): Promise<{ product: Product; alerts: Alert[] }> {
  const { tx, event, observedAt } = context;
  const state = observedState(offer);
  const { product, created } = await lockOrCreateProduct(context, identity, offer, state);

  await tx.pricePoint.create({
    data: {
      id: context.newId(),
      productId: product.id,
      runId: event.data.runId,
      observedAt,
      amount: state.amount,
      currency: state.currency,
      listPrice: state.listPrice,
      availability: state.availability,
      notModified: false,
      sourceEventId: event.id,
    },
  });
  await refreshLastChange(tx, product.id);

  // The point joins the history between its neighbours by observation time: it is judged
  // against the one before, and the one after is judged again against it (ADR 0014).
  const point: HistoryPoint = { sourceEventId: event.id, observedAt, state };
  const { previous, next } = created
    ? { previous: null, next: null }
    : await neighboursOf(tx, product.id, point);
  const writes: AlertWriteContext = {
    tx,
    productId: product.id,
    targetId: context.targetId,
    recipients: context.recipients,
    newId: context.newId,
    now: context.now,
  };
  const inserted = await reconcilePointAlerts(writes, point, previous?.state ?? null);
  const rejudged = next ? await reconcilePointAlerts(writes, next, state) : [];
  const alerts = [...inserted, ...rejudged];

  if (created) return { product, alerts };
  if (next) {
    // Not the newest observation: history (and perhaps the earliest sighting) only.
    if (observedAt < product.firstSeenAt)
      await tx.product.update({ where: { id: product.id }, data: { firstSeenAt: observedAt } });
    return { product, alerts };
  }
  const updated = await tx.product.update({
    where: { id: product.id },
    data: {
      ...(context.targetId ? { targetId: context.targetId } : {}),
      url: event.data.finalUrl,
      name: offer.name ?? product.name,
      brand: offer.brand ?? product.brand,
      sku: offer.sku ?? product.sku,
      gtin: offer.gtin ?? product.gtin,
      mpn: offer.mpn ?? product.mpn,
      image: offer.image ?? product.image,
      ...(offer.attributes ? { attributes: offer.attributes } : {}),
      currency: state.currency ?? product.currency,
      latestPrice: state.amount,
      latestListPrice: state.listPrice,
      latestAvailability: state.availability,
      // A not-modified check may have confirmed the old state later than this observation.
      latestObservedAt: later(product.latestObservedAt, observedAt),
      ...(observedAt < product.firstSeenAt ? { firstSeenAt: observedAt } : {}),
    },
  });
  return { product: updated, alerts };
}

const later = (a: Date, b: Date): Date => (a > b ? a : b);

/**
 * The product row for an identity, locked until the transaction ends so concurrent
 * observations of one product compare against each other's results, never a stale state.
 */
async function lockOrCreateProduct(
  context: Context,
  identity: ProductIdentity,
  offer: Offer,
  state: ReturnType<typeof observedState>,
): Promise<{ product: Product; created: boolean }> {
  const { tx, observedAt } = context;
  const existing = await lockProduct(tx, identity);
  if (existing) return { product: existing, created: false };

  const [created] = await tx.product.createManyAndReturn({
    data: [
      {
        id: context.newId(),
        targetId: context.targetId,
        url: context.event.data.finalUrl,
        canonicalUrl: identity.canonicalUrl,
        variantKey: identity.variantKey,
        host: identity.host,
        name: offer.name ?? null,
        brand: offer.brand ?? null,
        sku: offer.sku ?? null,
        gtin: offer.gtin ?? null,
        mpn: offer.mpn ?? null,
        image: offer.image ?? null,
        attributes: offer.attributes ?? Prisma.DbNull,
        currency: state.currency,
        latestPrice: state.amount,
        latestListPrice: state.listPrice,
        latestAvailability: state.availability,
        latestObservedAt: observedAt,
        firstSeenAt: observedAt,
      },
    ],
    skipDuplicates: true,
  });
  if (created) return { product: created, created: true };
  // A concurrent first sighting committed the row between our lookup and insert.
  const raced = await lockProduct(tx, identity);
  if (!raced) throw new Error(`product ${identity.canonicalUrl} vanished while being created`);
  return { product: raced, created: false };
}

async function lockProduct(tx: Tx, identity: ProductIdentity): Promise<Product | null> {
  const rows = await tx.$queryRaw<Array<{ id: string }>>`
    SELECT id FROM products
    WHERE canonical_url = ${identity.canonicalUrl} AND variant_key = ${identity.variantKey}
    FOR UPDATE`;
  const id = rows[0]?.id;
  return id ? tx.product.findUniqueOrThrow({ where: { id } }) : null;
}

/**
 * A 304 confirms the state the page had when its validators were issued: each product last
 * seen through this target gets a point repeating its state as of the check, marked
 * not_modified. Nothing changed, so nothing is alerted.
 */
async function recordNotModified(context: Context): Promise<number> {
  const { tx, event, observedAt } = context;
  if (!context.targetId) return 0;
  const products = await tx.$queryRaw<
    Array<{ id: string; canonical_url: string; variant_key: string }>
  >`
    SELECT id, canonical_url, variant_key FROM products WHERE target_id = ${context.targetId}::uuid`;
  // Locked one by one in identity order, the order every observation locks its products in, so
  // a not-modified check and an observation of the same products never wait on each other in a cycle.
  const ordered = products
    .map((row) => ({
      id: row.id,
      key: identityKey({ canonicalUrl: row.canonical_url, variantKey: row.variant_key, host: '' }),
    }))
    .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  let points = 0;
  for (const { id: productId } of ordered) {
    await tx.$queryRaw`SELECT id FROM products WHERE id = ${productId}::uuid FOR UPDATE`;
    const basis = await tx.pricePoint.findFirst({
      where: { productId, observedAt: { lte: observedAt } },
      orderBy: [{ observedAt: 'desc' }, { id: 'desc' }],
    });
    if (!basis) continue;
    await tx.pricePoint.create({
      data: {
        id: context.newId(),
        productId,
        runId: event.data.runId,
        observedAt,
        amount: basis.amount,
        currency: basis.currency,
        listPrice: basis.listPrice,
        availability: basis.availability,
        notModified: true,
        sourceEventId: event.id,
      },
    });
    await tx.product.updateMany({
      where: { id: productId, latestObservedAt: { lt: observedAt } },
      data: { latestObservedAt: observedAt },
    });
    points++;
  }
  return points;
}
