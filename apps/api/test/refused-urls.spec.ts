import { AddressGuard } from '@shelfwatch/address-guard';
import { problemTypes } from '@shelfwatch/contracts';
import type { PrismaClient } from '@shelfwatch/db';
import type { Express } from 'express';
import {
  createTestAccount,
  startApiHarness,
  testAddressGuard,
  withKey,
  type ApiHarness,
  type TestAccount,
} from './api-harness';

const PROBLEM_JSON = /application\/problem\+json/;

/** URLs the scraper would refuse, and the reason the 422 must name. */
const refused: Array<[url: string, reason: string]> = [
  ['http://127.0.0.1:8080/admin', 'loopback address'],
  ['http://2130706433/', 'loopback address'],
  ['http://0x7f.1/', 'loopback address'],
  ['http://[::1]:9000/', 'loopback address'],
  ['http://localhost:3000/', 'loopback address'],
  ['http://10.0.0.1/p/1', 'private address'],
  ['http://192.168.1.1/', 'private address'],
  ['https://intranet.example.com/p/1', 'private address'],
  ['http://169.254.169.254/computeMetadata/v1/', 'metadata address'],
  ['http://[::ffff:169.254.169.254]/latest/meta-data/', 'metadata address'],
  ['http://metadata.google.internal/computeMetadata/v1/', 'metadata address'],
  ['http://[fe80::1]/', 'link-local address'],
  ['https://no-such-shop.invalid/p/1', 'unresolvable host'],
];

describe('refusing at creation a URL the address guard would refuse', () => {
  let harness: ApiHarness;
  let prisma: PrismaClient;
  let customer: TestAccount;
  let operator: TestAccount;
  let app: Express;

  const appWith = (addressGuard: AddressGuard) => harness.appWith({ addressGuard });

  beforeAll(async () => {
    harness = await startApiHarness();
    ({ app, prisma } = harness);
    customer = await createTestAccount(prisma);
    operator = await createTestAccount(prisma, { operator: true });
  });

  afterAll(async () => {
    await harness.close();
  });

  beforeEach(async () => {
    await prisma.$executeRawUnsafe('TRUNCATE watches, targets CASCADE');
  });

  it.each(refused)('POST /v1/watches %s: 422 naming %s, nothing stored', async (url, reason) => {
    const response = await withKey(app, customer.apiKey.key).post('/v1/watches').send({ url });

    expect(response.status).toBe(422);
    expect(response.headers['content-type']).toMatch(PROBLEM_JSON);
    expect(response.body).toMatchObject({
      type: problemTypes.addressRefused,
      status: 422,
      reason,
    });
    expect(response.body.detail).toContain(reason);
    expect(await prisma.target.count()).toBe(0);
    expect(await prisma.watch.count()).toBe(0);
  });

  it.each(refused)('admin POST /v1/targets %s: 422 naming %s', async (url, reason) => {
    const response = await withKey(app, operator.apiKey.key).post('/v1/targets').send({ url });

    expect(response.status).toBe(422);
    expect(response.body).toMatchObject({ type: problemTypes.addressRefused, reason });
    expect(await prisma.target.count()).toBe(0);
  });

  it('accepts a public shop as before', async () => {
    const watch = await withKey(app, customer.apiKey.key)
      .post('/v1/watches')
      .send({ url: 'https://shop.example.com/p/1' });
    const target = await withKey(app, operator.apiKey.key)
      .post('/v1/targets')
      .send({ url: 'https://shop.example.com/p/2' });
    expect([watch.status, target.status]).toEqual([201, 201]);
  });

  it('lets the allow-list (the local demo shop on loopback) through, and nothing else', async () => {
    const local = appWith(testAddressGuard(['127.0.0.1', 'localhost']));
    const shop = await withKey(local, customer.apiKey.key)
      .post('/v1/watches')
      .send({ url: 'http://127.0.0.1:4010/products/espresso' });
    const metadata = await withKey(local, customer.apiKey.key)
      .post('/v1/watches')
      .send({ url: 'http://169.254.169.254/computeMetadata/v1/' });

    expect(shop.status).toBe(201);
    expect(metadata.status).toBe(422);
    expect(metadata.body.reason).toBe('metadata address');
  });

  it('answers 503 with Retry-After when DNS fails in a way that may heal', async () => {
    const flakyDns = new AddressGuard({
      resolver: async (hostname) => {
        throw Object.assign(new Error(`getaddrinfo EAI_AGAIN ${hostname}`), { code: 'EAI_AGAIN' });
      },
    });
    const response = await withKey(appWith(flakyDns), customer.apiKey.key)
      .post('/v1/watches')
      .send({ url: 'https://shop.example.com/p/1' });

    expect(response.status).toBe(503);
    expect(response.headers['retry-after']).toMatch(/^\d+$/);
    expect(response.headers['content-type']).toMatch(PROBLEM_JSON);
    expect(await prisma.watch.count()).toBe(0);
  });
});
