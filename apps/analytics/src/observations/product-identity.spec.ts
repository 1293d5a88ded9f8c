import type { Offer } from '@shelfwatch/contracts';
import { productIdentity } from './product-identity';

const offer = (extra: Partial<Offer> = {}): Offer => ({
  price: { amount: '10.00', currency: 'EUR' },
  availability: 'InStock',
  ...extra,
});

describe('productIdentity', () => {
  it('uses the canonical URL the page declares, without fragment', () => {
    expect(
      productIdentity(
        offer({ canonicalUrl: 'https://Shop.example.com/p/1#top' }),
        'https://shop.example.com/p/1?utm_source=x',
      ),
    ).toEqual({
      canonicalUrl: 'https://shop.example.com/p/1',
      variantKey: '',
      host: 'shop.example.com',
    });
  });

  it('falls back to the fetched URL when the page declares no canonical URL', () => {
    expect(productIdentity(offer(), 'https://shop.example.com/p/2').canonicalUrl).toBe(
      'https://shop.example.com/p/2',
    );
  });

  it('tells variants apart by GTIN (normalised to 14 digits), then SKU, then attributes', () => {
    const url = 'https://shop.example.com/p/1';
    expect(productIdentity(offer({ gtin: '4006381333931', sku: 'A' }), url).variantKey).toBe(
      'gtin:04006381333931',
    );
    expect(productIdentity(offer({ sku: 'SHOE-42' }), url).variantKey).toBe('sku:SHOE-42');
    expect(
      productIdentity(offer({ attributes: { size: '42', colour: 'red' } }), url).variantKey,
    ).toBe(productIdentity(offer({ attributes: { colour: 'red', size: '42' } }), url).variantKey);
    expect(productIdentity(offer({ attributes: { size: '42' } }), url).variantKey).not.toBe(
      productIdentity(offer({ attributes: { size: '43' } }), url).variantKey,
    );
  });
});
