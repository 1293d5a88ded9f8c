import { createLogger } from '@shelfwatch/logging';
import { ConfigError, parseConfig } from '@shelfwatch/runtime';
import request from 'supertest';
import { createApp } from '../src/app';
import { scraperConfigSchema } from '../src/config';

describe('scraper service', () => {
  const app = createApp({ logger: createLogger({ service: 'scraper-test', level: 'error' }) });

  it('is alive and ready', async () => {
    const health = await request(app).get('/health');
    const ready = await request(app).get('/ready');

    expect(health.status).toBe(200);
    expect(health.body.status).toBe('ok');
    expect(ready.status).toBe(200);
    expect(ready.body.status).toBe('ready');
  });

  it('answers unknown routes with a 404 problem', async () => {
    const response = await request(app).get('/nothing');

    expect(response.status).toBe(404);
    expect(response.headers['content-type']).toMatch(/application\/problem\+json/);
  });

  it('fails fast on a bad environment, naming every bad variable', () => {
    expect.assertions(3);
    try {
      parseConfig(scraperConfigSchema, { PORT: 'eighty', SCRAPER_USER_AGENT_CONTACT: 'not a url' });
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      expect((error as Error).message).toContain('PORT');
      expect((error as Error).message).toContain('SCRAPER_USER_AGENT_CONTACT');
    }
  });

  it('honours PORT', () => {
    expect(parseConfig(scraperConfigSchema, { PORT: '9123' }).PORT).toBe(9123);
  });
});
