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
 * The price.changed event of an announced alert (null when its kind or missing price leaves
 * nothing to carry, or it was not announced: no event id). Its id and time come from the alert,
 * so it is the same event however often it is built or relayed.
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
