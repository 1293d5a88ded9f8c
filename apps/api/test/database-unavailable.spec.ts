import { createPrismaClient, type PrismaClient } from '@shelfwatch/db';
import { findFreeLoopbackPort } from '@shelfwatch/testing';
import { createLogger } from '@shelfwatch/logging';
import request from 'supertest';
import { Pool } from 'pg';
import { createApp } from '../src/app';
import { testAddressGuard } from './api-harness';

describe('a database that is down', () => {
  let prisma: PrismaClient;
  let databaseUrl: string;

  beforeAll(async () => {
    // Nothing listens on this port: every connection is refused, as during an outage.
    const port = await findFreeLoopbackPort();
    databaseUrl = `postgresql://shelfwatch:unused@127.0.0.1:${port}/shelfwatch`;
    prisma = createPrismaClient({
      databaseUrl,
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
      // A well-formed key: checking it is the first thing that needs the database.
      const pool = new Pool({ connectionString: databaseUrl });
      const response = await request(
        createApp({ addressGuard: testAddressGuard(), prisma, logger, pool }),
      )
        .get(path)
        .set('Authorization', `Bearer sw_abcdefghijkm_${'a'.repeat(43)}`);
      await pool.end();

      expect(response.status).toBe(503);
      expect(response.headers['retry-after']).toBe('5');
      expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(response.body).toMatchObject({ status: 503, title: 'Service unavailable' });
    },
  );
});
