import { newId } from '@shelfwatch/contracts';
import { Prisma, type PrismaClient } from '@shelfwatch/db';
import type { Express } from 'express';
import {
  createTestAccount,
  startApiHarness,
  type ApiHarness,
  watchedTarget as watchTarget,
  withKey,
  type TestAccount,
} from './api-harness';

const PROBLEM_JSON = /application\/problem\+json/;
const at = (minute: number) => new Date(Date.UTC(2025, 0, 31, 12, minute));

interface Seed {
  name: string;
  brand?: string;
  sku?: string;
  gtin?: string;
  price: string | null;
  availability?: 'InStock' | 'OutOfStock' | 'Unknown';
  host?: string;
  lastChangedAt: Date | null;
}

/** What the reading account watches; the stranger's product must never show up. */
const catalog: Seed[] = [
  {
    name: 'Espresso Machine Pro',
    brand: 'Jura',
    sku: 'JU-100',
    gtin: '4001234567890',
    price: '499.00',
    lastChangedAt: at(3),
  },
  {
    name: 'Milk Frother',
    brand: 'Bialetti',
    sku: 'BI-7',
    price: '39.90',
    availability: 'OutOfStock',
    lastChangedAt: at(5),
  },
  {
    name: 'Espresso Cups',
    sku: 'CUP-6',
    price: '12.5',
    host: 'other.example.org',
    lastChangedAt: at(1),
  },
  {
    name: 'Grinder 100%',
    brand: 'Baratza',
    sku: 'BA_1',
    price: null,
    availability: 'Unknown',
    lastChangedAt: null,
  },
];

describe('products: search, filters and sort, through the caller’s watches', () => {
  let harness: ApiHarness;
  let prisma: PrismaClient;
  let app: Express;
  let reader: TestAccount;
  let stranger: TestAccount;
  let ids: Map<string, string>;

  const watchedTarget = (accountId: string, url: string) =>
    watchTarget(prisma, accountId, url, 'sitemap');

  async function insert(targetId: string, seed: Seed): Promise<string> {
    const id = newId();
    const host = seed.host ?? 'shop.example.com';
    await prisma.product.create({
      data: {
        id,
        targetId,
        url: `https://${host}/p/${id}`,
        canonicalUrl: `https://${host}/p/${id}`,
        variantKey: '',
        host,
        name: seed.name,
        brand: seed.brand ?? null,
        sku: seed.sku ?? null,
        gtin: seed.gtin ?? null,
        currency: 'EUR',
        latestPrice: seed.price === null ? null : new Prisma.Decimal(seed.price),
        latestAvailability: seed.availability ?? 'InStock',
        latestObservedAt: at(10),
        lastChangedAt: seed.lastChangedAt,
        firstSeenAt: at(0),
      },
    });
    return id;
  }

  beforeAll(async () => {
    harness = await startApiHarness();
    ({ app, prisma } = harness);
    reader = await createTestAccount(prisma);
    stranger = await createTestAccount(prisma);
    const mine = await watchedTarget(reader.accountId, 'https://shop.example.com/sitemap.xml');
    const theirs = await watchedTarget(
      stranger.accountId,
      'https://secret.example.net/sitemap.xml',
    );
    ids = new Map();
    for (const seed of catalog) ids.set(seed.name, await insert(mine, seed));
    await insert(theirs, {
      name: 'Espresso Secret',
      brand: 'Jura',
      price: '99.00',
      host: 'secret.example.net',
      lastChangedAt: at(9),
    });
  });

  afterAll(async () => {
    await harness.close();
  });

  const list = (query: string, key = reader.apiKey.key) =>
    withKey(app, key).get(`/v1/products?${query}`);

  async function names(query: string): Promise<string[]> {
    const response = await list(query);
    expect(response.status).toBe(200);
    return response.body.items.map((item: { name: string }) => item.name);
  }

  /** Every page of a listing, one `page_size` at a time, following nextPageToken. */
  async function walk(query: string, pageSize: number): Promise<string[]> {
    const seen: string[] = [];
    let token: string | null = null;
    for (let pages = 0; pages < 50; pages++) {
      const response = await list(
        `${query}&page_size=${pageSize}${token ? `&page_token=${token}` : ''}`,
      );
      expect(response.status).toBe(200);
      seen.push(...response.body.items.map((item: { name: string }) => item.name));
      token = response.body.nextPageToken;
      if (token === null) return seen;
    }
    throw new Error('the listing did not end');
  }

  describe('q searches name, brand, SKU and GTIN, ignoring case', () => {
    it.each([
      ['q=ESPRESSO', ['Espresso Machine Pro', 'Espresso Cups']],
      ['q=jura', ['Espresso Machine Pro']],
      ['q=ju-100', ['Espresso Machine Pro']],
      ['q=4001234', ['Espresso Machine Pro']],
      ['q=bialetti', ['Milk Frother']],
      ['q=%25', ['Grinder 100%']],
      ['q=_', ['Grinder 100%']],
      ['q=%5C', []],
      ['q=%20frother%20', ['Milk Frother']],
      ['q=nothing-like-this', []],
    ])('%s', async (query, expected) => {
      expect((await names(`${query}&sort=name`)).sort()).toEqual([...expected].sort());
    });

    it('never finds another account’s products', async () => {
      expect(await names('q=secret')).toEqual([]);
      const theirs = await list('q=espresso', stranger.apiKey.key);
      expect(theirs.body.items.map((item: { name: string }) => item.name)).toEqual([
        'Espresso Secret',
      ]);
    });
  });

  describe('filters', () => {
    it.each([
      ['host=other.example.org', ['Espresso Cups']],
      ['host=SHOP.Example.COM', ['Espresso Machine Pro', 'Grinder 100%', 'Milk Frother']],
      ['availability=OutOfStock', ['Milk Frother']],
      ['min_price=20&max_price=100', ['Milk Frother']],
      ['min_price=12.50', ['Espresso Cups', 'Espresso Machine Pro', 'Milk Frother']],
      ['max_price=12.5', ['Espresso Cups']],
      ['min_price=0', ['Espresso Cups', 'Espresso Machine Pro', 'Milk Frother']],
      ['q=espresso&max_price=100', ['Espresso Cups']],
      ['host=shop.example.com&availability=InStock&min_price=1', ['Espresso Machine Pro']],
    ])('%s', async (query, expected) => {
      expect(await names(`${query}&sort=name`)).toEqual(expected);
    });
  });

  describe('sort', () => {
    it.each([
      ['sort=name', ['Espresso Cups', 'Espresso Machine Pro', 'Grinder 100%', 'Milk Frother']],
      [
        'sort=name&order=desc',
        ['Milk Frother', 'Grinder 100%', 'Espresso Machine Pro', 'Espresso Cups'],
      ],
      ['sort=price', ['Espresso Cups', 'Milk Frother', 'Espresso Machine Pro', 'Grinder 100%']],
      [
        'sort=price&order=desc',
        ['Espresso Machine Pro', 'Milk Frother', 'Espresso Cups', 'Grinder 100%'],
      ],
      [
        'sort=last_change',
        ['Milk Frother', 'Espresso Machine Pro', 'Espresso Cups', 'Grinder 100%'],
      ],
      [
        'sort=last_change&order=asc',
        ['Espresso Cups', 'Espresso Machine Pro', 'Milk Frother', 'Grinder 100%'],
      ],
    ])('%s (products without the value last)', async (query, expected) => {
      expect(await names(query)).toEqual(expected);
    });

    it('answers lastChangedAt with each product', async () => {
      const response = await list('sort=last_change');
      expect(response.body.items[0]).toMatchObject({
        id: ids.get('Milk Frother'),
        lastChangedAt: at(5).toISOString(),
      });
      expect(response.body.items[3].lastChangedAt).toBeNull();
    });
  });

  describe('cursor pagination stays exact in every order', () => {
    let extra: string[] = [];

    beforeAll(async () => {
      // Ties and missing values: the id breaks ties, and nulls stay last across pages.
      const target = await prisma.target.findFirstOrThrow({
        where: { watches: { some: { accountId: reader.accountId } } },
      });
      const seeds: Seed[] = [
        { name: 'Tamper', price: '39.90', lastChangedAt: at(5) },
        { name: 'Tamper', price: '39.90', lastChangedAt: at(5) },
        { name: 'Scale', price: null, lastChangedAt: null },
        { name: 'Knock Box', price: '12.5', lastChangedAt: at(3) },
      ];
      extra = [];
      for (const seed of seeds) extra.push(await insert(target.id, seed));
    });

    afterAll(async () => {
      await prisma.product.deleteMany({ where: { id: { in: extra } } });
    });

    it.each([
      'sort=name',
      'sort=name&order=desc',
      'sort=price',
      'sort=price&order=desc',
      'sort=last_change',
      'sort=last_change&order=asc',
      'q=e&sort=price',
      'availability=InStock',
    ])('%s: pages of 1, 2 and 3 add up to the whole list', async (query) => {
      const whole = await names(`${query}&page_size=100`);
      expect(whole.length).toBeGreaterThan(3);
      for (const size of [1, 2, 3]) expect(await walk(query, size)).toEqual(whole);
    });

    it('refuses a token from another sort or direction, or from the unsorted list', async () => {
      const byPrice = (await list('sort=price&page_size=1')).body.nextPageToken;
      const unsorted = (await list('page_size=1')).body.nextPageToken;
      for (const query of [
        `sort=name&page_token=${byPrice}`,
        `sort=price&order=desc&page_token=${byPrice}`,
        `page_token=${byPrice}`,
        `sort=price&page_token=${unsorted}`,
      ]) {
        const response = await list(query);
        expect(response.status).toBe(400);
        expect(response.body.type).toBe('https://shelfwatch.dev/problems/invalid-page-token');
      }
    });
  });

  describe('bad query values are 400 problem+json naming the parameter', () => {
    it.each([
      ['sort=popularity', 'query.sort'],
      ['sort=price&order=sideways', 'query.order'],
      ['order=desc', 'query.order'],
      ['min_price=-1', 'query.min_price'],
      ['min_price=abc', 'query.min_price'],
      ['max_price=1e3', 'query.max_price'],
      ['min_price=10&max_price=5', 'query.min_price'],
      ['q=', 'query.q'],
      ['q=%20%20', 'query.q'],
      [`q=${'x'.repeat(201)}`, 'query.q'],
      ['sort=price&sort=name', 'query.sort'],
      ['q=a&q=b', 'query.q'],
    ])('%s', async (query, path) => {
      const response = await list(query);
      expect(response.status).toBe(400);
      expect(response.headers['content-type']).toMatch(PROBLEM_JSON);
      expect(response.body.errors.map((error: { path: string }) => error.path)).toContain(path);
    });
  });
});
