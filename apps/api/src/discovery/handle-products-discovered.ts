import {
  DEFAULT_CHECK_INTERVAL_SECONDS,
  newId as defaultNewId,
  type EventOf,
} from '@shelfwatch/contracts';
import { recordProcessedEvent, type PrismaClient } from '@shelfwatch/db';
import { normalizeTargetUrl } from '../targets/target-url';
import { syncTargetSchedules } from '../watches/target-schedule';

/** Inbox consumer name of this handler. */
export const PRODUCTS_DISCOVERED_CONSUMER = 'api.products-discovered';

export interface ProductsDiscoveredOptions {
  newId?: () => string;
  now?: () => Date;
}

export interface ProductsDiscoveredOutcome {
  /** True when the event had been handled before: nothing changed. */
  duplicate: boolean;
  /** Product targets created; URLs already watched as products are skipped. */
  created: number;
}

type Tx = Parameters<Parameters<PrismaClient['$transaction']>[0]>[0];

/**
 * Every account watching the listing or sitemap also watches the product pages it links to, with
 * the same labels, interval, rules and pause: what an account reads goes through its watches, and
 * this is how a sitemap's products become its watchers'.
 */
async function inheritWatches(
  tx: Tx,
  sourceTargetId: string,
  urls: string[],
  newId: () => string,
  now: Date,
): Promise<void> {
  const sources = await tx.watch.findMany({ where: { targetId: sourceTargetId } });
  if (sources.length === 0 || urls.length === 0) return;
  const products = await tx.target.findMany({
    where: { url: { in: urls }, kind: 'product' },
    select: { id: true },
  });
  await tx.watch.createMany({
    data: sources.flatMap((source) =>
      products.map((product) => ({
        id: newId(),
        accountId: source.accountId,
        targetId: product.id,
        labels: source.labels,
        checkIntervalSeconds: source.checkIntervalSeconds,
        minChangeAmount: source.minChangeAmount,
        minChangePercent: source.minChangePercent,
        targetPrice: source.targetPrice,
        alertKinds: source.alertKinds,
        pausedAt: source.pausedAt,
      })),
    ),
    skipDuplicates: true,
  });
  await syncTargetSchedules(
    tx,
    products.map((product) => product.id),
    now,
  );
}

/**
 * Watches every product page a listing or sitemap linked to, as a product target due now with
 * the source target's check interval. Idempotent: the inbox skips a redelivered event and the
 * (url, kind) key skips pages already watched, paused ones included.
 */
export async function handleProductsDiscovered(
  prisma: PrismaClient,
  event: EventOf<'products.discovered'>,
  options: ProductsDiscoveredOptions = {},
): Promise<ProductsDiscoveredOutcome> {
  const newId = options.newId ?? defaultNewId;
  const now = options.now ?? (() => new Date());
  return prisma.$transaction(async (tx) => {
    const first = await recordProcessedEvent(tx, {
      consumer: PRODUCTS_DISCOVERED_CONSUMER,
      eventId: event.id,
      eventType: event.type,
    });
    if (!first) return { duplicate: true, created: 0 };

    const source = await tx.target.findUnique({
      where: { id: event.data.sourceTargetId },
      select: { checkIntervalSeconds: true },
    });
    const checkIntervalSeconds = source?.checkIntervalSeconds ?? DEFAULT_CHECK_INTERVAL_SECONDS;
    const pages = new Map<string, string>();
    for (const raw of event.data.urls) {
      const { url, host } = normalizeTargetUrl(raw);
      pages.set(url, host);
    }
    const dueAt = now();
    const { count } = await tx.target.createMany({
      data: [...pages].map(([url, host]) => ({
        id: newId(),
        url,
        host,
        kind: 'product' as const,
        checkIntervalSeconds,
        status: 'active' as const,
        nextCheckAt: dueAt,
      })),
      skipDuplicates: true,
    });
    await inheritWatches(tx, event.data.sourceTargetId, [...pages.keys()], newId, dueAt);
    return { duplicate: false, created: count };
  });
}
