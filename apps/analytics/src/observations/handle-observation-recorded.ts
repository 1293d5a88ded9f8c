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
import { toDecimal } from '../money';
import {
  anyChange,
  detectChanges,
  type AlertThresholds,
  type ObservedState,
} from './change-detection';
import { recipientsOf, wantsAlert, type AlertRecipient } from './alert-rules';
import { priceChangedEventOf, publishableKind, type EventContext } from './price-changed-event';
import { identityKey, productIdentity, type ProductIdentity } from './product-identity';
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
   * price.changed events to publish after the commit. A duplicate delivery returns the same
   * events (same ids) again, so a publish lost between commit and ack is repaired by redelivery.
   */
  events: EventOf<'price.changed'>[];
  /** Price points appended by this delivery. */
  pricePoints: number;
  /** Alerts stored by this delivery. */
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
 * (created or updated), a price point per product, and alerts for what changed against the
 * latest state by observation time. An observation older than the latest is stored in history
 * only: it raises no alert and leaves the latest state alone.
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
      return applyObservation(tx, event, options);
    },
    { timeout: options.transactionTimeoutMs ?? 30_000 },
  );
  if (!applied) {
    return {
      duplicate: true,
      events: await storedEventsOf(prisma, event.id, context),
      pricePoints: 0,
      alerts: 0,
    };
  }
  const events = applied.alerts.flatMap((alert) => {
    const built = priceChangedEventOf(alert, applied.productUrls.get(alert.productId)!, context);
    return built ? [built] : [];
  });
  return {
    duplicate: false,
    events,
    pricePoints: applied.pricePoints,
    alerts: applied.alerts.length,
  };
}

async function storedEventsOf(
  prisma: PrismaClient,
  sourceEventId: string,
  context: EventContext,
): Promise<EventOf<'price.changed'>[]> {
  const alerts = await prisma.alert.findMany({
    where: { sourceEventId, eventId: { not: null } },
    include: { product: { select: { url: true } } },
    orderBy: { id: 'asc' },
  });
  return alerts.flatMap((alert) => {
    const built = priceChangedEventOf(alert, alert.product.url, context);
    return built ? [built] : [];
  });
}

interface Applied {
  alerts: Alert[];
  productUrls: Map<string, string>;
  pricePoints: number;
}

async function applyObservation(
  tx: Tx,
  event: ObservationEvent,
  options: ObservationHandlerOptions,
): Promise<Applied> {
  const data = event.data;
  const observedAt = new Date(data.fetchedAt);
  const target = await tx.target.findUnique({
    where: { id: data.targetId },
    select: {
      id: true,
      alertMinChangeAmount: true,
      alertMinChangePercent: true,
      watches: { orderBy: { id: 'asc' } },
    },
  });
  const context: Context = {
    tx,
    event,
    observedAt,
    targetId: target?.id ?? null,
    recipients: recipientsOf(
      target?.watches ?? [],
      target
        ? {
            minChangeAmount: target.alertMinChangeAmount,
            minChangePercent: target.alertMinChangePercent,
          }
        : (options.defaultThresholds ?? anyChange),
    ),
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
  if (target)
    await recordCheckSucceeded(tx, target.id, observedAt, {
      ...(data.etag === undefined ? {} : { etag: data.etag }),
      ...(data.lastModified === undefined ? {} : { lastModified: data.lastModified }),
    });

  if (data.notModified) {
    return { alerts: [], productUrls: new Map(), pricePoints: await recordNotModified(context) };
  }

  const applied: Applied = { alerts: [], productUrls: new Map(), pricePoints: 0 };
  const productByIdentity = new Map<string, string>();
  for (const { identity, offer } of distinctOffers(data.offers, data.finalUrl)) {
    const { product, alerts } = await applyOffer(context, identity, offer);
    applied.pricePoints++;
    applied.alerts.push(...alerts);
    applied.productUrls.set(product.id, product.url);
    productByIdentity.set(identityKey(identity), product.id);
  }
  // The page-level state is the primary offer's product (older events name none: the first).
  const primary = data.offers[data.primaryOffer ?? 0];
  const primaryProductId =
    primary && productByIdentity.get(identityKey(productIdentity(primary, data.finalUrl)));
  if (target && primaryProductId)
    await recordPrimaryProduct(tx, target.id, primaryProductId, observedAt);
  return applied;
}

/**
 * One offer per product identity (the first wins, e.g. JSON-LD over microdata of the same
 * item), in identity order so concurrent observations lock products in the same order.
 */
function distinctOffers(
  offers: Offer[],
  fetchedUrl: string,
): Array<{ identity: ProductIdentity; offer: Offer }> {
  const byKey = new Map<string, { identity: ProductIdentity; offer: Offer }>();
  for (const offer of offers) {
    const identity = productIdentity(offer, fetchedUrl);
    const key = identityKey(identity);
    if (!byKey.has(key)) byKey.set(key, { identity, offer });
  }
  return [...byKey.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([, entry]) => entry);
}

function observedState(offer: Offer): ObservedState & { listPrice: Prisma.Decimal | null } {
  const currency = offer.price?.currency ?? null;
  return {
    amount: toDecimal(offer.price?.amount),
    currency,
    availability: offer.availability,
    // A list price is only meaningful next to the price, in the same currency.
    listPrice:
      offer.listPrice && offer.listPrice.currency === currency
        ? toDecimal(offer.listPrice.amount)
        : null,
  };
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

  if (created) {
    const alerts: Alert[] = [];
    for (const recipient of context.recipients)
      if (wantsAlert(recipient, 'new_product'))
        alerts.push(
          await storeAlert(context, recipient, product, 'new_product', null, state, null),
        );
    return { product, alerts };
  }

  if (observedAt <= product.latestObservedAt) {
    // Late: history only. It may still be the earliest sighting.
    if (observedAt < product.firstSeenAt) {
      await tx.product.update({ where: { id: product.id }, data: { firstSeenAt: observedAt } });
    }
    return { product, alerts: [] };
  }

  const previous: ObservedState = {
    amount: product.latestPrice,
    currency: product.currency,
    availability: product.latestAvailability,
  };
  const alerts: Alert[] = [];
  for (const recipient of context.recipients)
    for (const change of detectChanges(previous, state, recipient.rules))
      if (wantsAlert(recipient, change.kind))
        alerts.push(
          await storeAlert(
            context,
            recipient,
            product,
            change.kind,
            previous,
            state,
            change.changePercent,
          ),
        );
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
      latestObservedAt: observedAt,
    },
  });
  return { product: updated, alerts };
}

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

async function storeAlert(
  context: Context,
  recipient: AlertRecipient,
  product: Product,
  kind: Alert['kind'],
  previous: ObservedState | null,
  current: ObservedState,
  changePercent: Prisma.Decimal | null,
): Promise<Alert> {
  const publishable = publishableKind(kind) !== null && current.amount !== null;
  return context.tx.alert.create({
    data: {
      id: context.newId(),
      productId: product.id,
      targetId: context.targetId,
      watchId: recipient.watchId,
      accountId: recipient.accountId,
      kind,
      previousAmount: previous?.amount ?? null,
      previousCurrency: previous?.amount ? previous.currency : null,
      currentAmount: current.amount,
      currentCurrency: current.amount ? current.currency : null,
      previousAvailability: previous?.availability ?? null,
      currentAvailability: current.availability,
      changePercent,
      observedAt: context.observedAt,
      sourceEventId: context.event.id,
      eventId: publishable ? context.newId() : null,
      createdAt: context.now(),
    },
  });
}

/**
 * A 304 confirms the state the page had when its validators were issued: each product last
 * seen through this target gets a point repeating its state as of the check, marked
 * not_modified. Nothing changed, so nothing is alerted.
 */
async function recordNotModified(context: Context): Promise<number> {
  const { tx, event, observedAt } = context;
  if (!context.targetId) return 0;
  const products = await tx.$queryRaw<Array<{ id: string }>>`
    SELECT id FROM products WHERE target_id = ${context.targetId}::uuid ORDER BY id FOR UPDATE`;
  let points = 0;
  for (const { id: productId } of products) {
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
