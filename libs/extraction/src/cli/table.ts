import type { Offer } from '@shelfwatch/contracts';
import type { ExtractionResult } from '../extract';

const money = (value: Offer['price'] | undefined) =>
  value ? `${value.amount} ${value.currency}` : '-';

function clip(text: string, width: number): string {
  return text.length > width ? `${text.slice(0, width - 1)}…` : text;
}

/** The offers as an aligned text table for a person at a terminal. */
export function formatTable(result: ExtractionResult): string {
  const header = [
    '#',
    'name',
    'price',
    'was',
    'availability',
    'sku',
    'gtin',
    'attributes',
    'price from',
  ];
  const rows = result.offers.map((offer, index) => [
    String(index + 1),
    clip(offer.name ?? '-', 48),
    money(offer.price),
    money(offer.listPrice),
    offer.availability,
    clip(offer.sku ?? '-', 24),
    offer.gtin ?? '-',
    clip(
      Object.entries(offer.attributes ?? {})
        .map(([key, value]) => `${key}=${value}`)
        .join(', ') || '-',
      32,
    ),
    offer.sources?.['price'] ?? '-',
  ]);
  const widths = header.map((title, column) =>
    Math.max(title.length, ...rows.map((row) => (row[column] ?? '').length)),
  );
  const line = (cells: string[]) =>
    cells
      .map((cell, column) => cell.padEnd(widths[column] ?? 0))
      .join('  ')
      .trimEnd();
  const summary = [
    `offers: ${result.offers.length}`,
    `confidence: ${result.confidence}`,
    result.canonicalUrl ? `canonical: ${result.canonicalUrl}` : '',
    result.lang ? `lang: ${result.lang}` : '',
  ]
    .filter(Boolean)
    .join('  ');
  if (rows.length === 0) return `${summary}\n`;
  return `${summary}\n\n${[line(header), line(widths.map((width) => '-'.repeat(width))), ...rows.map(line)].join('\n')}\n`;
}
