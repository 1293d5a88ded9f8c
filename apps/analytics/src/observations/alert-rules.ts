import type { Watch } from '@shelfwatch/db';
import type { AlertThresholds, ChangeKind } from './change-detection';

type AlertKind = ChangeKind | 'new_product';

/** One set of rules an observation is judged by: a watch, or the target's own for unwatched pages. */
export interface AlertRecipient {
  watchId: string | null;
  accountId: string | null;
  rules: AlertThresholds;
  /** Kinds this recipient wants; null: every kind but target_price_reached (no target set). */
  kinds: ReadonlySet<AlertKind> | null;
  /** The watch's labels, carried by alert.raised for channel filters. */
  labels: readonly string[];
}

/** What a watch contributes to judging an observation. */
export type WatchRules = Pick<
  Watch,
  | 'id'
  | 'accountId'
  | 'minChangeAmount'
  | 'minChangePercent'
  | 'targetPrice'
  | 'alertKinds'
  | 'labels'
>;

/**
 * Each watch of the target is a recipient with its own rules, so one observation raises alerts
 * for exactly the accounts whose rules it meets. A target nobody watches (an operator's own)
 * keeps one account-less recipient with the target's thresholds, as before watches existed.
 */
export function recipientsOf(
  watches: readonly WatchRules[],
  targetRules: AlertThresholds,
): AlertRecipient[] {
  if (watches.length === 0)
    return [{ watchId: null, accountId: null, rules: targetRules, kinds: null, labels: [] }];
  return watches.map((watch) => ({
    watchId: watch.id,
    accountId: watch.accountId,
    rules: {
      minChangeAmount: watch.minChangeAmount,
      minChangePercent: watch.minChangePercent,
      targetPrice: watch.targetPrice,
    },
    kinds: new Set(watch.alertKinds),
    labels: watch.labels,
  }));
}

export function wantsAlert(recipient: AlertRecipient, kind: AlertKind): boolean {
  return recipient.kinds === null ? kind !== 'target_price_reached' : recipient.kinds.has(kind);
}
