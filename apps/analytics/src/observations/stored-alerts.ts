import type { Alert, Prisma } from '@shelfwatch/db';
import type { AlertRecipient } from './alert-rules';
import { alertFactsKey, impliedAlerts, type ImpliedAlert } from './history-alerts';
import type { ObservedState } from './change-detection';
import type { HistoryPoint } from './price-history';

type Tx = Prisma.TransactionClient;

export interface AlertWriteContext {
  tx: Tx;
  productId: string;
  targetId: string | null;
  recipients: readonly AlertRecipient[];
  newId: () => string;
  now: () => Date;
}

/**
 * Makes the stored alerts of one history point what its predecessor implies: alerts the old
 * neighbours implied and the new ones do not are deleted, missing ones inserted, and alerts
 * that stay the same keep their row (and so their id and whatever was announced for them).
 * Only the given recipients' alerts are touched: a deleted watch's history stays as it was.
 * Returns the inserted alerts.
 */
export async function reconcilePointAlerts(
  context: AlertWriteContext,
  point: HistoryPoint,
  previous: ObservedState | null,
): Promise<Alert[]> {
  const { tx, recipients } = context;
  if (recipients.length === 0) return [];
  const implied = impliedAlerts(previous, point.state, recipients);
  const accountLess = recipients.some((recipient) => recipient.watchId === null);
  const watchIds = recipients.flatMap((recipient) =>
    recipient.watchId ? [recipient.watchId] : [],
  );
  const stored = await tx.alert.findMany({
    where: {
      productId: context.productId,
      sourceEventId: point.sourceEventId,
      ...(accountLess ? { watchId: null } : { watchId: { in: watchIds } }),
    },
  });

  const wanted = new Map(implied.map((alert) => [alertFactsKey(factsOf(alert)), alert]));
  const kept = new Set<string>();
  const stale: string[] = [];
  for (const alert of stored) {
    const key = alertFactsKey(alert);
    if (wanted.has(key) && !kept.has(key)) kept.add(key);
    else stale.push(alert.id);
  }
  if (stale.length > 0) await tx.alert.deleteMany({ where: { id: { in: stale } } });

  const missing = [...wanted.entries()].filter(([key]) => !kept.has(key)).map(([, a]) => a);
  if (missing.length === 0) return [];
  return tx.alert.createManyAndReturn({
    data: missing.map((alert) => ({
      id: context.newId(),
      productId: context.productId,
      targetId: context.targetId,
      sourceEventId: point.sourceEventId,
      observedAt: point.observedAt,
      accountId: alert.recipient.accountId,
      createdAt: context.now(),
      ...factsOf(alert),
    })),
  });
}

function factsOf(alert: ImpliedAlert) {
  const { previous, current } = alert;
  return {
    kind: alert.kind,
    watchId: alert.recipient.watchId,
    previousAmount: previous?.amount ?? null,
    previousCurrency: previous?.amount ? previous.currency : null,
    currentAmount: current.amount,
    currentCurrency: current.amount ? current.currency : null,
    previousAvailability: previous?.availability ?? null,
    currentAvailability: current.availability,
    changePercent: alert.changePercent,
  };
}
