import { extractOffers } from '@shelfwatch/extraction';
import { catalog } from '../demo-shop/catalog';
import { decimalPrice, quoteAt } from '../demo-shop/market';
import { startDemoShop, type DemoShop } from '../demo-shop/server';

describe('the demo shop', () => {
  let shop: DemoShop;

  beforeAll(async () => {
    shop = await startDemoShop({ epochMs: 3_600_000 });
  });

  afterAll(() => shop.close());

  it('sells a few dozen products in every kind of markup', () => {
    expect(catalog.length).toBeGreaterThanOrEqual(24);
    expect(new Set(catalog.map((product) => product.markup))).toEqual(
      new Set(['json-ld', 'microdata', 'opengraph', 'plain']),
    );
    expect(new Set(catalog.map((product) => product.slug)).size).toBe(catalog.length);
  });

  it('serves product pages whose price and stock the extractor reads back', async () => {
    for (const product of catalog) {
      const url = `${shop.url}/products/${product.slug}`;
      const response = await fetch(url);
      expect(response.status).toBe(200);
      const quote = quoteAt(product, shop.epoch());
      const [offer] = extractOffers(await response.text(), url).offers;
      expect({ slug: product.slug, price: offer?.price }).toEqual({
        slug: product.slug,
        price: { amount: decimalPrice(quote.priceMinor), currency: product.currency },
      });
      if (product.markup !== 'plain')
        expect({ slug: product.slug, availability: offer?.availability }).toEqual({
          slug: product.slug,
          availability: quote.availability,
        });
    }
  });

  it('lists every product across its listing pages and in its sitemap', async () => {
    const sitemap = await (await fetch(`${shop.url}/sitemap.xml`)).text();
    expect(sitemap.match(/<loc>/g)).toHaveLength(catalog.length);
    const robots = await (await fetch(`${shop.url}/robots.txt`)).text();
    expect(robots).toContain(`Sitemap: ${shop.url}/sitemap.xml`);

    const linked = new Set<string>();
    let next: string | undefined = `${shop.url}/products`;
    while (next) {
      const html: string = await (await fetch(next)).text();
      for (const [, slug] of html.matchAll(/href="\/products\/([a-z0-9-]+)"/g)) linked.add(slug!);
      const rel: string | undefined = /<a rel="next" href="([^"]+)"/.exec(html)?.[1];
      next = rel ? `${shop.url}${rel}` : undefined;
    }
    expect(linked.size).toBe(catalog.length);
    expect((await fetch(`${shop.url}/products/no-such-thing`)).status).toBe(404);
  });

  it('moves prices and stock from one epoch to the next: drops, rises and restocks', () => {
    const seen = { drop: 0, rise: 0, outOfStock: 0, restock: 0 };
    for (let epoch = 1; epoch <= 12; epoch++) {
      let changed = 0;
      for (const product of catalog) {
        const before = quoteAt(product, epoch - 1);
        const after = quoteAt(product, epoch);
        if (after.priceMinor < before.priceMinor) seen.drop++;
        if (after.priceMinor > before.priceMinor) seen.rise++;
        if (after.priceMinor !== before.priceMinor) changed++;
        if (before.availability !== 'OutOfStock' && after.availability === 'OutOfStock')
          seen.outOfStock++;
        if (before.availability === 'OutOfStock' && after.availability !== 'OutOfStock')
          seen.restock++;
      }
      expect({ epoch, changed: changed > 0 }).toEqual({ epoch, changed: true });
    }
    expect(seen.drop).toBeGreaterThan(0);
    expect(seen.rise).toBeGreaterThan(0);
    expect(seen.outOfStock).toBeGreaterThan(0);
    expect(seen.restock).toBeGreaterThan(0);
  });

  it('shows the next epoch’s prices after the clock moves on', async () => {
    const product = catalog.find(
      (item) =>
        quoteAt(item, shop.epoch()).priceMinor !== quoteAt(item, shop.epoch() + 1).priceMinor,
    )!;
    const url = `${shop.url}/products/${product.slug}`;
    const before = extractOffers(await (await fetch(url)).text(), url).offers[0]?.price;
    shop.advance();
    const after = extractOffers(await (await fetch(url)).text(), url).offers[0]?.price;
    expect(after?.amount).toBe(decimalPrice(quoteAt(product, shop.epoch()).priceMinor));
    expect(after?.amount).not.toBe(before?.amount);
  });
});
