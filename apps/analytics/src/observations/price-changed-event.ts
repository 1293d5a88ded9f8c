import { createEvent, type EventOf } from '@shelfwatch/contracts';
import type { Alert } from '@shelfwatch/db';
import { toMoney } from '../money';

/** Alert kinds that price.changed (v1: changeKind drop | rise) can carry. */
export function publishableKind(kind: Alert['kind']): 'drop' | 'rise' | null {
  switch (kind) {
    case 'price_drop':
      return 'drop';
    case 'price_rise':
    case 'new_product': // a first price: previous is null, as the contract describes
      return 'rise';
    default:
      return null;
  }
}

export interface EventContext {
  source: string;
  traceparent?: string;
  correlationId?: string;
}

/**
 * The price.changed event of a stored alert. Rebuilt the same way, with the same id and time,
 * whenever it is asked for again, so republishing after a redelivery duplicates nothing
 * downstream consumers do not already deduplicate by event id.
 */
export function priceChangedEventOf(
  alert: Alert,
  productUrl: string,
  context: EventContext,
): EventOf<'price.changed'> | null {
  const changeKind = publishableKind(alert.kind);
  const current = toMoney(alert.currentAmount, alert.currentCurrency);
  if (!alert.eventId || !changeKind || !current) return null;
  return createEvent(
    'price.changed',
    {
      productId: alert.productId,
      ...(alert.targetId ? { targetId: alert.targetId } : {}),
      url: productUrl,
      previous: toMoney(alert.previousAmount, alert.previousCurrency),
      current,
      changeKind,
      changePercent: alert.changePercent?.toFixed() ?? null,
      observedAt: alert.observedAt.toISOString(),
    },
    {
      source: context.source,
      id: alert.eventId,
      occurredAt: alert.createdAt,
      ...(context.traceparent ? { traceparent: context.traceparent } : {}),
      ...(context.correlationId ? { correlationId: context.correlationId } : {}),
    },
  );
}
