import { createLogger } from '@shelfwatch/logging';
import { ConfigError, parseConfig } from '@shelfwatch/runtime';
import request from 'supertest';
import { extractOffers } from '@shelfwatch/extraction';
import { createApp } from '../src/app';
import { scraperConfigSchema } from '../src/config';
import { createScraper } from '../src/scraper';
import { testSettings } from './support/settings';
import { productPage, scrapeRequest } from './support/scrape';
import { startTestServer } from './support/test-server';

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

describe('POST /internal/scrape', () => {
  const logger = createLogger({ service: 'scraper-test', level: 'error' });

  it('runs a scrape.requested envelope over HTTP and answers with the events', async () => {
    const shop = await startTestServer();
    const scraper = createScraper({ config: testSettings(), extractOffers });
    try {
      shop.route('/p/kettle', (_req, res) =>
        res.writeHead(200, { 'content-type': 'text/html' }).end(productPage('Kettle', '39.90')),
      );
      const app = createApp({ logger, scrape: scraper.handleScrapeRequested });
      const response = await request(app)
        .post('/internal/scrape')
        .send(scrapeRequest(`${shop.url}/p/kettle`));

      expect(response.status).toBe(200);
      expect(response.body.events).toHaveLength(1);
      expect(response.body.events[0]).toMatchObject({
        type: 'observation.recorded',
        data: { offers: [{ name: 'Kettle', price: { amount: '39.90', currency: 'EUR' } }] },
      });
    } finally {
      await scraper.close();
      await shop.close();
    }
  });

  it('answers a malformed envelope with a validation problem naming the fields', async () => {
    const app = createApp({ logger, scrape: async () => [] });
    const envelope = scrapeRequest('https://shop.example.com/p/1');
    const response = await request(app)
      .post('/internal/scrape')
      .send({ ...envelope, data: { ...envelope.data, url: 'ftp://x', kind: 'page' } });

    expect(response.status).toBe(400);
    expect(response.headers['content-type']).toMatch(/application\/problem\+json/);
    const paths = response.body.errors.map((error: { path: string }) => error.path);
    expect(paths).toEqual(expect.arrayContaining(['body.data.url', 'body.data.kind']));
  });

  it('is not mounted when the app has no scrape handler', async () => {
    const response = await request(createApp({ logger })).post('/internal/scrape').send({});
    expect(response.status).toBe(404);
  });
});
