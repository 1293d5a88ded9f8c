import { createEvent, derivedId, type EventOf } from '@shelfwatch/contracts';
import type { Alert } from '@shelfwatch/db';
import { toMoney } from '../money';
import type { AlertRecipient } from './alert-rules';
import type { EventContext } from './price-changed-event';

export interface AlertedProduct {
  url: string;
  name: string | null;
}

/**
 * The alert.raised event of an alert a watch raised (null for an account-less one: there is no
 * account to tell). Its id is derived from the alert id, so every rebuild is the same event.
 */
export function alertRaisedEventOf(
  alert: Alert,
  recipient: AlertRecipient,
  product: AlertedProduct,
  context: EventContext,
): EventOf<'alert.raised'> | null {
  if (!alert.watchId || !alert.accountId) return null;
  const targetPrice =
    alert.kind === 'target_price_reached' ? (recipient.rules.targetPrice ?? null) : null;
  return createEvent(
    'alert.raised',
    {
      alertId: alert.id,
      accountId: alert.accountId,
      watchId: alert.watchId,
      productId: alert.productId,
      targetId: alert.targetId,
      kind: alert.kind,
      url: product.url,
      productName: product.name === null ? null : product.name.slice(0, 1000),
      watchLabels: [...recipient.labels],
      previous: toMoney(alert.previousAmount, alert.previousCurrency),
      current: toMoney(alert.currentAmount, alert.currentCurrency),
      previousAvailability: alert.previousAvailability,
      availability: alert.currentAvailability,
      changePercent: alert.changePercent?.toFixed() ?? null,
      targetPrice: toMoney(targetPrice, alert.currentCurrency),
      observedAt: alert.observedAt.toISOString(),
    },
    {
      source: context.source,
      id: derivedId(alert.id, 'alert.raised'),
      occurredAt: alert.createdAt,
      ...(context.traceparent ? { traceparent: context.traceparent } : {}),
      ...(context.correlationId ? { correlationId: context.correlationId } : {}),
    },
  );
}
