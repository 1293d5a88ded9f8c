import { createEvent, newId, parseEvent, type ScrapeRequested } from '@shelfwatch/contracts';
import type { ScrapeRequestedEvent, ScraperEvent } from '../../src/scrape/scrape-handler';

export function scrapeRequest(
  url: string,
  kind: ScrapeRequested['kind'] = 'product',
  extra: Partial<ScrapeRequested> = {},
): ScrapeRequestedEvent {
  return createEvent(
    'scrape.requested',
    {
      runId: newId(),
      targetId: newId(),
      url,
      kind,
      requestedAt: new Date().toISOString(),
      attempt: 1,
      ...extra,
    },
    { source: 'shelfwatch/api' },
  );
}

/** The single event of a scrape that must end in exactly one, re-validated against its contract. */
export function onlyEvent<T extends ScraperEvent['type']>(
  events: ScraperEvent[],
  type: T,
): Extract<ScraperEvent, { type: T }> {
  expect(events.map((event) => event.type)).toEqual([type]);
  const parsed = parseEvent(type, JSON.parse(JSON.stringify(events[0])));
  expect(parsed.ok).toBe(true);
  return events[0] as Extract<ScraperEvent, { type: T }>;
}

export function productPage(name: string, price: string, currency = 'EUR'): string {
  const product = {
    '@context': 'https://schema.org',
    '@type': 'Product',
    name,
    sku: 'SKU-1',
    offers: {
      '@type': 'Offer',
      price,
      priceCurrency: currency,
      availability: 'https://schema.org/InStock',
    },
  };
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${name}</title>
<script type="application/ld+json">${JSON.stringify(product)}</script></head>
<body><h1>${name}</h1><p class="price">${price} ${currency}</p></body></html>`;
}
