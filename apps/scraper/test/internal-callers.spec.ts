import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { extractOffers } from '@shelfwatch/extraction';
import { createLogger } from '@shelfwatch/logging';
import { createPushTokenVerifier } from '@shelfwatch/messaging';
import { localIssuer } from '@shelfwatch/testing';
import type { Express } from 'express';
import request from 'supertest';
import { createApp } from '../src/app';
import { createScraper, type Scraper } from '../src/scraper';
import { productPage, scrapeRequest } from './support/scrape';
import { testSettings } from './support/settings';
import { startTestServer, type TestServer } from './support/test-server';

const MAIN = path.join(__dirname, '..', 'src', 'main.ts');

describe('POST /internal/scrape with a caller identity', () => {
  const issuer = localIssuer();
  const audience = 'shelfwatch-test-scraper-internal';
  const caller = 'operator@shelfwatch-test.iam.gserviceaccount.com';
  const claims = { aud: audience, email: caller, email_verified: true };
  const logged: unknown[] = [];
  let shop: TestServer;
  let scraper: Scraper;
  let app: Express;

  beforeAll(async () => {
    shop = await startTestServer();
    shop.route('/p/kettle', (_req, res) =>
      res.writeHead(200, { 'content-type': 'text/html' }).end(productPage('Kettle', '39.90')),
    );
    scraper = createScraper({ config: testSettings(), extractOffers });
    const logger = createLogger({ service: 'scraper-test', level: 'debug' });
    for (const transport of logger.transports) transport.silent = true;
    logger.on('data', (entry: unknown) => logged.push(entry));
    app = createApp({
      logger,
      scrape: scraper.handleScrapeRequested,
      internalCallers: createPushTokenVerifier({
        audience,
        serviceAccountEmail: caller,
        certificates: issuer.certificates,
      }),
    });
  });

  afterAll(async () => {
    await scraper.close();
    await shop.close();
  });

  const scrape = (token?: string) => {
    const call = request(app).post('/internal/scrape');
    return (token ? call.set('authorization', `Bearer ${token}`) : call).send(
      scrapeRequest(`${shop.url}/p/kettle`),
    );
  };

  it('answers 401 with a Bearer challenge without a token, and fetches nothing', async () => {
    const response = await scrape();
    expect(response.status).toBe(401);
    expect(response.headers['www-authenticate']).toBe('Bearer');
    expect(response.headers['content-type']).toMatch(/application\/problem\+json/);
  });

  it.each([
    ['junk', () => 'junk-token-that-is-no-jwt-at-all-0123456789'],
    ['forged (signed by another key)', () => localIssuer().token(claims)],
    ['expired', () => issuer.token(claims, { expiresInSeconds: -600 })],
    ['from another issuer', () => issuer.token({ ...claims, iss: 'https://evil.example' })],
  ])('answers 401 for a %s token', async (_case, token) => {
    expect((await scrape(token())).status).toBe(401);
  });

  it.each([
    ['another audience', { ...claims, aud: 'https://elsewhere.example' }],
    ['another caller', { ...claims, email: 'intruder@evil.example' }],
    ['an unverified email', { ...claims, email_verified: false }],
  ])('answers 403 for a valid token of %s', async (_case, tokenClaims) => {
    expect((await scrape(issuer.token(tokenClaims))).status).toBe(403);
  });

  it('scrapes for the configured caller’s token', async () => {
    const response = await scrape(issuer.token(claims));
    expect(response.status).toBe(200);
    expect(response.body.events[0]).toMatchObject({ type: 'observation.recorded' });
  });

  it('never logs a token, or any part of one', async () => {
    const tokens = [
      'junk-token-that-is-no-jwt-at-all-0123456789',
      'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJmb3JnZWQtY2xhaW1zIn0.c2lnbmF0dXJlLW9mLW5vYm9keQ',
      localIssuer().token(claims),
      issuer.token(claims, { expiresInSeconds: -600 }),
      issuer.token({ ...claims, aud: 'https://elsewhere.example' }),
      issuer.token(claims),
    ];
    logged.length = 0;
    for (const token of tokens) await scrape(token);

    expect(logged.length).toBeGreaterThan(tokens.length);
    const text = JSON.stringify(logged);
    for (const token of tokens)
      for (const part of [token, ...token.split('.')].filter((piece) => piece.length >= 16))
        expect(text).not.toContain(part);
  });
});

describe('the scraper on Cloud Run', () => {
  it('refuses to start without the identity of its /internal callers, naming both settings', () => {
    const result = spawnSync(process.execPath, ['--import', 'tsx', MAIN], {
      env: {
        PATH: process.env.PATH,
        HOME: process.env.HOME,
        K_SERVICE: 'scraper',
        METADATA_SERVER_DETECTION: 'none',
        GOOGLE_CLOUD_PROJECT: 'shelfwatch-ci',
      },
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(result.status).toBe(1);
    expect(result.stdout).toBe('');
    const entry = JSON.parse(result.stderr.trim()) as { severity: string; message: string };
    expect(entry.severity).toBe('CRITICAL');
    expect(entry.message).toMatch(
      /SCRAPER_INTERNAL_AUDIENCE: is required on Cloud Run \(K_SERVICE is set\): POST \/internal\/scrape/,
    );
    expect(entry.message).toContain('SCRAPER_INTERNAL_SERVICE_ACCOUNT: is required on Cloud Run');
  });
});
