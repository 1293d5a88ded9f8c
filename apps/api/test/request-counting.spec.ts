import request from 'supertest';
import { defaultAccessOptions } from '../src/app';
import {
  createTestAccount,
  keyWithScopes,
  startApiHarness,
  withKey,
  type ApiHarness,
  type TestAccount,
} from './api-harness';

/*
 * An API key's request is counted against its quotas in the statement that checks the key
 * (authenticate.ts); a session's after its CSRF check (rate-limits.ts). Both write the rows
 * rate-limiter-flexible's store wrote, so these tests read the rows themselves.
 */
describe('counting requests against the rate limits', () => {
  let harness: ApiHarness;
  let account: TestAccount;

  const counters = async () =>
    Object.fromEntries(
      (
        await harness.pool.query<{ key: string; points: number }>(
          'SELECT key, points FROM rate_limits ORDER BY key',
        )
      ).rows.map((row) => [row.key, row.points]),
    );

  beforeAll(async () => {
    harness = await startApiHarness(() => ({
      access: {
        ...defaultAccessOptions,
        rateLimits: {
          perKey: { points: 3, durationSeconds: 3600 },
          perAccount: { points: 100, durationSeconds: 3600 },
        },
      },
    }));
    account = await createTestAccount(harness.prisma);
  });
  afterAll(() => harness.close());
  beforeEach(() => harness.pool.query('DELETE FROM rate_limits'));

  it('counts nothing for a wrong secret, a revoked key or an unknown prefix', async () => {
    const { key } = account.apiKey;
    const wrongSecret = `${key.slice(0, -4)}${key.endsWith('AAAA') ? 'BBBB' : 'AAAA'}`;
    const revoked = await keyWithScopes(harness.prisma, account.accountId, ['read']);
    await harness.prisma.apiKey.updateMany({
      where: { prefix: revoked.split('_')[1] },
      data: { revokedAt: new Date() },
    });
    const unknown = `sw_abcdefghijkm_${'a'.repeat(43)}`;
    for (const token of [wrongSecret, revoked, unknown])
      expect((await withKey(harness.app, token).get('/v1/watches')).status).toBe(401);
    expect(await counters()).toEqual({});
  });

  it("counts a key's requests against the key and its account, then answers 429 over the key's quota", async () => {
    const agent = withKey(harness.app, account.apiKey.key);
    for (let i = 1; i <= 3; i++) {
      const response = await agent.get('/v1/watches');
      expect(response.status).toBe(200);
      expect(response.headers['ratelimit']).toMatch(
        new RegExp(`^"key";r=${3 - i};t=\\d+, "account";r=${100 - i};t=\\d+$`),
      );
    }
    const limited = await agent.get('/v1/watches');
    expect(limited.status).toBe(429);
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(3590);
    expect(await counters()).toEqual({
      [`rl_account:${account.accountId}`]: 4,
      [`rl_key:${account.apiKey.id}`]: 4,
    });
  });

  it("counts a session's requests against the session and the same account row", async () => {
    const signIn = await request(harness.app)
      .post('/v1/sessions')
      .send({ email: account.email, password: account.password });
    expect(signIn.status).toBe(201);
    const cookie = String(signIn.headers['set-cookie']).split(';')[0]!;
    await withKey(harness.app, account.apiKey.key).get('/v1/watches');
    const viaSession = await request(harness.app).get('/v1/watches').set('Cookie', cookie);
    expect(viaSession.status).toBe(200);
    expect(viaSession.headers['ratelimit']).toMatch(/^"key";r=2;t=\d+, "account";r=98;t=\d+$/);
    const rows = await counters();
    expect(rows[`rl_account:${account.accountId}`]).toBe(2);
    expect(rows[`rl_key:${account.apiKey.id}`]).toBe(1);
    expect(Object.keys(rows)).toHaveLength(3);
  });
});
