import { OfferSchema, type SelectorHints } from '@shelfwatch/contracts';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { extractOffers } from '../src/index';

interface ExpectedPage {
  url: string;
  options?: { selectors?: SelectorHints; currencyHint?: string };
  offers: Record<string, unknown>[];
  /** Index of the offer the page is about; the first when not given. */
  primaryOffer?: number;
  minConfidence?: number;
  maxConfidence?: number;
}

const pagesDir = join(__dirname, 'fixtures', 'pages');
const pages = readdirSync(pagesDir)
  .filter((file) => file.endsWith('.html'))
  .sort();

function load(file: string): { html: string; expected: ExpectedPage } {
  const html = readFileSync(join(pagesDir, file), 'utf8');
  const expected = JSON.parse(
    readFileSync(join(pagesDir, file.replace(/\.html$/, '.expected.json')), 'utf8'),
  ) as ExpectedPage;
  return { html, expected };
}

describe('product page fixture corpus', () => {
  it('holds at least 60 pages, each with expected results', () => {
    expect(pages.length).toBeGreaterThanOrEqual(60);
    for (const file of pages) expect(() => load(file)).not.toThrow();
  });

  it.each(pages)('%s gives the expected offers', (file) => {
    const { html, expected } = load(file);
    const result = extractOffers(html, expected.url, expected.options);
    expect(result.offers).toHaveLength(expected.offers.length);
    expected.offers.forEach((offer, index) => {
      expect(result.offers[index]).toMatchObject(offer);
    });
    expect(result.primaryOffer).toBe(
      expected.offers.length === 0 ? undefined : (expected.primaryOffer ?? 0),
    );
    for (const offer of result.offers) expect(OfferSchema.safeParse(offer).success).toBe(true);
    if (expected.offers.length === 0) expect(result.confidence).toBe(0);
    else expect(result.confidence).toBeGreaterThan(0);
    if (expected.minConfidence !== undefined) {
      expect(result.confidence).toBeGreaterThanOrEqual(expected.minConfidence);
    }
    if (expected.maxConfidence !== undefined) {
      expect(result.confidence).toBeLessThanOrEqual(expected.maxConfidence);
    }
  });
});
