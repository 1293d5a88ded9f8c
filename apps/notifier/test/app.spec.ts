import { createPrismaClient, type PrismaClient } from '@shelfwatch/db';
import { createTestDatabase, type TestDatabase } from '@shelfwatch/testing';
import { createLogger } from '@shelfwatch/logging';
import { ConfigError, parseConfig } from '@shelfwatch/runtime';
import request from 'supertest';
import { createApp } from '../src/app';
import { notifierConfigSchema } from '../src/config';

const logger = createLogger({ service: 'notifier-test', level: 'error' });

describe('notifier service', () => {
  let database: TestDatabase<PrismaClient>;

  beforeAll(async () => {
    database = await createTestDatabase(createPrismaClient);
  });

  afterAll(async () => {
    await database.drop();
  });

  it('is alive and ready', async () => {
    const app = createApp({ logger, prisma: database.prisma });

    const health = await request(app).get('/health');
    const ready = await request(app).get('/ready');

    expect(health.status).toBe(200);
    expect(ready.status).toBe(200);
  });

  it('answers an unknown route with a problem+json 404', async () => {
    const response = await request(createApp({ logger, prisma: database.prisma })).get('/nope');

    expect(response.status).toBe(404);
    expect(response.headers['content-type']).toMatch(/application\/problem\+json/);
  });

  it('refuses a PORT that is not a port, naming it', () => {
    expect(() => parseConfig(notifierConfigSchema, { PORT: 'eighty' })).toThrow(ConfigError);
    expect(() => parseConfig(notifierConfigSchema, { PORT: 'eighty' })).toThrow(/PORT/);
  });
});
