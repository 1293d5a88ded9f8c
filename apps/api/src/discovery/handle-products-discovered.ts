import {
  DEFAULT_CHECK_INTERVAL_SECONDS,
  newId as defaultNewId,
  type EventOf,
} from '@shelfwatch/contracts';
import { recordProcessedEvent, type PrismaClient } from '@shelfwatch/db';
import { normalizeTargetUrl } from '../targets/target-url';

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
    return { duplicate: false, created: count };
  });
}
