import { createEvent, newId, type EventOf, type Offer } from '@shelfwatch/contracts';
import type { PrismaClient } from '@shelfwatch/db';

export const PAGE = 'https://shop.example.com/p/espresso';

export function at(minute: number): string {
  return new Date(Date.UTC(2025, 0, 31, 12, minute)).toISOString();
}

export function offer(amount: string | null, extra: Partial<Offer> = {}): Offer {
  return {
    price: amount === null ? null : { amount, currency: 'EUR' },
    availability: 'InStock',
    name: 'Espresso machine',
    ...extra,
  };
}

export function observation(
  targetId: string,
  fetchedAt: string,
  offers: Offer[],
  extra: Partial<EventOf<'observation.recorded'>['data']> = {},
): EventOf<'observation.recorded'> {
  return createEvent(
    'observation.recorded',
    {
      runId: newId(),
      targetId,
      url: PAGE,
      finalUrl: PAGE,
      fetchedAt,
      httpStatus: 200,
      notModified: false,
      offers,
      confidence: 1,
      ...extra,
    },
    { source: 'shelfwatch/scraper', occurredAt: fetchedAt },
  );
}

export function scrapeFailed(
  targetId: string,
  failedAt: string,
  httpStatus: number | undefined,
  extra: Partial<EventOf<'scrape.failed'>['data']> = {},
): EventOf<'scrape.failed'> {
  return createEvent(
    'scrape.failed',
    {
      runId: newId(),
      targetId,
      url: PAGE,
      failedAt,
      errorClass: httpStatus ? (httpStatus >= 500 ? 'http_5xx' : 'http_4xx') : 'timeout',
      retryable: false,
      message: httpStatus ? `HTTP ${httpStatus}` : 'timed out',
      ...(httpStatus ? { httpStatus } : {}),
      ...extra,
    },
    { source: 'shelfwatch/scraper', occurredAt: failedAt },
  );
}

export async function createTarget(
  prisma: PrismaClient,
  thresholds: { amount?: string; percent?: string } = {},
): Promise<string> {
  return recreateTarget(prisma, newId(), thresholds);
}

/** A target with a given id: the same setup again after emptying the tables. */
export async function recreateTarget(
  prisma: PrismaClient,
  id: string,
  thresholds: { amount?: string; percent?: string } = {},
): Promise<string> {
  await prisma.target.create({
    data: {
      id,
      url: `${PAGE}?t=${id}`,
      host: 'shop.example.com',
      kind: 'product',
      checkIntervalSeconds: 3600,
      status: 'active',
      nextCheckAt: new Date(),
      ...(thresholds.amount ? { alertMinChangeAmount: thresholds.amount } : {}),
      ...(thresholds.percent ? { alertMinChangePercent: thresholds.percent } : {}),
    },
  });
  return id;
}

export async function emptyTables(prisma: PrismaClient): Promise<void> {
  await prisma.$executeRawUnsafe(
    'TRUNCATE alerts, price_points, products, target_health, scrape_runs, watches, targets, processed_events, accounts, outbox_events, alert_announcements CASCADE',
  );
}

/**
 * The stored alerts as readable facts, in history order: what each says happened, at which
 * observation time, from which state to which ("-" for none). Ids and arrival times are left
 * out, so two runs of the same history compare equal.
 */
export async function alertFacts(prisma: PrismaClient): Promise<string[]> {
  const alerts = await prisma.alert.findMany({
    include: { product: { select: { canonicalUrl: true, variantKey: true } } },
  });
  const facts = alerts.map((alert) => {
    const product =
      alerts.some((other) => other.productId !== alert.productId) || alert.product.variantKey
        ? `${alert.product.canonicalUrl}#${alert.product.variantKey} `
        : '';
    const watch = alert.watchId ? ` watch ${alert.watchId}` : '';
    return {
      order: `${alert.observedAt.toISOString()} ${product}${alert.kind}${watch}`,
      text: `${product}${alert.kind}${watch} ${alert.observedAt.toISOString()} ${alert.previousAmount?.toFixed() ?? '-'} ${alert.previousAvailability ?? '-'} -> ${alert.currentAmount?.toFixed() ?? '-'} ${alert.currentAvailability}`,
    };
  });
  return facts
    .sort((a, b) => (a.order < b.order ? -1 : a.order > b.order ? 1 : 0))
    .map((fact) => fact.text);
}
