import { OfferSchema } from './payloads';
import { sanitizeOffer, sanitizeText } from './sanitize';

describe('sanitizeText', () => {
  it('removes NUL and other control characters and collapses whitespace', () => {
    expect(sanitizeText('Espresso\u0000 machine\u0007\u009f\n\tdeluxe', 100)).toBe(
      'Espresso machine deluxe',
    );
  });

  it('replaces lone surrogates and keeps proper pairs', () => {
    expect(sanitizeText('a\ud800b\udc00c\ud83d\ude00', 100)).toBe('a\ufffdb\ufffdc\ud83d\ude00');
  });

  it('cuts over-long text without splitting a surrogate pair', () => {
    expect(sanitizeText('x'.repeat(1_000_000), 1000)).toHaveLength(1000);
    const cut = sanitizeText('ab\ud83d\ude00', 3)!;
    expect(cut).toBe('ab');
  });

  it('returns undefined when nothing printable is left', () => {
    expect(sanitizeText('\u0000\u0001  ', 10)).toBeUndefined();
  });
});

describe('sanitizeOffer', () => {
  it('turns an offer with NUL, lone surrogates and 1 MB strings in every field into a valid one', () => {
    const huge = `${'\u0000\ud800'.repeat(10)}${'y'.repeat(1_000_000)}`;
    const offer = sanitizeOffer({
      name: huge,
      sku: huge,
      mpn: huge,
      brand: huge,
      price: { amount: '19.99', currency: 'EUR' },
      availability: 'InStock',
      attributes: { [huge]: huge, colour: '\u0000' },
    });
    expect(OfferSchema.safeParse(offer).success).toBe(true);
    expect(JSON.stringify(offer)).not.toMatch(/\\u0000|\\ud800/);
    expect(offer.name).toHaveLength(1000);
    expect(Object.keys(offer.attributes!)).toHaveLength(1);
  });

  it('drops a field that held nothing printable', () => {
    const offer = sanitizeOffer({ name: '\u0000', price: null, availability: 'InStock' });
    expect(offer).toEqual({ price: null, availability: 'InStock' });
  });
});
