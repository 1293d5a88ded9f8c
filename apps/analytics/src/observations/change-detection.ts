import type { Availability } from '@shelfwatch/contracts';
import { Prisma } from '@shelfwatch/db';

type Decimal = Prisma.Decimal;

/** A product's state at one observation. */
export interface ObservedState {
  amount: Decimal | null;
  currency: string | null;
  availability: Availability;
}

/** Per-target alert thresholds: a price change must reach both to raise an alert. */
export interface AlertThresholds {
  /** Least absolute change, in the product's currency. */
  minChangeAmount: Decimal;
  /** Least change in percent of the previous price. */
  minChangePercent: Decimal;
  /** "Tell me when it is at or below this": raised when the price falls to it from above. */
  targetPrice?: Decimal | null;
}

export const anyChange: AlertThresholds = {
  minChangeAmount: new Prisma.Decimal(0),
  minChangePercent: new Prisma.Decimal(0),
};

export type ChangeKind =
  'price_drop' | 'price_rise' | 'target_price_reached' | 'back_in_stock' | 'out_of_stock';

export interface DetectedChange {
  kind: ChangeKind;
  /** Signed change in percent of the previous price, two decimals; null when not comparable. */
  changePercent: Decimal | null;
}

const purchasable: ReadonlySet<Availability> = new Set([
  'InStock',
  'LimitedAvailability',
  'PreOrder',
  'BackOrder',
]);
const unavailable: ReadonlySet<Availability> = new Set(['OutOfStock', 'Discontinued']);

/**
 * What changed between the latest state and a newer observation. Unknown availability never
 * counts as a stock change, and prices in different currencies are not compared (a shop that
 * switched currency did not change its price).
 */
export function detectChanges(
  previous: ObservedState,
  current: ObservedState,
  thresholds: AlertThresholds,
): DetectedChange[] {
  const changes: DetectedChange[] = [];
  if (unavailable.has(previous.availability) && purchasable.has(current.availability)) {
    changes.push({ kind: 'back_in_stock', changePercent: null });
  }
  if (purchasable.has(previous.availability) && unavailable.has(current.availability)) {
    changes.push({ kind: 'out_of_stock', changePercent: null });
  }
  const priceChange = detectPriceChange(previous, current, thresholds);
  if (priceChange) changes.push(priceChange);
  if (reachedTargetPrice(previous, current, thresholds.targetPrice ?? null))
    changes.push({
      kind: 'target_price_reached',
      changePercent: priceChange?.changePercent ?? null,
    });
  return changes;
}

/**
 * The price crossed the target from above (or first appeared at or below it). Only the crossing
 * counts, so a price that stays below the target does not alert on every check; the minimum
 * change thresholds do not apply: reaching the target is the news.
 */
function reachedTargetPrice(
  previous: ObservedState,
  current: ObservedState,
  targetPrice: Decimal | null,
): boolean {
  if (targetPrice === null || !current.amount) return false;
  if (current.amount.greaterThan(targetPrice)) return false;
  if (!previous.amount || previous.currency !== current.currency) return true;
  return previous.amount.greaterThan(targetPrice);
}

function detectPriceChange(
  previous: ObservedState,
  current: ObservedState,
  thresholds: AlertThresholds,
): DetectedChange | null {
  if (!previous.amount || !current.amount || previous.currency !== current.currency) return null;
  const delta = current.amount.minus(previous.amount);
  if (delta.isZero()) return null;
  if (delta.abs().lessThan(thresholds.minChangeAmount)) return null;
  const percent = previous.amount.isZero() ? null : delta.div(previous.amount).times(100);
  if (percent && percent.abs().lessThan(thresholds.minChangePercent)) return null;
  return {
    kind: delta.isNegative() ? 'price_drop' : 'price_rise',
    changePercent: percent ? percent.toDecimalPlaces(2, Prisma.Decimal.ROUND_HALF_UP) : null,
  };
}
