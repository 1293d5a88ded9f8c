import { createPrismaClient, type PrismaClient } from '@shelfwatch/db';
import { findFreeLoopbackPort } from '@shelfwatch/testing';
import { createLogger } from '@shelfwatch/logging';
import request from 'supertest';
import { createApp } from '../src/app';

describe('a database that is down', () => {
  let prisma: PrismaClient;

  beforeAll(async () => {
    // Nothing listens on this port: every connection is refused, as during an outage.
    const port = await findFreeLoopbackPort();
    prisma = createPrismaClient({
      databaseUrl: `postgresql://shelfwatch:unused@127.0.0.1:${port}/shelfwatch`,
      pool: { connectionTimeoutMillis: 1_000 },
    });
  });
  afterAll(async () => {
    await prisma.$disconnect();
  });

  it.each(['/v1/products', '/v1/targets', '/v1/alerts'])(
    'answers GET %s with 503, Retry-After and a problem document, not 500',
    async (path) => {
      const logger = createLogger({ service: 'api-test', level: 'error' });
      const response = await request(createApp({ prisma, logger })).get(path);

      expect(response.status).toBe(503);
      expect(response.headers['retry-after']).toBe('5');
      expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(response.body).toMatchObject({ status: 503, title: 'Service unavailable' });
    },
  );
});
