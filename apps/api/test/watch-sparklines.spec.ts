import { newId, SPARKLINE_MAX_POINTS } from '@shelfwatch/contracts';
import type { PrismaClient } from '@shelfwatch/db';
import {
  createTwoAccounts,
  startApiHarness,
  type ApiHarness,
  type TwoAccounts,
} from './api-harness';

const PAGE = 'https://shop.example.com/p/grinder';
const HOUR = 3600_000;
const DAY = 24 * HOUR;

describe('the watch list with include=sparkline', () => {
  let harness: ApiHarness;
  let prisma: PrismaClient;
  let asAlice: TwoAccounts['asAlice'];
  let asBob: TwoAccounts['asBob'];

  beforeAll(async () => {
    harness = await startApiHarness();
    prisma = harness.prisma;
    ({ asAlice, asBob } = await createTwoAccounts(harness, 'sparkline'));
  });

  afterAll(async () => {
    await harness.close();
  });

  beforeEach(async () => {
    await prisma.$executeRawUnsafe(
      'TRUNCATE price_points, products, target_health, watches, targets CASCADE',
    );
  });

  /** A product observed through `targetId`, and, when `primary`, named the page's product. */
  async function product(targetId: string, variantKey: string, primary: boolean) {
    const id = newId();
    const now = new Date();
    await prisma.product.create({
      data: {
        id,
        targetId,
        url: PAGE,
        canonicalUrl: PAGE,
        variantKey,
        host: 'shop.example.com',
        latestObservedAt: now,
        firstSeenAt: now,
      },
    });
    if (primary)
      await prisma.targetHealth.upsert({
        where: { targetId },
        create: { targetId, primaryProductId: id },
        update: { primaryProductId: id },
      });
    return id;
  }

  async function points(productId: string, prices: { at: Date; amount: string | null }[]) {
    await prisma.pricePoint.createMany({
      data: prices.map(({ at, amount }) => ({
        id: newId(),
        productId,
        runId: newId(),
        observedAt: at,
        amount,
        currency: 'EUR',
        availability: amount === null ? 'OutOfStock' : 'InStock',
        sourceEventId: newId(),
      })),
    });
  }

  it("carries each watch's last 30 days in one list answer: at most 96 points, the two newest checks last", async () => {
    const watch = await asAlice.post('/v1/watches').send({ url: PAGE });
    const productId = await product(watch.body.targetId, '', true);
    const now = Date.now();
    // 200 checks, one every three hours, all within the 30 days; five more before them.
    const recent = Array.from({ length: 200 }, (_, index) => ({
      at: new Date(now - (200 - index) * 3 * HOUR),
      amount: `${100 + (index % 7)}.5`,
    }));
    await points(productId, [
      ...Array.from({ length: 5 }, (_, index) => ({
        at: new Date(now - 40 * DAY + index * HOUR),
        amount: '1.00',
      })),
      ...recent,
    ]);
    // A variant of the same page is a product of its own, not the page's line.
    await points(await product(watch.body.targetId, 'sku:B', false), [
      { at: new Date(now - HOUR), amount: '999' },
    ]);

    const answer = await asAlice.get('/v1/watches').query({ include: 'sparkline' });
    expect(answer.status).toBe(200);
    const { sparkline } = answer.body.items[0];
    expect(sparkline.productId).toBe(productId);
    expect(Date.parse(sparkline.from)).toBeGreaterThanOrEqual(now - 30 * DAY - 1000);
    expect(Date.parse(sparkline.from)).toBeLessThanOrEqual(Date.now() - 30 * DAY);
    // The two newest checks as they are; ntile(94) over the 198 before them: the first
    // 198 % 94 runs have three points, the others two.
    const older = recent.slice(0, -2);
    const runs = SPARKLINE_MAX_POINTS - 2;
    const expected: typeof recent = [];
    let start = 0;
    for (let run = 0; run < runs; run++) {
      const size = run < older.length % runs ? 3 : 2;
      expected.push(older[start + size - 1]!);
      start += size;
    }
    expect(start).toBe(older.length);
    expected.push(...recent.slice(-2));
    expect(sparkline.points).toEqual(
      expected.map(({ at, amount }) => ({
        observedAt: at.toISOString(),
        price: { amount: `${amount}0`, currency: 'EUR' },
      })),
    );
    expect(sparkline.points).toHaveLength(SPARKLINE_MAX_POINTS);
  });

  it('gives every point when there are few, an unpriced check as null, and an unchecked page none', async () => {
    const checked = await asAlice.post('/v1/watches').send({ url: PAGE });
    const unchecked = await asAlice.post('/v1/watches').send({ url: `${PAGE}-2` });
    const productId = await product(checked.body.targetId, '', true);
    const [first, second, third] = [3, 2, 1].map((hours) => new Date(Date.now() - hours * HOUR));
    await points(productId, [
      { at: first!, amount: '19.9' },
      { at: second!, amount: null },
      { at: third!, amount: '18' },
    ]);

    const answer = await asAlice.get('/v1/watches').query({ include: 'sparkline' });
    const byId = new Map<string, { sparkline: unknown }>(
      answer.body.items.map((item: { id: string }) => [item.id, item]),
    );
    expect(byId.get(checked.body.id)!.sparkline).toMatchObject({
      productId,
      points: [
        { observedAt: first!.toISOString(), price: { amount: '19.90', currency: 'EUR' } },
        { observedAt: second!.toISOString(), price: null },
        { observedAt: third!.toISOString(), price: { amount: '18.00', currency: 'EUR' } },
      ],
    });
    expect(byId.get(unchecked.body.id)!.sparkline).toEqual({
      productId: null,
      from: expect.any(String),
      points: [],
    });
  });

  it('leaves the sparkline out without include, and shares a page’s line only with its watchers', async () => {
    const alices = await asAlice.post('/v1/watches').send({ url: PAGE });
    const bobs = await asBob.post('/v1/watches').send({ url: PAGE });
    const productId = await product(alices.body.targetId, '', true);
    await points(productId, [{ at: new Date(Date.now() - HOUR), amount: '42' }]);

    const plain = await asAlice.get('/v1/watches');
    expect(plain.body.items[0]).not.toHaveProperty('sparkline');

    const bobsList = await asBob.get('/v1/watches').query({ include: 'sparkline' });
    expect(bobsList.body.items.map((item: { id: string }) => item.id)).toEqual([bobs.body.id]);
    expect(bobsList.body.items[0].sparkline.points).toEqual([
      { observedAt: expect.any(String), price: { amount: '42.00', currency: 'EUR' } },
    ]);
  });

  it('rejects an unknown include with a 400 naming the parameter', async () => {
    const answer = await asAlice.get('/v1/watches').query({ include: 'history' });
    expect(answer.status).toBe(400);
    expect(answer.body.errors).toEqual([
      expect.objectContaining({ path: 'query.include', message: 'must be "sparkline"' }),
    ]);
  });
});
