import { newId } from '../ids';
import {
  ObservationRecordedSchema,
  OfferSchema,
  PriceChangedSchema,
  ProductsDiscoveredSchema,
  ScrapeFailedSchema,
} from './payloads';

describe('event payloads', () => {
  it('requires an availability on every offer and allows a missing price', () => {
    expect(OfferSchema.parse({ price: null, availability: 'Unknown' })).toEqual({
      price: null,
      availability: 'Unknown',
    });
    expect(OfferSchema.safeParse({ price: null }).success).toBe(false);
    expect(OfferSchema.safeParse({ price: null, availability: 'in stock' }).success).toBe(false);
  });

  it('rejects a GTIN that is not 8 to 14 digits', () => {
    expect(
      OfferSchema.safeParse({ price: null, availability: 'InStock', gtin: '12345' }).success,
    ).toBe(false);
  });

  it('keeps confidence between 0 and 1', () => {
    const observation = {
      runId: newId(),
      targetId: newId(),
      url: 'https://shop.example.com/p/1',
      finalUrl: 'https://shop.example.com/p/1',
      fetchedAt: '2025-01-31T12:00:00Z',
      httpStatus: 304,
      notModified: true,
      offers: [],
      confidence: 1,
    };
    expect(ObservationRecordedSchema.safeParse(observation).success).toBe(true);
    expect(ObservationRecordedSchema.safeParse({ ...observation, confidence: 1.01 }).success).toBe(
      false,
    );
  });

  it('names the primary offer by an index into the offers', () => {
    const observation = {
      runId: newId(),
      targetId: newId(),
      url: 'https://shop.example.com/p/1',
      finalUrl: 'https://shop.example.com/p/1',
      fetchedAt: '2025-01-31T12:00:00Z',
      httpStatus: 200,
      notModified: false,
      offers: [
        { price: null, availability: 'OutOfStock', sku: 'A-1' },
        { price: null, availability: 'InStock', sku: 'A-2' },
      ],
      confidence: 0.9,
    };
    expect(ObservationRecordedSchema.safeParse(observation).success).toBe(true);
    expect(ObservationRecordedSchema.safeParse({ ...observation, primaryOffer: 1 }).success).toBe(
      true,
    );
    expect(ObservationRecordedSchema.safeParse({ ...observation, primaryOffer: 2 }).success).toBe(
      false,
    );
  });

  it('knows only the documented scrape error classes', () => {
    const failure = {
      runId: newId(),
      targetId: newId(),
      url: 'https://shop.example.com/p/1',
      failedAt: '2025-01-31T12:00:00Z',
      errorClass: 'robots_disallowed',
      retryable: false,
      message: 'disallowed by robots.txt',
    };
    expect(ScrapeFailedSchema.safeParse(failure).success).toBe(true);
    expect(ScrapeFailedSchema.safeParse({ ...failure, errorClass: 'oops' }).success).toBe(false);
  });

  it('limits discovered URLs to between 1 and 5000 absolute http(s) URLs', () => {
    const base = { runId: newId(), sourceTargetId: newId(), discoveredAt: '2025-01-31T12:00:00Z' };
    const urls = Array.from({ length: 5000 }, (_, i) => `https://shop.example.com/p/${i}`);
    expect(ProductsDiscoveredSchema.safeParse({ ...base, urls }).success).toBe(true);
    expect(
      ProductsDiscoveredSchema.safeParse({
        ...base,
        urls: [...urls, 'https://shop.example.com/p/x'],
      }).success,
    ).toBe(false);
    expect(ProductsDiscoveredSchema.safeParse({ ...base, urls: ['/p/1'] }).success).toBe(false);
  });

  it('describes a first comparable price with null previous and null percentage', () => {
    const change = {
      productId: newId(),
      url: 'https://shop.example.com/p/1',
      previous: null,
      current: { amount: '10.00', currency: 'USD' },
      changeKind: 'rise',
      changePercent: null,
      observedAt: '2025-01-31T12:00:00Z',
    };
    expect(PriceChangedSchema.safeParse(change).success).toBe(true);
    expect(PriceChangedSchema.safeParse({ ...change, changeKind: 'back_in_stock' }).success).toBe(
      false,
    );
    expect(PriceChangedSchema.safeParse({ ...change, changePercent: -12.5 }).success).toBe(false);
  });
});
