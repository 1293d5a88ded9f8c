import { encodePageToken, newId } from '@shelfwatch/contracts';
import { Prisma, type PrismaClient } from '@shelfwatch/db';
import type { Express } from 'express';
import request from 'supertest';
import {
  createTestAccount,
  startApiHarness,
  withKey,
  type ApiHarness,
  watchedTarget as watchTarget,
} from './api-harness';

const PROBLEM_JSON = /application\/problem\+json/;
const UNKNOWN_ID = '0190f5e4-8a3c-7b2d-9e4f-1a2b3c4d5e6f';

const at = (minute: number) => new Date(Date.UTC(2025, 0, 31, 12, minute));

describe('read side: products, prices, runs and alerts against a real PostgreSQL', () => {
  let harness: ApiHarness;
  let prisma: PrismaClient;
  let app: Express;
  let adminKey: string;
  let accountId: string;
  let watchedTargetId: string;
  const api = () => withKey(app, adminKey);

  beforeAll(async () => {
    harness = await startApiHarness();
    ({ app, prisma } = harness);
    const reader = await createTestAccount(prisma);
    adminKey = reader.apiKey.key;
    accountId = reader.accountId;
  });
  afterAll(() => harness.close());
  beforeEach(async () => {
    await prisma.$executeRawUnsafe(
      'TRUNCATE alerts, price_points, products, scrape_runs, targets, processed_events CASCADE',
    );
    watchedTargetId = await watchedTarget('https://shop.example.com/sitemap.xml');
  });

  /** A target the reading account watches: what it reads is only what comes through one. */
  const watchedTarget = (url: string) => watchTarget(prisma, accountId, url);

  async function insertProduct(
    extra: Partial<Prisma.ProductCreateManyInput> = {},
  ): Promise<string> {
    const id = newId();
    await prisma.product.create({
      data: {
        id,
        url: `https://shop.example.com/p/${id}`,
        canonicalUrl: `https://shop.example.com/p/${id}`,
        variantKey: '',
        host: 'shop.example.com',
        name: 'Espresso machine',
        currency: 'EUR',
        latestPrice: new Prisma.Decimal('19.99'),
        latestAvailability: 'InStock',
        latestObservedAt: at(0),
        firstSeenAt: at(0),
        targetId: watchedTargetId,
        ...extra,
      },
    });
    return id;
  }

  async function insertPoints(productId: string, amounts: string[]): Promise<void> {
    await prisma.pricePoint.createMany({
      data: amounts.map((amount, minute) => ({
        id: newId(),
        productId,
        runId: newId(),
        observedAt: at(minute),
        amount: new Prisma.Decimal(amount),
        currency: 'EUR',
        availability: 'InStock' as const,
        sourceEventId: newId(),
      })),
    });
  }

  describe('GET /v1/products', () => {
    it('answers a product with its money as exact decimal strings', async () => {
      const id = await insertProduct({
        latestPrice: new Prisma.Decimal('19.9'),
        latestListPrice: new Prisma.Decimal('24.99'),
        attributes: { size: '42' },
      });

      const response = await api().get(`/v1/products/${id}`);

      expect(response.status).toBe(200);
      expect(response.body).toMatchObject({
        id,
        host: 'shop.example.com',
        price: { amount: '19.90', currency: 'EUR' },
        listPrice: { amount: '24.99', currency: 'EUR' },
        availability: 'InStock',
        attributes: { size: '42' },
        latestObservedAt: at(0).toISOString(),
        targetId: watchedTargetId,
      });
    });

    it('pages through every product exactly once', async () => {
      const ids: string[] = [];
      for (let i = 0; i < 5; i++) ids.push(await insertProduct());

      const seen: string[] = [];
      let token: string | null = null;
      do {
        const response = await api()
          .get('/v1/products')
          .query({ page_size: 2, ...(token ? { page_token: token } : {}) });
        expect(response.status).toBe(200);
        seen.push(...response.body.items.map((item: { id: string }) => item.id));
        token = response.body.nextPageToken;
      } while (token);

      expect(seen).toEqual(ids);
    });

    it('filters by host (case-insensitively) and by latest availability', async () => {
      const wanted = await insertProduct({ latestAvailability: 'OutOfStock' });
      await insertProduct({ latestAvailability: 'InStock' });
      await insertProduct({ host: 'other.example.org', latestAvailability: 'OutOfStock' });

      const response = await api()
        .get('/v1/products')
        .query({ host: 'Shop.Example.com', availability: 'OutOfStock' });

      expect(response.status).toBe(200);
      expect(response.body.items.map((item: { id: string }) => item.id)).toEqual([wanted]);
    });

    it.each([
      [{ availability: 'in stock' }, 'availability'],
      [{ page_size: '0' }, 'page_size'],
      [{ colour: 'red' }, 'colour'],
    ])('rejects %j with a 400 naming the parameter', async (query, name) => {
      const response = await api().get('/v1/products').query(query);

      expect(response.status).toBe(400);
      expect(response.headers['content-type']).toMatch(PROBLEM_JSON);
      expect(response.body.type).toMatch(/validation-failed$/);
      expect(JSON.stringify(response.body.errors)).toContain(name);
    });

    it('rejects a page token it did not issue', async () => {
      const response = await api().get('/v1/products').query({ page_token: 'nope' });

      expect(response.status).toBe(400);
      expect(response.body.type).toMatch(/invalid-page-token$/);
    });

    it('answers 400 to a malformed id and 404 to an unknown one', async () => {
      const malformed = await api().get('/v1/products/42');
      const unknown = await api().get(`/v1/products/${UNKNOWN_ID}`);

      expect(malformed.status).toBe(400);
      expect(unknown.status).toBe(404);
      expect(unknown.headers['content-type']).toMatch(PROBLEM_JSON);
      expect(unknown.body.type).toMatch(/not-found$/);
    });
  });

  describe('GET /v1/products/:id/prices', () => {
    it('answers the history oldest first, within from/to, paged by observation time', async () => {
      const id = await insertProduct();
      await insertPoints(id, ['20.00', '19.99', '18.50', '18.50', '21.00']);

      const first = await api()
        .get(`/v1/products/${id}/prices`)
        .query({ from: at(1).toISOString(), to: at(3).toISOString(), page_size: 2 });
      expect(first.status).toBe(200);
      expect(first.body.productId).toBe(id);
      expect(first.body.items.map((point: { price: unknown }) => point.price)).toEqual([
        { amount: '19.99', currency: 'EUR' },
        { amount: '18.50', currency: 'EUR' },
      ]);
      expect(first.body.items[0]).toMatchObject({
        observedAt: at(1).toISOString(),
        availability: 'InStock',
        notModified: false,
      });

      const second = await api()
        .get(`/v1/products/${id}/prices`)
        .query({
          from: at(1).toISOString(),
          to: at(3).toISOString(),
          page_size: 2,
          page_token: first.body.nextPageToken,
        });
      expect(second.status).toBe(200);
      expect(second.body.items.map((point: { observedAt: string }) => point.observedAt)).toEqual([
        at(3).toISOString(),
      ]);
      expect(second.body.nextPageToken).toBeNull();
    });

    it.each([
      [{ from: 'yesterday' }, 'from'],
      [{ to: '2025-01-31T12:00:00+02:00' }, 'to'],
      [{ from: '2025-02-01T00:00:00Z', to: '2025-01-01T00:00:00Z' }, 'from'],
      [{ page_size: '1001' }, 'page_size'],
    ])('rejects %j with a 400 naming the parameter', async (query, name) => {
      const id = await insertProduct();

      const response = await api().get(`/v1/products/${id}/prices`).query(query);

      expect(response.status).toBe(400);
      expect(response.headers['content-type']).toMatch(PROBLEM_JSON);
      expect(JSON.stringify(response.body.errors)).toContain(name);
    });

    it("answers stored amounts of any scale in the currency's minor units, list prices too", async () => {
      const id = await insertProduct();
      await prisma.pricePoint.createMany({
        data: [
          ['20', '25.5', 'EUR'],
          ['19.900', null, 'EUR'],
          ['0.125', null, 'EUR'],
          ['1500.0', '2000', 'JPY'],
        ].map(([amount, listPrice, currency], minute) => ({
          id: newId(),
          productId: id,
          runId: newId(),
          observedAt: at(minute),
          amount: new Prisma.Decimal(amount as string),
          listPrice: listPrice ? new Prisma.Decimal(listPrice) : null,
          currency: currency as string,
          availability: 'InStock' as const,
          sourceEventId: newId(),
        })),
      });

      const response = await api().get(`/v1/products/${id}/prices`);

      expect(response.status).toBe(200);
      expect(
        response.body.items.map((point: { price: unknown; listPrice: unknown }) => [
          point.price,
          point.listPrice,
        ]),
      ).toEqual([
        [
          { amount: '20.00', currency: 'EUR' },
          { amount: '25.50', currency: 'EUR' },
        ],
        [{ amount: '19.90', currency: 'EUR' }, null],
        [{ amount: '0.125', currency: 'EUR' }, null],
        [
          { amount: '1500', currency: 'JPY' },
          { amount: '2000', currency: 'JPY' },
        ],
      ]);
    });

    it('answers 404 for the prices of a product no watch of the account leads to', async () => {
      const id = await insertProduct({ targetId: null });
      await insertPoints(id, ['19.99']);

      const response = await api().get(`/v1/products/${id}/prices`);

      expect(response.status).toBe(404);
      expect(response.headers['content-type']).toMatch(PROBLEM_JSON);
    });

    it.each([
      ['from=0000-01-01T00:00:00Z', 'query.from'],
      ['to=0000-06-30T12:00:00.000Z', 'query.to'],
      ['from=10000-01-01T00:00:00Z', 'query.from'],
    ])('answers 400 problem+json for an out-of-range time, %s', async (query, path) => {
      const id = await insertProduct();
      const response = await api().get(`/v1/products/${id}/prices?${query}`);

      expect(response.status).toBe(400);
      expect(response.headers['content-type']).toMatch(PROBLEM_JSON);
      expect(response.body.errors.map((error: { path: string }) => error.path)).toEqual([path]);
    });

    it.each(['host=%00', 'host=%ED%A0%80', 'q=a%00b'])(
      'answers 400 problem+json for NUL or a lone surrogate in %s',
      async (query) => {
        const response = await api().get(`/v1/products?${query}`);
        expect(response.status).toBe(400);
        expect(response.headers['content-type']).toMatch(PROBLEM_JSON);
      },
    );

    it('rejects a page token of another product', async () => {
      const id = await insertProduct();
      const other = await insertProduct();
      await insertPoints(other, ['1.00']);
      const otherPoint = await prisma.pricePoint.findFirstOrThrow({ where: { productId: other } });

      const response = await api()
        .get(`/v1/products/${id}/prices`)
        .query({ page_token: encodePageToken({ id: otherPoint.id }) });

      expect(response.status).toBe(400);
      expect(response.body.type).toMatch(/invalid-page-token$/);
    });

    it('answers price history as CSV for Accept: text/csv, paging through Next-Page-Token', async () => {
      const id = await insertProduct();
      await insertPoints(id, ['19.99', '18.50', '21.00']);

      const first = await api()
        .get(`/v1/products/${id}/prices`)
        .query({ page_size: 2 })
        .set('Accept', 'text/csv');
      expect(first.status).toBe(200);
      expect(first.headers['content-type']).toBe('text/csv; charset=utf-8');
      const lines = first.text.trimEnd().split('\r\n');
      expect(lines[0]).toBe(
        'observed_at,amount,currency,list_price,availability,not_modified,run_id',
      );
      expect(lines.slice(1).map((line) => line.split(',')[1])).toEqual(['19.99', '18.50']);
      const token = first.headers['next-page-token'];
      expect(token).toEqual(expect.any(String));

      const second = await api()
        .get(`/v1/products/${id}/prices`)
        .query({ page_size: 2, page_token: token })
        .set('Accept', 'text/csv');
      expect(
        second.text
          .trimEnd()
          .split('\r\n')
          .slice(1)
          .map((line) => line.split(',')[1]),
      ).toEqual(['21.00']);
      expect(second.headers['next-page-token']).toBeUndefined();
    });

    it('answers 304 to If-None-Match with the ETag of an unchanged page, 200 once a point joins it', async () => {
      const id = await insertProduct();
      await insertPoints(id, ['20.00', '19.99', '18.50']);

      const first = await api().get(`/v1/products/${id}/prices`);
      expect(first.status).toBe(200);
      expect(first.headers['content-type']).toBe('application/json; charset=utf-8');
      const etag = first.headers['etag'];
      expect(etag).toMatch(/^W\/".+"$/);

      const unchanged = await api().get(`/v1/products/${id}/prices`).set('If-None-Match', etag);
      expect(unchanged.status).toBe(304);
      expect(unchanged.text).toBeFalsy();

      // A late observation, older than the newest point, lands inside the page.
      await prisma.pricePoint.create({
        data: {
          id: newId(),
          productId: id,
          runId: newId(),
          observedAt: new Date(at(0).getTime() + 30_000),
          amount: new Prisma.Decimal('19.50'),
          currency: 'EUR',
          availability: 'InStock',
          sourceEventId: newId(),
        },
      });
      const changed = await api().get(`/v1/products/${id}/prices`).set('If-None-Match', etag);
      expect(changed.status).toBe(200);
      expect(changed.headers['etag']).not.toBe(etag);
      expect(changed.body.items).toHaveLength(4);
      expect(changed.body.items[1].price).toEqual({ amount: '19.50', currency: 'EUR' });

      // The CSV representation has a validator of its own.
      const csv = await api()
        .get(`/v1/products/${id}/prices`)
        .set('Accept', 'text/csv')
        .set('If-None-Match', changed.headers['etag']);
      expect(csv.status).toBe(200);
      expect(csv.headers['etag']).not.toBe(changed.headers['etag']);
    });

    it('answers 404 for the prices of an unknown product', async () => {
      const response = await api().get(`/v1/products/${UNKNOWN_ID}/prices`);

      expect(response.status).toBe(404);
    });
  });

  describe('GET /v1/runs/:id', () => {
    it('answers a run with how it ended', async () => {
      const targetId = await watchedTarget('https://shop.example.com/p/1');
      const runId = newId();
      await prisma.scrapeRun.create({
        data: {
          id: runId,
          targetId,
          status: 'failed',
          requestedAt: at(0),
          finishedAt: at(1),
          httpStatus: 404,
          errorClass: 'http_4xx',
          errorMessage: 'HTTP 404',
        },
      });

      const response = await api().get(`/v1/runs/${runId}`);

      expect(response.status).toBe(200);
      expect(response.body).toEqual({
        id: runId,
        targetId,
        status: 'failed',
        requestedAt: at(0).toISOString(),
        startedAt: null,
        finishedAt: at(1).toISOString(),
        httpStatus: 404,
        errorClass: 'http_4xx',
        errorMessage: 'HTTP 404',
      });
    });

    it('answers 400 to a malformed id and 404 to an unknown one', async () => {
      expect((await api().get('/v1/runs/not-a-uuid')).status).toBe(400);
      const unknown = await api().get(`/v1/runs/${UNKNOWN_ID}`);
      expect(unknown.status).toBe(404);
      expect(unknown.headers['content-type']).toMatch(PROBLEM_JSON);
    });
  });

  describe('GET /v1/alerts', () => {
    async function insertAlerts(productId: string, count: number): Promise<string[]> {
      const ids: string[] = [];
      for (let i = 0; i < count; i++) {
        const id = newId();
        ids.push(id);
        await prisma.alert.create({
          data: {
            id,
            productId,
            accountId,
            kind: i % 2 === 0 ? 'price_drop' : 'back_in_stock',
            previousAmount: new Prisma.Decimal('20.00'),
            previousCurrency: 'EUR',
            currentAmount: new Prisma.Decimal('15'),
            currentCurrency: 'EUR',
            previousAvailability: 'InStock',
            currentAvailability: 'InStock',
            changePercent: i % 2 === 0 ? new Prisma.Decimal('-25') : null,
            observedAt: at(i),
            sourceEventId: newId(),
            eventId: i % 2 === 0 ? newId() : null,
          },
        });
      }
      return ids;
    }

    it('answers alerts newest first, page by page, with decimal strings', async () => {
      const productId = await insertProduct();
      const ids = await insertAlerts(productId, 5);

      const seen: string[] = [];
      let token: string | null = null;
      let firstItem: Record<string, unknown> | undefined;
      do {
        const response = await api()
          .get('/v1/alerts')
          .query({ page_size: 2, ...(token ? { page_token: token } : {}) });
        expect(response.status).toBe(200);
        firstItem ??= response.body.items[0];
        seen.push(...response.body.items.map((item: { id: string }) => item.id));
        token = response.body.nextPageToken;
      } while (token);

      expect(seen).toEqual([...ids].reverse());
      expect(firstItem).toMatchObject({
        id: ids[4],
        productId,
        kind: 'price_drop',
        previous: { amount: '20.00', currency: 'EUR' },
        current: { amount: '15.00', currency: 'EUR' },
        changePercent: '-25',
        observedAt: at(4).toISOString(),
      });
    });

    it('filters by product and kind', async () => {
      const productId = await insertProduct();
      const other = await insertProduct();
      await insertAlerts(productId, 3);
      await insertAlerts(other, 3);

      const response = await api()
        .get('/v1/alerts')
        .query({ product_id: productId, kind: 'back_in_stock' });

      expect(response.status).toBe(200);
      expect(response.body.items).toHaveLength(1);
      expect(response.body.items[0]).toMatchObject({
        productId,
        kind: 'back_in_stock',
        changePercent: null,
        eventId: null,
      });
    });

    it.each([
      [{ kind: 'price_crash' }, 'kind'],
      [{ product_id: '42' }, 'product_id'],
      [{ page_size: 'many' }, 'page_size'],
    ])('rejects %j with a 400 naming the parameter', async (query, name) => {
      const response = await api().get('/v1/alerts').query(query);

      expect(response.status).toBe(400);
      expect(response.headers['content-type']).toMatch(PROBLEM_JSON);
      expect(JSON.stringify(response.body.errors)).toContain(name);
    });
  });

  it('documents the read routes in the served OpenAPI document', async () => {
    const response = await request(app).get('/openapi.json');

    expect(Object.keys(response.body.paths)).toEqual(
      expect.arrayContaining([
        '/v1/products',
        '/v1/products/{id}',
        '/v1/products/{id}/prices',
        '/v1/runs/{id}',
        '/v1/alerts',
      ]),
    );
  });
});
