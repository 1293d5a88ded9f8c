import { randomUUID } from 'node:crypto';
import type { PrismaClient } from '../src/index';

/** The same Target every test file inserts: if two files shared a database, (url, kind) would clash. */
export async function insertSharedTarget(prisma: PrismaClient) {
  return prisma.target.create({
    data: {
      id: randomUUID(),
      url: 'https://shop.example/products/42',
      host: 'shop.example',
      kind: 'product',
      selectors: { price: '.price' },
      checkIntervalSeconds: 3600,
      status: 'active',
      nextCheckAt: new Date('2030-01-01T00:00:00Z'),
    },
  });
}
