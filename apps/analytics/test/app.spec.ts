import { createPrismaClient, type PrismaClient } from '@shelfwatch/db';
import { createLogger } from '@shelfwatch/logging';
import { ConfigError, parseConfig } from '@shelfwatch/runtime';
import { createServer } from 'node:net';
import request from 'supertest';
import { createApp } from '../src/app';
import { analyticsConfigSchema } from '../src/config';
import { type TestDatabase, createTestDatabase } from '@shelfwatch/testing';

const logger = createLogger({ service: 'analytics-test', level: 'error' });

/** A loopback port with nothing listening on it. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe('analytics service', () => {
  let database: TestDatabase<PrismaClient>;

  beforeAll(async () => {
    database = await createTestDatabase(createPrismaClient);
  });

  afterAll(async () => {
    await database.drop();
  });

  it('is ready when its database answers', async () => {
    const app = createApp({ prisma: database.prisma, logger });

    const response = await request(app).get('/ready');

    expect(response.status).toBe(200);
    expect(response.body.checks).toEqual({ database: 'ok' });
  });

  it('is alive but not ready when its database is unreachable', async () => {
    const prisma = createPrismaClient({
      databaseUrl: `postgresql://postgres@127.0.0.1:${await closedPort()}/shelfwatch`,
      pool: { connectionTimeoutMillis: 500 },
    });
    const app = createApp({ prisma, logger });

    const health = await request(app).get('/health');
    const ready = await request(app).get('/ready');
    await prisma.$disconnect();

    expect(health.status).toBe(200);
    expect(ready.status).toBe(503);
    expect(ready.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(ready.body.detail).toContain('database');
    expect(JSON.stringify(ready.body)).not.toMatch(/ECONNREFUSED|stack/);
  });

  it('refuses to start without DATABASE_URL, naming it', () => {
    expect(() => parseConfig(analyticsConfigSchema, {})).toThrow(ConfigError);
    expect(() => parseConfig(analyticsConfigSchema, {})).toThrow(/DATABASE_URL/);
  });
});
