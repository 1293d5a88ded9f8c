import { newId } from './ids';
import {
  InvalidEventError,
  createEvent,
  eventTypes,
  parseEvent,
  topicFor,
  topics,
  type EventPayload,
  type EventType,
} from './topics';

const runId = newId();
const targetId = newId();

const scrapeRequested: EventPayload<'scrape.requested'> = {
  runId,
  targetId,
  url: 'https://shop.example.com/p/1',
  kind: 'product',
  selectors: { price: '.price' },
  etag: 'W/"abc"',
  requestedAt: '2025-01-31T12:00:00.000Z',
  attempt: 1,
};

const samples: { [T in EventType]: EventPayload<T> } = {
  'scrape.requested': scrapeRequested,
  'observation.recorded': {
    runId,
    targetId,
    url: 'https://shop.example.com/p/1',
    finalUrl: 'https://shop.example.com/products/1',
    fetchedAt: '2025-01-31T12:00:01.000Z',
    httpStatus: 200,
    notModified: false,
    offers: [
      {
        name: 'Espresso machine',
        price: { amount: '199.00', currency: 'EUR' },
        listPrice: { amount: '249.00', currency: 'EUR' },
        availability: 'InStock',
        gtin: '4006381333931',
        attributes: { colour: 'red' },
        sources: { price: 'json-ld', name: 'opengraph' },
      },
    ],
    confidence: 0.95,
  },
  'scrape.failed': {
    runId,
    targetId,
    url: 'https://shop.example.com/p/1',
    failedAt: '2025-01-31T12:00:01.000Z',
    errorClass: 'http_5xx',
    retryable: true,
    message: 'origin answered 503',
    httpStatus: 503,
    retryAfterSeconds: 120,
  },
  'products.discovered': {
    runId,
    sourceTargetId: targetId,
    discoveredAt: '2025-01-31T12:00:01.000Z',
    urls: ['https://shop.example.com/p/1', 'https://shop.example.com/p/2'],
  },
  'price.changed': {
    productId: newId(),
    targetId,
    url: 'https://shop.example.com/p/1',
    previous: { amount: '249.00', currency: 'EUR' },
    current: { amount: '199.00', currency: 'EUR' },
    changeKind: 'drop',
    changePercent: '-20.08',
    observedAt: '2025-01-31T12:00:01.000Z',
  },
  'alert.raised': {
    alertId: newId(),
    accountId: newId(),
    watchId: newId(),
    productId: newId(),
    targetId,
    kind: 'target_price_reached',
    url: 'https://shop.example.com/p/1',
    productName: 'Espresso machine',
    watchLabels: ['kitchen'],
    previous: { amount: '249.00', currency: 'EUR' },
    current: { amount: '199.00', currency: 'EUR' },
    previousAvailability: 'InStock',
    availability: 'InStock',
    changePercent: '-20.08',
    targetPrice: { amount: '200.00', currency: 'EUR' },
    observedAt: '2025-01-31T12:00:01.000Z',
  },
  'webhook.delivery-requested': {
    accountId: newId(),
    endpointId: newId(),
    request: 'resend',
    eventId: newId(),
  },
};

describe('topic registry', () => {
  it('registers the seven event types, each on its own topic at version 1', () => {
    expect([...eventTypes].sort()).toEqual([
      'alert.raised',
      'observation.recorded',
      'price.changed',
      'products.discovered',
      'scrape.failed',
      'scrape.requested',
      'webhook.delivery-requested',
    ]);
    expect(eventTypes.map(topicFor).sort()).toEqual([
      'alert-raised',
      'observation-recorded',
      'price-changed',
      'products-discovered',
      'scrape-failed',
      'scrape-requested',
      'webhook-delivery-requested',
    ]);
    for (const type of eventTypes) expect(topics[type].version).toBe(1);
  });
});

describe('createEvent', () => {
  it.each(eventTypes)('wraps a valid %s payload in the envelope', (type) => {
    const event = createEvent(type, samples[type], { source: 'shelfwatch/test' });
    expect(event).toEqual({
      id: expect.stringMatching(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-/),
      type,
      version: 1,
      occurredAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
      source: 'shelfwatch/test',
      data: samples[type],
    });
  });

  it('uses the given id, time and trace context', () => {
    const id = newId();
    const event = createEvent('scrape.requested', scrapeRequested, {
      source: 'shelfwatch/api',
      id,
      occurredAt: new Date('2025-01-31T12:00:00Z'),
      traceparent: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01',
      correlationId: 'req-1',
    });
    expect(event).toMatchObject({
      id,
      occurredAt: '2025-01-31T12:00:00.000Z',
      traceparent: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01',
      correlationId: 'req-1',
    });
  });

  it('rejects an invalid payload, naming the event type and every bad field', () => {
    const bad = { ...scrapeRequested, url: 'ftp://shop.example.com/p/1', targetId: 'nope' };
    expect(() => createEvent('scrape.requested', bad, { source: 'shelfwatch/api' })).toThrow(
      InvalidEventError,
    );
    expect(() => createEvent('scrape.requested', bad, { source: 'shelfwatch/api' })).toThrow(
      'Invalid scrape.requested event: data.targetId: must be a UUID; data.url: must use http or https',
    );
  });

  it('rejects money as a float', () => {
    const data = {
      ...samples['price.changed'],
      current: { amount: 199 as unknown as string, currency: 'EUR' },
    };
    expect(() => createEvent('price.changed', data, { source: 'shelfwatch/analytics' })).toThrow(
      /data\.current\.amount/,
    );
  });

  it('rejects an unregistered event type and a missing source', () => {
    expect(() => createEvent('target.deleted' as EventType, {} as never, { source: 'x' })).toThrow(
      'Invalid target.deleted event: type: is not a registered event type',
    );
    expect(() => createEvent('scrape.requested', scrapeRequested, { source: '' })).toThrow(
      /source/,
    );
  });
});

describe('parseEvent', () => {
  it.each(eventTypes)('round-trips a %s event through JSON', (type) => {
    const event = createEvent(type, samples[type], { source: 'shelfwatch/test' });
    const result = parseEvent(type, JSON.parse(JSON.stringify(event)));
    expect(result).toEqual({ ok: true, event });
  });

  it('accepts the JSON text or bytes of a message', () => {
    const event = createEvent('scrape.failed', samples['scrape.failed'], {
      source: 'shelfwatch/scraper',
    });
    expect(parseEvent('scrape.failed', JSON.stringify(event))).toEqual({ ok: true, event });
    expect(parseEvent('scrape.failed', Buffer.from(JSON.stringify(event)))).toEqual({
      ok: true,
      event,
    });
  });

  it('rejects an event of another type', () => {
    const event = createEvent('scrape.failed', samples['scrape.failed'], {
      source: 'shelfwatch/scraper',
    });
    const result = parseEvent('scrape.requested', event);
    expect(result.ok).toBe(false);
    expect(!result.ok && result.error).toMatch(/^Invalid scrape\.requested event: .*type: /);
  });

  it('rejects another payload version', () => {
    const event = {
      ...createEvent('price.changed', samples['price.changed'], { source: 'a' }),
      version: 2,
    };
    const result = parseEvent('price.changed', event);
    expect(!result.ok && result.error).toMatch(/version/);
  });

  it('reports invalid data by field without throwing', () => {
    const event = createEvent('products.discovered', samples['products.discovered'], {
      source: 'shelfwatch/scraper',
    });
    const raw = { ...event, data: { ...event.data, urls: [] } };
    expect(parseEvent('products.discovered', raw)).toEqual({
      ok: false,
      error: expect.stringMatching(/^Invalid products\.discovered event: data\.urls: /),
    });
  });

  it.each([
    ['undefined', undefined],
    ['null', null],
    ['a number', 42],
    ['broken JSON', '{"id":'],
    ['an empty object', {}],
  ])('returns ok:false for %s', (_label, raw) => {
    const result = parseEvent('scrape.requested', raw);
    expect(result.ok).toBe(false);
    expect(!result.ok && result.error).toMatch(/scrape\.requested/);
  });

  it('returns ok:false for an unregistered event type', () => {
    expect(parseEvent('nope' as EventType, {})).toEqual({
      ok: false,
      error: '"nope" is not a registered event type',
    });
  });

  it('accepts and drops fields added by a newer publisher of the same version', () => {
    const event = createEvent('scrape.requested', scrapeRequested, { source: 'shelfwatch/api' });
    const newer = {
      ...event,
      partition: 7,
      data: { ...event.data, priority: 'high', selectors: { price: '.price', rating: '.stars' } },
    };
    const result = parseEvent('scrape.requested', newer);
    expect(result).toEqual({ ok: true, event });
  });
});
