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

/** One history point to judge against its predecessor, by the rules of the given recipients. */
export interface PointJudgement {
  productId: string;
  targetId: string | null;
  point: HistoryPoint;
  previous: ObservedState | null;
  recipients: readonly AlertRecipient[];
}

/** What it takes to make a point's stored alerts what its predecessor implies. */
export interface AlertPlan {
  /** Stored alerts the neighbours no longer imply. */
  stale: string[];
  /** Alert rows to insert. */
  missing: Prisma.AlertCreateManyInput[];
}

/**
 * Compares the stored alerts of one history point with what its predecessor implies: alerts the
 * old neighbours implied and the new ones do not are stale, missing ones are to be inserted, and
 * alerts that stay the same keep their row (and so their id and whatever was announced for them).
 * Only the judgement's recipients' alerts are looked at: a deleted watch's history stays as it was.
 * `stored` may hold alerts of other points; only this point's are considered.
 */
export function planPointAlerts(
  judgement: PointJudgement,
  stored: readonly Alert[],
  ids: { newId: () => string; now: () => Date },
): AlertPlan {
  const { recipients, point } = judgement;
  if (recipients.length === 0) return { stale: [], missing: [] };
  const implied = impliedAlerts(judgement.previous, point.state, recipients);
  const accountLess = recipients.some((recipient) => recipient.watchId === null);
  const watchIds = new Set(
    recipients.flatMap((recipient) => (recipient.watchId ? [recipient.watchId] : [])),
  );
  const mine = stored.filter(
    (alert) =>
      alert.productId === judgement.productId &&
      alert.sourceEventId === point.sourceEventId &&
      (accountLess
        ? alert.watchId === null
        : alert.watchId !== null && watchIds.has(alert.watchId)),
  );

  const wanted = new Map(implied.map((alert) => [alertFactsKey(factsOf(alert)), alert]));
  const kept = new Set<string>();
  const stale: string[] = [];
  for (const alert of mine) {
    const key = alertFactsKey(alert);
    if (wanted.has(key) && !kept.has(key)) kept.add(key);
    else stale.push(alert.id);
  }
  const missing = [...wanted.entries()]
    .filter(([key]) => !kept.has(key))
    .map(([, alert]) => ({
      id: ids.newId(),
      productId: judgement.productId,
      targetId: judgement.targetId,
      sourceEventId: point.sourceEventId,
      observedAt: point.observedAt,
      accountId: alert.recipient.accountId,
      createdAt: ids.now(),
      ...factsOf(alert),
    }));
  return { stale, missing };
}

/**
 * Makes the stored alerts of one history point what its predecessor implies (`planPointAlerts`),
 * in the caller's transaction. Returns the inserted alerts.
 */
export async function reconcilePointAlerts(
  context: AlertWriteContext,
  point: HistoryPoint,
  previous: ObservedState | null,
): Promise<Alert[]> {
  const { tx, recipients } = context;
  if (recipients.length === 0) return [];
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
  const plan = planPointAlerts(
    {
      productId: context.productId,
      targetId: context.targetId,
      point,
      previous,
      recipients,
    },
    stored,
    context,
  );
  if (plan.stale.length > 0) await tx.alert.deleteMany({ where: { id: { in: plan.stale } } });
  if (plan.missing.length === 0) return [];
  return tx.alert.createManyAndReturn({ data: plan.missing });
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
