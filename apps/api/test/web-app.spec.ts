import type { Express } from 'express';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { WEB_CONTENT_SECURITY_POLICY } from '../src/web/web-app';
import { createTestAccount, startApiHarness, withKey, type ApiHarness } from './api-harness';

const INDEX = '<!doctype html><div id="root"></div><script src="/assets/app-1a2b.js"></script>';

describe('the dashboard served by the api under /', () => {
  let harness: ApiHarness;
  let app: Express;
  let dist: string;
  let key: string;

  beforeAll(async () => {
    dist = mkdtempSync(join(tmpdir(), 'shelfwatch-web-'));
    mkdirSync(join(dist, 'assets'));
    writeFileSync(join(dist, 'index.html'), INDEX);
    writeFileSync(join(dist, 'assets/app-1a2b.js'), 'console.log("app")');
    harness = await startApiHarness(() => ({ webAppDir: dist }));
    app = harness.app;
    key = (await createTestAccount(harness.prisma)).apiKey.key;
  });
  afterAll(async () => {
    await harness.close();
    rmSync(dist, { recursive: true, force: true });
  });

  it('serves index.html at / and at deep links, with a strict content security policy', async () => {
    for (const path of ['/', '/products/0190f5e4-8a3c-7b2d-9e4f-1a2b3c4d5e6f', '/alerts']) {
      const response = await request(app).get(path).set('Accept', 'text/html');
      expect({ path, status: response.status }).toEqual({ path, status: 200 });
      expect(response.text).toBe(INDEX);
      expect(response.headers['content-security-policy']).toBe(WEB_CONTENT_SECURITY_POLICY);
      expect(response.headers['cache-control']).toBe('no-cache');
    }
  });

  it('serves hashed assets for a year and answers a missing asset 404', async () => {
    const asset = await request(app).get('/assets/app-1a2b.js');
    expect(asset.status).toBe(200);
    expect(asset.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect((await request(app).get('/assets/missing.js')).status).toBe(404);
  });

  it('leaves api routes to the api, even for a browser asking for HTML', async () => {
    const unauthenticated = await request(app).get('/v1/watches').set('Accept', 'text/html');
    expect(unauthenticated.status).toBe(401);
    const listed = await withKey(app, key).get('/v1/watches').set('Accept', 'text/html,*/*');
    expect(listed.status).toBe(200);
    expect(listed.body).toEqual({ items: [], nextPageToken: null });
    const unknown = await withKey(app, key).get('/v1/nothing-here').set('Accept', 'text/html');
    expect(unknown.status).toBe(404);
    expect(unknown.headers['content-type']).toMatch(/problem\+json/);
    expect((await request(app).get('/openapi.json').set('Accept', 'text/html')).status).toBe(200);
  });

  it('answers a client that does not want HTML with problem+json, not the app', async () => {
    const response = await request(app).get('/somewhere').set('Accept', 'application/json');
    expect(response.status).toBe(404);
    expect(response.headers['content-type']).toMatch(/problem\+json/);
  });

  it('refuses to start when the build is missing, naming the build command', () => {
    expect(() => harness.appWith({ webAppDir: join(dist, 'nope') })).toThrow(/nx run web:build/);
  });
});
