import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { extractOffers, normalizeAvailability, parsePrice } from '../src/index';

const url = 'https://shop.example.com/p/1';
const sample = readFileSync(
  join(__dirname, 'fixtures', 'pages', 'woocommerce-yoast-graph-sale.html'),
  'utf8',
);

describe('extraction on hostile input', () => {
  it('returns no offers for binary content', () => {
    const binary = randomBytes(1024 * 1024).toString('latin1');
    expect(extractOffers(binary, url)).toEqual({ offers: [], confidence: 0 });
  });

  it('returns no offers for empty, whitespace and non-string input', () => {
    expect(extractOffers('', url)).toEqual({ offers: [], confidence: 0 });
    expect(extractOffers('   \n ', url).offers).toEqual([]);
    expect(extractOffers(undefined as unknown as string, url)).toEqual({
      offers: [],
      confidence: 0,
    });
    expect(extractOffers(42 as unknown as string, url)).toEqual({ offers: [], confidence: 0 });
  });

  it('survives a page truncated at every 997th byte', () => {
    for (let end = 0; end < sample.length; end += 997) {
      const result = extractOffers(sample.slice(0, end), url);
      expect(Array.isArray(result.offers)).toBe(true);
      expect(result.confidence).toBeGreaterThanOrEqual(0);
      expect(result.confidence).toBeLessThanOrEqual(1);
    }
  });

  it('handles a 10 MB page of nested markup without throwing', () => {
    const chunk = '<div class="price"><span>$1,0</span><ul><li>';
    const huge = `<html><body><h1>Big</h1>${chunk.repeat(Math.ceil((10 * 1024 * 1024) / chunk.length))}`;
    expect(huge.length).toBeGreaterThanOrEqual(10 * 1024 * 1024);
    const result = extractOffers(huge, url);
    expect(Array.isArray(result.offers)).toBe(true);
  });

  it('handles a 10 MB JSON-LD block and pathological separators', () => {
    const block = `<script type="application/ld+json">{"@type":"Product","name":"${'a'.repeat(10 * 1024 * 1024)}</script>`;
    expect(extractOffers(block, url).offers).toEqual([]);
    const separators = parsePrice(`${'1,'.repeat(100_000)}x`);
    expect(separators === null || /^\d+(\.\d+)?$/.test(separators.amount)).toBe(true);
    expect(normalizeAvailability('out of '.repeat(100_000))).toBe('Unknown');
  });

  it('ignores a malformed page URL and selectors that are not CSS', () => {
    const result = extractOffers(sample, 'not a url', {
      selectors: { price: '!!!', name: 'h1[' },
    });
    expect(result.offers.length).toBeGreaterThan(0);
  });

  it('reads markup with unclosed tags, stray entities and NUL characters', () => {
    const html =
      '<html><body><h1>Lamp &amp&foo; <b>bold<div itemscope itemtype="http://schema.org/Product"><span itemprop="name">Desk Lamp</span><span itemprop="price" content="25">\u0000</span><meta itemprop="priceCurrency" content="EUR">';
    const result = extractOffers(html, url);
    expect(result.offers[0]).toMatchObject({
      name: 'Desk Lamp',
      price: { amount: '25', currency: 'EUR' },
    });
  });
});
