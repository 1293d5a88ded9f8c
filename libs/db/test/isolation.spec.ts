import { insertSharedTarget } from './target-round-trip';
import { createPrismaClient, type PrismaClient } from '../src/index';
import { type TestDatabase, createTestDatabase } from '@shelfwatch/testing';

// client.spec.ts inserts the very same Target; both files pass only if each has its own database.
describe('createTestDatabase', () => {
  const databases: TestDatabase<PrismaClient>[] = [];
  afterAll(() => Promise.all(databases.map((database) => database.drop())));

  it('gives each caller a separate database', async () => {
    const first = await createTestDatabase(createPrismaClient);
    const second = await createTestDatabase(createPrismaClient);
    databases.push(first, second);

    await insertSharedTarget(first.prisma);
    await insertSharedTarget(second.prisma);

    expect(first.url).not.toBe(second.url);
    expect(await first.prisma.target.count()).toBe(1);
    expect(await second.prisma.target.count()).toBe(1);
  });

  it('drops the database on drop()', async () => {
    const database = await createTestDatabase(createPrismaClient);
    await database.drop();

    await expect(createClientProbe(database.url)).rejects.toThrow(/does not exist/);
  });
});

async function createClientProbe(url: string): Promise<void> {
  const { Client } = await import('pg');
  const client = new Client({ connectionString: url });
  try {
    await client.connect();
  } finally {
    await client.end().catch(() => undefined);
  }
}
