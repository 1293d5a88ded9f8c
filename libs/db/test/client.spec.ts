import {
  Prisma,
  ScrapeRunStatus,
  TargetKind,
  createPrismaClient,
  type PrismaClient,
} from '../src/index';
import { insertSharedTarget } from './target-round-trip';
import { randomUUID } from 'node:crypto';
import { type TestDatabase, createTestDatabase } from '@shelfwatch/testing';

describe('createPrismaClient on a per-file test database', () => {
  let database: TestDatabase<PrismaClient>;
  beforeAll(async () => {
    database = await createTestDatabase(createPrismaClient);
  });
  afterAll(() => database.drop());

  it('round-trips a Target with its JSON selectors and timestamps', async () => {
    const created = await insertSharedTarget(database.prisma);

    const read = await database.prisma.target.findUniqueOrThrow({ where: { id: created.id } });

    expect(read).toEqual(created);
    expect(read.kind).toBe(TargetKind.product);
    expect(read.selectors).toEqual({ price: '.price' });
    expect(read.createdAt).toBeInstanceOf(Date);
    expect(read.updatedAt.getTime()).toBeGreaterThan(0);
  });

  it('rejects a second Target with the same url and kind (unique, so the api can answer 409)', async () => {
    await expect(insertSharedTarget(database.prisma)).rejects.toMatchObject({ code: 'P2002' });
    await expect(insertSharedTarget(database.prisma)).rejects.toBeInstanceOf(
      Prisma.PrismaClientKnownRequestError,
    );
  });

  it('deletes a target’s scrape runs with it', async () => {
    const target = await database.prisma.target.findFirstOrThrow();
    await database.prisma.scrapeRun.create({
      data: { id: randomUUID(), targetId: target.id, status: ScrapeRunStatus.queued },
    });

    await database.prisma.target.delete({ where: { id: target.id } });

    expect(await database.prisma.scrapeRun.count()).toBe(0);
  });

  it('works in its own database, cloned from the migrated template', async () => {
    const [{ name }] = await database.prisma.$queryRaw<
      [{ name: string }]
    >`SELECT current_database() AS name`;

    expect(name).toMatch(/^shelfwatch_test_/);
    expect(database.url).toContain(`/${name}`);
  });

  it('starts a transaction that waits longer than 2 s for the pool’s only connection', async () => {
    const onePool = createPrismaClient({
      databaseUrl: database.url,
      pool: { max: 1, connectionTimeoutMillis: 10_000 },
    });
    try {
      let holding!: () => void;
      const held = new Promise<void>((resolve) => (holding = resolve));
      const first = onePool.$transaction(
        async (tx) => {
          holding();
          await tx.$executeRaw`SELECT pg_sleep(3)`;
        },
        { timeout: 20_000 },
      );
      await held;
      const second = onePool.$transaction(async (tx) => tx.$queryRaw`SELECT 1 AS one`);

      await expect(first).resolves.toBeUndefined();
      await expect(second).resolves.toEqual([{ one: 1 }]);
    } finally {
      await onePool.$disconnect();
    }
  });
});
