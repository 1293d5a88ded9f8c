import { createEvent, newId } from '@shelfwatch/contracts';
import { type PrismaClient, createPrismaClient } from '@shelfwatch/db';
import { handleProductsDiscovered } from '../src/index';
import { type TestDatabase, createTestDatabase } from '@shelfwatch/testing';

describe('handleProductsDiscovered against a real PostgreSQL', () => {
  let database: TestDatabase<PrismaClient>;
  let prisma: PrismaClient;
  let listingId: string;

  beforeAll(async () => {
    database = await createTestDatabase(createPrismaClient);
    prisma = database.prisma;
  });
  afterAll(() => database.drop());
  beforeEach(async () => {
    await prisma.$executeRawUnsafe('TRUNCATE targets, processed_events CASCADE');
    listingId = newId();
    await prisma.target.create({
      data: {
        id: listingId,
        url: 'https://shop.example.com/c/coffee',
        host: 'shop.example.com',
        kind: 'listing',
        checkIntervalSeconds: 900,
        status: 'active',
      },
    });
  });

  const discovered = (urls: string[]) =>
    createEvent(
      'products.discovered',
      { runId: newId(), sourceTargetId: listingId, discoveredAt: new Date().toISOString(), urls },
      { source: 'shelfwatch/scraper' },
    );

  const productTargets = () =>
    prisma.target.findMany({ where: { kind: 'product' }, orderBy: { url: 'asc' } });

  it('creates a due product target per new page, with the listing’s check interval', async () => {
    const outcome = await handleProductsDiscovered(
      prisma,
      discovered([
        'https://shop.example.com/p/1',
        'https://Shop.Example.com/p/2#reviews',
        'https://shop.example.com/p/2',
      ]),
    );

    expect(outcome).toEqual({ duplicate: false, created: 2 });
    const targets = await productTargets();
    expect(targets.map((target) => target.url)).toEqual([
      'https://shop.example.com/p/1',
      'https://shop.example.com/p/2',
    ]);
    for (const target of targets) {
      expect(target).toMatchObject({
        host: 'shop.example.com',
        status: 'active',
        checkIntervalSeconds: 900,
      });
      expect(target.nextCheckAt).toBeInstanceOf(Date);
    }
  });

  it('skips pages already watched, paused ones included, and ignores a redelivered event', async () => {
    await prisma.target.create({
      data: {
        id: newId(),
        url: 'https://shop.example.com/p/1',
        host: 'shop.example.com',
        kind: 'product',
        checkIntervalSeconds: 3600,
        status: 'paused',
      },
    });
    const event = discovered(['https://shop.example.com/p/1', 'https://shop.example.com/p/3']);

    const first = await handleProductsDiscovered(prisma, event);
    const again = await handleProductsDiscovered(prisma, event);
    const later = await handleProductsDiscovered(
      prisma,
      discovered(['https://shop.example.com/p/3']),
    );

    expect(first).toEqual({ duplicate: false, created: 1 });
    expect(again).toEqual({ duplicate: true, created: 0 });
    expect(later).toEqual({ duplicate: false, created: 0 });
    const targets = await productTargets();
    expect(targets.map((target) => [target.url, target.status])).toEqual([
      ['https://shop.example.com/p/1', 'paused'],
      ['https://shop.example.com/p/3', 'active'],
    ]);
  });
});
