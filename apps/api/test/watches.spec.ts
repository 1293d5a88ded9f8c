import { newId } from '@shelfwatch/contracts';
import { Prisma, type PrismaClient } from '@shelfwatch/db';
import type { Express } from 'express';
import request from 'supertest';
import { handleProductsDiscovered } from '../src/discovery/handle-products-discovered';
import { claimDueTargets } from '../src/scheduling/due-targets';
import {
  createTestAccount,
  startApiHarness,
  type ApiHarness,
  withKey,
  type TestAccount,
} from './api-harness';

const PAGE = 'https://shop.example.com/p/espresso';

describe('watches: accounts share targets and see only their own', () => {
  let harness: ApiHarness;
  let prisma: PrismaClient;
  let app: Express;
  let alice: TestAccount;
  let bob: TestAccount;
  /** Alice uses her API key; Bob signs in and uses his session cookie with its CSRF token. */
  let asAlice: ReturnType<typeof withKey>;
  let bobCookie: string;
  let bobCsrf: string;

  const asBob = {
    get: (path: string) => request(app).get(path).set('Cookie', bobCookie),
    post: (path: string) =>
      request(app).post(path).set('Cookie', bobCookie).set('X-CSRF-Token', bobCsrf),
    patch: (path: string) =>
      request(app).patch(path).set('Cookie', bobCookie).set('X-CSRF-Token', bobCsrf),
    delete: (path: string) =>
      request(app).delete(path).set('Cookie', bobCookie).set('X-CSRF-Token', bobCsrf),
  };

  beforeAll(async () => {
    harness = await startApiHarness();
    ({ app, prisma } = harness);
    alice = await createTestAccount(prisma, { name: 'alice' });
    bob = await createTestAccount(prisma, { name: 'bob' });
    asAlice = withKey(app, alice.apiKey.key);
    const signIn = await request(app)
      .post('/v1/sessions')
      .send({ email: bob.email, password: bob.password });
    expect(signIn.status).toBe(201);
    bobCookie = String(signIn.headers['set-cookie']).split(';')[0]!;
    bobCsrf = signIn.body.csrfToken;
  });

  afterAll(async () => {
    await harness.close();
  });

  beforeEach(async () => {
    await prisma.$executeRawUnsafe(
      'TRUNCATE alerts, price_points, products, scrape_runs, watches, targets, processed_events CASCADE',
    );
  });

  it('shares one target fetched once per interval, at the shortest interval of its watches', async () => {
    const first = await asAlice.post('/v1/watches').send({ url: PAGE, checkIntervalSeconds: 3600 });
    const second = await asBob
      .post('/v1/watches')
      .send({ url: `${PAGE}#reviews`, checkIntervalSeconds: 600, labels: ['kitchen'] });
    expect(first.status).toBe(201);
    expect(second.status).toBe(201);
    expect(second.body.targetId).toBe(first.body.targetId);
    expect(second.headers.location).toBe(`/v1/watches/${second.body.id}`);
    expect(await prisma.target.count()).toBe(1);
    const target = await prisma.target.findUniqueOrThrow({ where: { id: first.body.targetId } });
    expect(target.checkIntervalSeconds).toBe(600);

    const now = new Date();
    const options = { batchSize: 100, perHostLimit: 10, newId };
    expect(await claimDueTargets(prisma, { ...options, now })).toHaveLength(1);
    // Within the shortest interval nothing is due again, however many accounts watch the page.
    const later = new Date(now.getTime() + 599_000);
    expect(await claimDueTargets(prisma, { ...options, now: later })).toHaveLength(0);
    const next = new Date(now.getTime() + 600_000);
    expect(await claimDueTargets(prisma, { ...options, now: next })).toHaveLength(1);
    expect(await prisma.scrapeRun.count()).toBe(2);

    // Bob leaves: back to Alice's hour. Alice leaves: nobody watches, the target pauses.
    expect((await asBob.delete(`/v1/watches/${second.body.id}`)).status).toBe(204);
    const afterBob = await prisma.target.findUniqueOrThrow({ where: { id: target.id } });
    expect(afterBob.checkIntervalSeconds).toBe(3600);
    expect((await asAlice.delete(`/v1/watches/${first.body.id}`)).status).toBe(204);
    const afterAll = await prisma.target.findUniqueOrThrow({ where: { id: target.id } });
    expect(afterAll).toMatchObject({ status: 'paused', nextCheckAt: null });
  });

  it("never shows one account's watches, rules, runs, products or alerts to another", async () => {
    const mine = await asAlice
      .post('/v1/watches')
      .send({ url: PAGE, rules: { minChangePercent: '5', targetPrice: '79.90' } });
    const theirs = await asBob
      .post('/v1/watches')
      .send({ url: PAGE, rules: { kinds: ['price_drop'] } });
    const elsewhere = await asBob
      .post('/v1/watches')
      .send({ url: 'https://other.example.org/p/1' });

    const aliceList = await asAlice.get('/v1/watches');
    expect(aliceList.body.items.map((item: { id: string }) => item.id)).toEqual([mine.body.id]);
    expect(aliceList.body.items[0].rules).toEqual({
      minChangeAmount: '0',
      minChangePercent: '5',
      targetPrice: '79.9',
      kinds: [
        'price_drop',
        'price_rise',
        'target_price_reached',
        'back_in_stock',
        'out_of_stock',
        'new_product',
      ],
    });
    const bobList = await asBob.get('/v1/watches');
    expect(bobList.body.items.map((item: { id: string }) => item.id)).toEqual([
      elsewhere.body.id,
      theirs.body.id,
    ]);
    for (const call of [
      asAlice.get(`/v1/watches/${theirs.body.id}`),
      asAlice.patch(`/v1/watches/${theirs.body.id}`).send({ labels: ['mine now'] }),
      asAlice.delete(`/v1/watches/${theirs.body.id}`),
      asAlice.get('/v1/runs').query({ watch_id: theirs.body.id }),
    ])
      expect((await call).status).toBe(404);

    // A product on the shared page is visible to both; one on Bob's other page only to Bob.
    const shared = await product(mine.body.targetId, PAGE);
    const bobsOnly = await product(elsewhere.body.targetId, 'https://other.example.org/p/1');
    const ids = (response: request.Response) =>
      response.body.items.map((item: { id: string }) => item.id).sort();
    expect(ids(await asAlice.get('/v1/products'))).toEqual([shared]);
    expect(ids(await asBob.get('/v1/products'))).toEqual([shared, bobsOnly].sort());
    expect((await asAlice.get(`/v1/products/${bobsOnly}`)).status).toBe(404);
    expect((await asAlice.get(`/v1/products/${bobsOnly}/prices`)).status).toBe(404);

    // Alerts belong to the account whose watch raised them.
    const aliceAlert = await alert(shared, alice.accountId, mine.body.id);
    await alert(shared, bob.accountId, theirs.body.id);
    const aliceAlerts = await asAlice.get('/v1/alerts');
    expect(aliceAlerts.body.items.map((item: { id: string }) => item.id)).toEqual([aliceAlert]);
    expect(aliceAlerts.body.items[0].watchId).toBe(mine.body.id);

    // Runs of a watch: listed for its owner, newest first, with when they started.
    const runId = newId();
    await prisma.scrapeRun.create({
      data: { id: runId, targetId: mine.body.targetId, status: 'running', startedAt: new Date() },
    });
    const runs = await asAlice.get('/v1/runs').query({ watch_id: mine.body.id });
    expect(runs.status).toBe(200);
    expect(runs.body.items.map((item: { id: string }) => item.id)).toEqual([runId]);
    expect(runs.body.items[0].startedAt).not.toBeNull();
    expect((await asBob.get(`/v1/runs/${runId}`)).status).toBe(200);
    const bobsRun = newId();
    await prisma.scrapeRun.create({
      data: { id: bobsRun, targetId: elsewhere.body.targetId, status: 'queued' },
    });
    expect((await asAlice.get(`/v1/runs/${bobsRun}`)).status).toBe(404);
  });

  it('changes rules field by field and shows the page health', async () => {
    const created = await asAlice
      .post('/v1/watches')
      .send({ url: PAGE, rules: { minChangePercent: '5', targetPrice: '79.90' } });
    await prisma.targetHealth.create({
      data: {
        targetId: created.body.targetId,
        consecutiveFailures: 2,
        lastFailureAt: new Date(),
        lastErrorClass: 'timeout',
        lastErrorMessage: 'timed out after 30 s',
      },
    });
    const patched = await asAlice
      .patch(`/v1/watches/${created.body.id}`)
      .send({ rules: { minChangeAmount: '2.50' }, labels: ['coffee'] });
    expect(patched.status).toBe(200);
    expect(patched.body.rules).toMatchObject({
      minChangeAmount: '2.5',
      minChangePercent: '5',
      targetPrice: '79.9',
    });
    expect(patched.body.labels).toEqual(['coffee']);
    expect(patched.body.health).toMatchObject({
      status: 'active',
      lastOutcome: 'failed',
      lastErrorClass: 'timeout',
      lastErrorMessage: 'timed out after 30 s',
      consecutiveFailures: 2,
      pauseReason: null,
    });
    const filtered = await asAlice.get('/v1/watches').query({ label: 'coffee' });
    expect(filtered.body.items).toHaveLength(1);
    expect((await asAlice.get('/v1/watches').query({ label: 'tea' })).body.items).toHaveLength(0);
  });

  it('answers 409 when the account already watches the URL', async () => {
    const first = await asAlice.post('/v1/watches').send({ url: PAGE });
    const again = await asAlice.post('/v1/watches').send({ url: PAGE });
    expect(again.status).toBe(409);
    expect(again.body.detail).toContain(first.body.id);
  });

  it.each([
    [
      'a negative percentage',
      { url: PAGE, rules: { minChangePercent: '-5' } },
      'body.rules.minChangePercent',
    ],
    [
      'a percentage over 100',
      { url: PAGE, rules: { minChangePercent: '150' } },
      'body.rules.minChangePercent',
    ],
    [
      'a numeric amount',
      { url: PAGE, rules: { minChangeAmount: 5 } },
      'body.rules.minChangeAmount',
    ],
    [
      'an unknown alert kind',
      { url: PAGE, rules: { kinds: ['price_jump'] } },
      'body.rules.kinds[0]',
    ],
    ['an unknown rule', { url: PAGE, rules: { maxPrice: '5' } }, 'body.rules.maxPrice'],
    ['an unknown field', { url: PAGE, interval: 60 }, 'body.interval'],
    ['a too short interval', { url: PAGE, checkIntervalSeconds: 5 }, 'body.checkIntervalSeconds'],
    ['an empty label', { url: PAGE, labels: [''] }, 'body.labels[0]'],
    ['a non-http URL', { url: 'ftp://shop.example.com/p' }, 'body.url'],
  ])('rejects %s with a 400 naming the field', async (_label, body, path) => {
    const response = await asAlice.post('/v1/watches').send(body);
    expect(response.status).toBe(400);
    expect(response.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(response.body.errors.map((error: { path: string }) => error.path)).toContain(path);
  });

  it('rejects a PATCH of the URL and an empty PATCH', async () => {
    const created = await asAlice.post('/v1/watches').send({ url: PAGE });
    const url = await asAlice.patch(`/v1/watches/${created.body.id}`).send({ url: `${PAGE}2` });
    expect(url.status).toBe(400);
    expect(url.body.errors[0].path).toBe('body.url');
    const empty = await asAlice.patch(`/v1/watches/${created.body.id}`).send({});
    expect(empty.status).toBe(400);
  });

  it("gives a sitemap's watchers watches of the products it lists", async () => {
    const sitemap = await asAlice
      .post('/v1/watches')
      .send({ url: 'https://shop.example.com/sitemap.xml', kind: 'sitemap', labels: ['shop'] });
    await handleProductsDiscovered(prisma, {
      id: newId(),
      type: 'products.discovered',
      version: 1,
      source: 'shelfwatch/scraper',
      occurredAt: new Date().toISOString(),
      data: {
        runId: newId(),
        sourceTargetId: sitemap.body.targetId,
        urls: [`${PAGE}1`, `${PAGE}2`],
        discoveredAt: new Date().toISOString(),
      },
    } as Parameters<typeof handleProductsDiscovered>[1]);
    const watches = await asAlice.get('/v1/watches').query({ label: 'shop' });
    expect(watches.body.items.map((item: { url: string }) => item.url).sort()).toEqual([
      `${PAGE}1`,
      `${PAGE}2`,
      'https://shop.example.com/sitemap.xml',
    ]);
    expect((await asBob.get('/v1/watches')).body.items).toHaveLength(0);
  });

  async function product(targetId: string, url: string): Promise<string> {
    const id = newId();
    await prisma.product.create({
      data: {
        id,
        targetId,
        url,
        canonicalUrl: url,
        variantKey: '',
        host: new URL(url).hostname,
        currency: 'EUR',
        latestPrice: new Prisma.Decimal('99.00'),
        latestObservedAt: new Date(),
        firstSeenAt: new Date(),
      },
    });
    return id;
  }

  async function alert(productId: string, accountId: string, watchId: string): Promise<string> {
    const id = newId();
    await prisma.alert.create({
      data: {
        id,
        productId,
        accountId,
        watchId,
        kind: 'price_drop',
        currentAvailability: 'InStock',
        observedAt: new Date(),
        sourceEventId: newId(),
      },
    });
    return id;
  }
});
