import type { PriceHistory } from '@shelfwatch/contracts';

const COLUMNS = [
  'observed_at',
  'amount',
  'currency',
  'list_price',
  'availability',
  'not_modified',
  'run_id',
] as const;

/** RFC 4180 field: quoted when it holds a comma, quote or line break. */
function field(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

/** A page of price history as RFC 4180 CSV with a header row; money stays decimal strings. */
export function priceHistoryCsv(history: PriceHistory): string {
  const rows = history.items.map((point) =>
    [
      point.observedAt,
      point.price?.amount ?? '',
      point.price?.currency ?? point.listPrice?.currency ?? '',
      point.listPrice?.amount ?? '',
      point.availability,
      String(point.notModified),
      point.runId,
    ]
      .map(field)
      .join(','),
  );
  return [COLUMNS.join(','), ...rows].map((line) => `${line}\r\n`).join('');
}
