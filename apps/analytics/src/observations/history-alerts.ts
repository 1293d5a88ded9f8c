import type { AlertKind, Prisma } from '@shelfwatch/db';
import { wantsAlert, type AlertRecipient } from './alert-rules';
import { detectChanges, type ObservedState } from './change-detection';

/** An alert a pair of neighbouring history points implies for one recipient. */
export interface ImpliedAlert {
  recipient: AlertRecipient;
  kind: AlertKind;
  /** The state at the point before, by observation time; null at a product's first point. */
  previous: ObservedState | null;
  current: ObservedState;
  changePercent: Prisma.Decimal | null;
}

/**
 * The alerts a history point raises, given only the point before it by observation time: a
 * product's first point is its `new_product`, every later point what changed against the one
 * before. Because this depends on the ordered history alone, never on the order observations
 * arrived in, a late observation re-judges exactly its own point and the point after it.
 */
export function impliedAlerts(
  previous: ObservedState | null,
  current: ObservedState,
  recipients: readonly AlertRecipient[],
): ImpliedAlert[] {
  const implied: ImpliedAlert[] = [];
  for (const recipient of recipients) {
    if (previous === null) {
      if (wantsAlert(recipient, 'new_product'))
        implied.push({ recipient, kind: 'new_product', previous, current, changePercent: null });
      continue;
    }
    for (const change of detectChanges(previous, current, recipient.rules))
      if (wantsAlert(recipient, change.kind))
        implied.push({
          recipient,
          kind: change.kind,
          previous,
          current,
          changePercent: change.changePercent,
        });
  }
  return implied;
}

/** The fields of an alert that say what it reports, as one comparable string. */
export function alertFactsKey(facts: {
  kind: AlertKind;
  watchId: string | null;
  previousAmount: Prisma.Decimal | null;
  previousCurrency: string | null;
  currentAmount: Prisma.Decimal | null;
  currentCurrency: string | null;
  previousAvailability: string | null;
  currentAvailability: string;
  changePercent: Prisma.Decimal | null;
}): string {
  return [
    facts.kind,
    facts.watchId ?? '',
    facts.previousAmount?.toFixed() ?? '',
    facts.previousCurrency ?? '',
    facts.currentAmount?.toFixed() ?? '',
    facts.currentCurrency ?? '',
    facts.previousAvailability ?? '',
    facts.currentAvailability,
    facts.changePercent?.toFixed() ?? '',
  ].join('|');
}
