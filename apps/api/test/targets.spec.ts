import type { PrismaClient } from '@shelfwatch/db';
import request from 'supertest';
import type { Express } from 'express';
import { createTestAccount, startApiHarness, withKey, type ApiHarness } from './api-harness';

const PROBLEM_JSON = /application\/problem\+json/;

describe('targets API against a real PostgreSQL', () => {
  let harness: ApiHarness;
  let prisma: PrismaClient;
  let app: Express;
  let adminKey: string;
  const api = () => withKey(app, adminKey);

  beforeAll(async () => {
    harness = await startApiHarness();
    ({ app, prisma } = harness);
    adminKey = (await createTestAccount(prisma, { operator: true })).apiKey.key;
  });

  afterAll(() => harness.close());

  beforeEach(async () => {
    await prisma.target.deleteMany();
  });

  function createTarget(body: Record<string, unknown>) {
    return api().post('/v1/targets').send(body);
  }

  describe('POST /v1/targets', () => {
    it('creates a target with defaults and answers 201 with its location', async () => {
      const response = await createTarget({ url: 'https://Shop.Example.com/p/42#reviews' });

      expect(response.status).toBe(201);
      expect(response.body).toMatchObject({
        url: 'https://shop.example.com/p/42',
        host: 'shop.example.com',
        kind: 'product',
        selectors: null,
        checkIntervalSeconds: 3600,
        status: 'active',
      });
      expect(response.headers.location).toBe(`/v1/targets/${response.body.id}`);
      expect(await prisma.target.count()).toBe(1);
    });

    it('stores selector hints and the kind', async () => {
      const response = await createTarget({
        url: 'https://shop.example.com/c/shoes',
        kind: 'listing',
        selectors: { productLink: 'a.product', nextPage: 'a[rel=next]' },
        checkIntervalSeconds: 900,
      });

      expect(response.status).toBe(201);
      expect(response.body.kind).toBe('listing');
      expect(response.body.selectors).toEqual({
        productLink: 'a.product',
        nextPage: 'a[rel=next]',
      });
      expect(response.body.checkIntervalSeconds).toBe(900);
    });

    it('answers 409 for the same URL and kind twice', async () => {
      const first = await createTarget({ url: 'https://shop.example.com/p/1' });
      const second = await createTarget({ url: 'https://shop.example.com/p/1' });

      expect(second.status).toBe(409);
      expect(second.headers['content-type']).toMatch(PROBLEM_JSON);
      expect(second.body.detail).toContain(first.body.id);
    });

    it.each([
      ['a relative URL', '/p/1'],
      ['an ftp URL', 'ftp://shop.example.com/p/1'],
      ['a javascript URL', 'javascript:alert(1)'],
      ['a URL with credentials', 'https://user:secret@shop.example.com/p/1'],
      ['not a URL', 'not a url'],
    ])('rejects %s with a 400 naming the url field', async (_label, url) => {
      const response = await createTarget({ url });

      expect(response.status).toBe(400);
      expect(response.headers['content-type']).toMatch(PROBLEM_JSON);
      expect(response.body.type).toMatch(/validation-failed$/);
      expect(response.body.errors).toEqual(
        expect.arrayContaining([expect.objectContaining({ path: expect.stringContaining('url') })]),
      );
      expect(await prisma.target.count()).toBe(0);
    });

    it('rejects unknown fields by name', async () => {
      const response = await createTarget({ url: 'https://shop.example.com/p/1', colour: 'red' });

      expect(response.status).toBe(400);
      expect(JSON.stringify(response.body.errors)).toContain('colour');
    });

    it('rejects a missing url', async () => {
      const response = await createTarget({ kind: 'product' });

      expect(response.status).toBe(400);
      expect(JSON.stringify(response.body.errors)).toContain('url');
    });

    it('rejects malformed JSON with a 400 problem', async () => {
      const response = await api()
        .post('/v1/targets')
        .set('Content-Type', 'application/json')
        .send('{"url": "https://shop.example.com/p/1",');

      expect(response.status).toBe(400);
      expect(response.headers['content-type']).toMatch(PROBLEM_JSON);
      expect(response.body.type).toMatch(/malformed-json$/);
    });

    it('rejects a body that is not JSON with 415', async () => {
      const response = await api()
        .post('/v1/targets')
        .set('Content-Type', 'text/plain')
        .send('url=https://shop.example.com/p/1');

      expect(response.status).toBe(415);
      expect(response.headers['content-type']).toMatch(PROBLEM_JSON);
    });

    it('rejects a check interval below the minimum', async () => {
      const response = await createTarget({
        url: 'https://shop.example.com/p/1',
        checkIntervalSeconds: 5,
      });

      expect(response.status).toBe(400);
      expect(JSON.stringify(response.body.errors)).toContain('checkIntervalSeconds');
    });
  });

  describe('GET /v1/targets', () => {
    it('pages through every target exactly once, newest first, with opaque page tokens', async () => {
      const created: string[] = [];
      for (let i = 0; i < 5; i++) {
        const response = await createTarget({ url: `https://shop.example.com/p/${i}` });
        created.push(response.body.id);
      }

      const seen: string[] = [];
      let token: string | null = null;
      let pages = 0;
      do {
        const response = await api()
          .get('/v1/targets')
          .query({ page_size: 2, ...(token ? { page_token: token } : {}) });
        expect(response.status).toBe(200);
        expect(response.body.items.length).toBeLessThanOrEqual(2);
        seen.push(...response.body.items.map((item: { id: string }) => item.id));
        token = response.body.nextPageToken;
        pages++;
      } while (token);

      expect(pages).toBe(3);
      expect(seen).toEqual([...created].reverse());
    });

    it('filters by kind', async () => {
      await createTarget({ url: 'https://shop.example.com/p/1' });
      await createTarget({ url: 'https://shop.example.com/sitemap.xml', kind: 'sitemap' });

      const response = await api().get('/v1/targets').query({ kind: 'sitemap' });

      expect(response.status).toBe(200);
      expect(response.body.items.map((item: { kind: string }) => item.kind)).toEqual(['sitemap']);
    });

    it.each([
      ['garbage', 'not-a-token'],
      ['base64 of something else', Buffer.from('{"x":1}').toString('base64url')],
    ])('rejects a bad page token (%s) with 400', async (_label, token) => {
      const response = await api().get('/v1/targets').query({ page_token: token });

      expect(response.status).toBe(400);
      expect(response.headers['content-type']).toMatch(PROBLEM_JSON);
      expect(response.body.type).toMatch(/invalid-page-token$/);
    });

    it.each([['0'], ['101'], ['ten']])('rejects page_size=%s with 400', async (size) => {
      const response = await api().get('/v1/targets').query({ page_size: size });

      expect(response.status).toBe(400);
      expect(JSON.stringify(response.body.errors)).toContain('page_size');
    });

    it('rejects unknown query parameters', async () => {
      const response = await api().get('/v1/targets').query({ pageSize: 10 });

      expect(response.status).toBe(400);
      expect(JSON.stringify(response.body.errors)).toContain('pageSize');
    });
  });

  describe('GET, PATCH and DELETE /v1/targets/:id', () => {
    it('reads, updates and deletes one target', async () => {
      const { body: created } = await createTarget({ url: 'https://shop.example.com/p/1' });

      const read = await api().get(`/v1/targets/${created.id}`);
      expect(read.status).toBe(200);
      expect(read.body).toEqual(created);

      const patched = await api()
        .patch(`/v1/targets/${created.id}`)
        .send({ status: 'paused', checkIntervalSeconds: 7200 });
      expect(patched.status).toBe(200);
      expect(patched.body).toMatchObject({
        status: 'paused',
        checkIntervalSeconds: 7200,
        nextCheckAt: null,
      });

      const deleted = await api().delete(`/v1/targets/${created.id}`);
      expect(deleted.status).toBe(204);
      expect(await prisma.target.count()).toBe(0);

      const gone = await api().get(`/v1/targets/${created.id}`);
      expect(gone.status).toBe(404);
      expect(gone.headers['content-type']).toMatch(PROBLEM_JSON);
    });

    it.each(['get', 'patch', 'delete'] as const)(
      'answers 400 to %s with a malformed id',
      async (method) => {
        const response = await api()[method]('/v1/targets/123').send({ status: 'paused' });

        expect(response.status).toBe(400);
        expect(response.headers['content-type']).toMatch(PROBLEM_JSON);
      },
    );

    it.each(['get', 'patch', 'delete'] as const)(
      'answers 404 to %s of an unknown id',
      async (method) => {
        const response = await api()
          [method]('/v1/targets/0190f5e4-8a3c-7b2d-9e4f-1a2b3c4d5e6f')
          .send({ status: 'paused' });

        expect(response.status).toBe(404);
        expect(response.headers['content-type']).toMatch(PROBLEM_JSON);
      },
    );

    it('rejects a patch that tries to change the url', async () => {
      const { body: created } = await createTarget({ url: 'https://shop.example.com/p/1' });

      const response = await api()
        .patch(`/v1/targets/${created.id}`)
        .send({ url: 'https://shop.example.com/p/2' });

      expect(response.status).toBe(400);
      expect(JSON.stringify(response.body)).toContain('url');
      const unchanged = await api().get(`/v1/targets/${created.id}`);
      expect(unchanged.body.url).toBe('https://shop.example.com/p/1');
    });

    it('rejects an empty patch', async () => {
      const { body: created } = await createTarget({ url: 'https://shop.example.com/p/1' });

      const response = await api().patch(`/v1/targets/${created.id}`).send({});

      expect(response.status).toBe(400);
    });
  });

  describe('service endpoints', () => {
    it('serves the OpenAPI 3.1 document with the targets routes', async () => {
      const response = await request(app).get('/openapi.json');

      expect(response.status).toBe(200);
      expect(response.body.openapi).toMatch(/^3\.1/);
      expect(Object.keys(response.body.paths)).toEqual(
        expect.arrayContaining(['/v1/targets', '/v1/targets/{id}']),
      );
    });

    it('is alive and ready when the database answers', async () => {
      expect((await request(app).get('/health')).status).toBe(200);
      expect((await request(app).get('/ready')).status).toBe(200);
    });

    it('answers unknown routes with a 404 problem', async () => {
      const response = await api().get('/v1/nothing-here');

      expect(response.status).toBe(404);
      expect(response.headers['content-type']).toMatch(PROBLEM_JSON);
    });
  });
});
