/** How the dashboard writes money, changes, times and stock for a person. */
import type { Availability, Money } from './api/types';

export function formatMoney(money: Money | null | undefined): string {
  if (!money) return '—';
  const amount = Number(money.amount);
  try {
    return new Intl.NumberFormat('en', { style: 'currency', currency: money.currency }).format(
      amount,
    );
  } catch {
    return `${money.amount} ${money.currency}`;
  }
}

export interface PriceChange {
  /** Signed difference, in the currency of both prices. */
  amount: number;
  /** Signed percent of the previous price; null when the previous price is zero. */
  percent: number | null;
  direction: 'down' | 'up' | 'same';
}

/** The change from `previous` to `current`; null when either is missing or currencies differ. */
export function priceChange(
  previous: Money | null | undefined,
  current: Money | null | undefined,
): PriceChange | null {
  if (!previous || !current || previous.currency !== current.currency) return null;
  const before = Number(previous.amount);
  const after = Number(current.amount);
  // Amounts are decimal strings; compare in integer hundred-thousandths to avoid float noise.
  const delta = Math.round((after - before) * 100_000) / 100_000;
  return {
    amount: delta,
    percent: before === 0 ? null : Math.round((delta / before) * 10_000) / 100,
    direction: delta < 0 ? 'down' : delta > 0 ? 'up' : 'same',
  };
}

export function formatChange(change: PriceChange | null, currency?: string): string {
  if (!change) return '—';
  if (change.direction === 'same') return 'no change';
  const sign = change.amount > 0 ? '+' : '−';
  const amount = currency
    ? formatMoney({ amount: Math.abs(change.amount).toFixed(2), currency })
    : Math.abs(change.amount).toFixed(2);
  const percent = change.percent === null ? '' : ` (${sign}${Math.abs(change.percent)} %)`;
  return `${sign}${amount}${percent}`;
}

const availabilityLabels: Record<Availability, string> = {
  InStock: 'In stock',
  OutOfStock: 'Out of stock',
  PreOrder: 'Pre-order',
  BackOrder: 'Back order',
  LimitedAvailability: 'Limited',
  Discontinued: 'Discontinued',
  Unknown: 'Unknown',
};

export function formatAvailability(availability: Availability): string {
  return availabilityLabels[availability];
}

/** Whether a shop would sell it now: shaded as a stock gap on the chart otherwise. */
export function isBuyable(availability: Availability): boolean {
  return availability === 'InStock' || availability === 'LimitedAvailability';
}

/** "3 min ago", "2 h ago", "5 d ago" relative to `now`; "never" without a time. */
export function formatAgo(iso: string | null | undefined, now: number = Date.now()): string {
  if (!iso) return 'never';
  const seconds = Math.max(0, Math.round((now - Date.parse(iso)) / 1000));
  if (seconds < 60) return `${seconds} s ago`;
  const minutes = Math.round(seconds / 60);
  if (minutes < 60) return `${minutes} min ago`;
  const hours = Math.round(minutes / 60);
  if (hours < 48) return `${hours} h ago`;
  return `${Math.round(hours / 24)} d ago`;
}

export function formatDateTime(iso: string): string {
  return new Date(iso).toLocaleString('en-GB', { dateStyle: 'medium', timeStyle: 'short' });
}

export function formatInterval(seconds: number): string {
  if (seconds % 86_400 === 0) return `${seconds / 86_400} d`;
  if (seconds % 3600 === 0) return `${seconds / 3600} h`;
  if (seconds % 60 === 0) return `${seconds / 60} min`;
  return `${seconds} s`;
}

export const alertKindLabels = {
  price_drop: 'Price drop',
  price_rise: 'Price rise',
  target_price_reached: 'Target price reached',
  back_in_stock: 'Back in stock',
  out_of_stock: 'Out of stock',
  new_product: 'New product',
} as const;
