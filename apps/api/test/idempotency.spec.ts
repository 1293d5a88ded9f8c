import type { PrismaClient } from '@shelfwatch/db';
import type { Express } from 'express';
import {
  createTestAccount,
  startApiHarness,
  type ApiHarness,
  withKey,
  type TestAccount,
} from './api-harness';

const PROBLEM_JSON = /application\/problem\+json/;

describe('Idempotency-Key on POST against a real PostgreSQL', () => {
  let harness: ApiHarness;
  let prisma: PrismaClient;
  let app: Express;
  let account: TestAccount;

  beforeAll(async () => {
    harness = await startApiHarness();
    ({ app, prisma } = harness);
    account = await createTestAccount(prisma);
  });

  afterAll(async () => {
    await harness.close();
  });

  const post = (key: string, body: object, path = '/v1/watches') =>
    withKey(app, account.apiKey.key).post(path).set('Idempotency-Key', key).send(body);

  it('twenty concurrent POSTs with one key create one watch and all get its answer or 409', async () => {
    const body = { url: 'https://shop.example.com/p/concurrent', labels: ['once'] };
    const responses = await Promise.all(
      Array.from({ length: 20 }, () => post('create-concurrent-1', body)),
    );

    expect(await prisma.watch.count({ where: { labels: { has: 'once' } } })).toBe(1);
    const created = responses.filter((response) => response.status === 201);
    const inFlight = responses.filter((response) => response.status === 409);
    expect(created.length + inFlight.length).toBe(20);
    expect(created.length).toBeGreaterThanOrEqual(1);
    const first = created[0]!;
    for (const response of created) {
      expect(response.body).toEqual(first.body);
      expect(response.headers.location).toBe(first.headers.location);
    }
    for (const response of inFlight) {
      expect(response.headers['content-type']).toMatch(PROBLEM_JSON);
      expect(response.body.type).toBe('https://shelfwatch.dev/problems/idempotency-key-in-flight');
      expect(response.headers['retry-after']).toBe('1');
    }

    // Once the first has answered, every repeat is a replay of it.
    const replay = await post('create-concurrent-1', body);
    expect(replay.status).toBe(201);
    expect(replay.headers['idempotent-replayed']).toBe('true');
    expect(replay.headers['content-type']).toMatch(/application\/json/);
    expect(replay.headers.location).toBe(first.headers.location);
    expect(replay.body).toEqual(first.body);
  });

  it('answers 422 for the same key with a different body, and changes nothing', async () => {
    const first = await post('create-2', { url: 'https://shop.example.com/p/two' });
    expect(first.status).toBe(201);
    const other = await post('create-2', { url: 'https://shop.example.com/p/other' });
    expect(other.status).toBe(422);
    expect(other.headers['content-type']).toMatch(PROBLEM_JSON);
    expect(other.body.type).toBe('https://shelfwatch.dev/problems/idempotency-key-reused');
    expect(await prisma.target.count({ where: { url: 'https://shop.example.com/p/other' } })).toBe(
      0,
    );
  });

  it('replays a first answer that was an error, and keys are per account', async () => {
    const invalid = { url: 'ftp://shop.example.com/p' };
    const first = await post('bad-1', invalid);
    expect(first.status).toBe(400);
    const again = await post('bad-1', invalid);
    expect(again.status).toBe(400);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.body).toEqual(first.body);

    const other = await createTestAccount(prisma);
    const theirs = await withKey(app, other.apiKey.key)
      .post('/v1/watches')
      .set('Idempotency-Key', 'create-2')
      .send({ url: 'https://shop.example.com/p/theirs' });
    expect(theirs.status).toBe(201);
  });

  it('covers every POST: an API key created twice with one key is one key', async () => {
    const body = { name: 'once', scopes: ['read'] };
    const first = await post('key-1', body, '/v1/api-keys');
    const second = await post('key-1', body, '/v1/api-keys');
    expect(first.status).toBe(201);
    expect(second.body).toEqual(first.body);
    expect(
      await prisma.apiKey.count({ where: { accountId: account.accountId, name: 'once' } }),
    ).toBe(1);
  });

  it.each([
    ['an empty key', ''],
    ['a key with spaces', 'has spaces'],
    ['a too long key', 'k'.repeat(256)],
  ])('rejects %s with 400', async (_label, key) => {
    const response = await post(key, { url: 'https://shop.example.com/p/x' });
    expect(response.status).toBe(400);
    expect(response.body.errors[0].path).toBe('headers');
  });

  it('lets a key be used afresh once its record has expired', async () => {
    const body = { url: 'https://shop.example.com/p/expiring' };
    expect((await post('expiring', body)).status).toBe(201);
    await prisma.idempotencyRecord.updateMany({
      where: { key: 'expiring' },
      data: { expiresAt: new Date(Date.now() - 1000) },
    });
    const fresh = await post('expiring', body);
    expect(fresh.status).toBe(409);
    expect(fresh.headers['idempotent-replayed']).toBeUndefined();
    expect(fresh.body.detail).toContain('already watches');
  });
});
