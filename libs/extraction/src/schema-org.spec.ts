import { extractOffers } from './extract';

const page = (product: unknown): string =>
  `<html><head><script type="application/ld+json">${JSON.stringify(product)}</script></head><body></body></html>`;

describe('schema.org properties in JSON-LD', () => {
  it('reads properties written as full URLs, with a prefix, in upper case or with spaces around', () => {
    const result = extractOffers(
      page({
        '@type': 'Product',
        'https://schema.org/NAME': 'Linen shirt',
        'SKU ': 'SH-1',
        'schema:offers': {
          '@type': 'Offer',
          'http://schema.org/price': '25.00',
          ' priceCurrency\t': 'EUR',
          'schema.org#Availability': 'https://schema.org/InStock',
        },
      }),
      'https://shop.example.com/p/shirt',
    );

    expect(result.offers[0]).toMatchObject({
      name: 'Linen shirt',
      sku: 'SH-1',
      price: { amount: '25.00', currency: 'EUR' },
      availability: 'InStock',
    });
  });

  it('takes the first of two keys that name the same property', () => {
    const result = extractOffers(
      page({
        '@type': 'Product',
        name: 'Shirt',
        offers: {
          'schema:price': '10.00',
          'https://schema.org/price': '12.00',
          priceCurrency: 'EUR',
        },
      }),
      'https://shop.example.com/p/shirt',
    );

    expect(result.offers[0]?.price).toEqual({ amount: '10.00', currency: 'EUR' });
  });
});
