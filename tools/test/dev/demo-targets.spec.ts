import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { newId } from '@shelfwatch/contracts';
import { createPrismaClient, type PrismaClient } from '@shelfwatch/db';
import { createTestDatabase, type TestDatabase } from '@shelfwatch/testing';
import { keepDemoTargetsOnShop } from '../../dev/demo-targets';

describe('demo targets when the demo shop moves to another port', () => {
  let database: TestDatabase<PrismaClient>;
  let stateDir: string;
  let stateFile: string;

  beforeAll(async () => {
    database = await createTestDatabase(createPrismaClient);
    stateDir = mkdtempSync(join(tmpdir(), 'demo-targets-'));
    stateFile = join(stateDir, 'demo-shop.json');
  });

  afterAll(async () => {
    await database.drop();
    rmSync(stateDir, { recursive: true, force: true });
  });

  const target = (url: string, kind: 'product' | 'sitemap' = 'product') =>
    database.prisma.target.create({
      data: {
        id: newId(),
        url,
        host: new URL(url).hostname,
        kind,
        checkIntervalSeconds: 60,
        status: 'active',
      },
    });
  const urlOf = async (id: string) =>
    (await database.prisma.target.findUniqueOrThrow({ where: { id } })).url;

  it('on the first start records the shop and moves nothing', async () => {
    const sitemap = await target('http://127.0.0.1:8090/sitemap.xml', 'sitemap');

    expect(await keepDemoTargetsOnShop(database.url, 'http://127.0.0.1:8090', stateFile)).toBe(0);
    expect(await urlOf(sitemap.id)).toBe('http://127.0.0.1:8090/sitemap.xml');
    expect(JSON.parse(readFileSync(stateFile, 'utf8'))).toEqual({
      origin: 'http://127.0.0.1:8090',
    });
  });

  it('moves every target under the old origin to the new one, and only those', async () => {
    writeFileSync(stateFile, JSON.stringify({ origin: 'http://127.0.0.1:8090' }));
    const product = await target('http://127.0.0.1:8090/products/kettle');
    const otherPort = await target('http://127.0.0.1:8091/products/kettle');
    const elsewhere = await target('https://shop.example.com/products/kettle');
    // Already watched at the new origin: moving the old one would duplicate it, so it stays.
    const kept = await target('http://127.0.0.1:8090/products/toaster');
    await target('http://127.0.0.1:9190/products/toaster');

    const moved = await keepDemoTargetsOnShop(database.url, 'http://127.0.0.1:9190', stateFile);

    expect(moved).toBe(2); // the sitemap from the first test and the kettle
    expect(await urlOf(product.id)).toBe('http://127.0.0.1:9190/products/kettle');
    expect(
      await database.prisma.target.count({
        where: { url: { startsWith: 'http://127.0.0.1:9190/sitemap' } },
      }),
    ).toBe(1);
    expect(await urlOf(otherPort.id)).toBe('http://127.0.0.1:8091/products/kettle');
    expect(await urlOf(elsewhere.id)).toBe('https://shop.example.com/products/kettle');
    expect(await urlOf(kept.id)).toBe('http://127.0.0.1:8090/products/toaster');
    expect(JSON.parse(readFileSync(stateFile, 'utf8'))).toEqual({
      origin: 'http://127.0.0.1:9190',
    });
  });
});
