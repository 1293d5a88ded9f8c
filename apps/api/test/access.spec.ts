import { buildOpenApiDocument, type ApiKeyScope } from '@shelfwatch/contracts';
import type { PrismaClient } from '@shelfwatch/db';
import type { Express } from 'express';
import type { Pool } from 'pg';
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

const PROBLEM_JSON = /application\/problem\+json/;
const SOME_ID = '01970f3c-5f8e-7c1a-9d2b-3f4e5a6b7c8d';
const HTTP_METHODS = ['get', 'post', 'patch', 'put', 'delete'] as const;

interface DocumentedOperation {
  method: (typeof HTTP_METHODS)[number];
  path: string;
  operationId: string;
  scope: ApiKeyScope | null;
}

/** Every operation of the served document, with the scope its security requirement names. */
function documentedOperations(): DocumentedOperation[] {
  const document = JSON.parse(JSON.stringify(buildOpenApiDocument())) as {
    paths: Record<
      string,
      Record<string, { operationId: string; security?: Array<Record<string, string[]>> }>
    >;
  };
  return Object.entries(document.paths).flatMap(([template, item]) =>
    HTTP_METHODS.filter((method) => item[method]).map((method) => {
      const operation = item[method]!;
      const requirement = operation.security?.[0];
      return {
        method,
        path: template.replace(/\{[^}]+\}/g, SOME_ID),
        operationId: operation.operationId,
        scope: requirement ? ((Object.values(requirement)[0]?.[0] as ApiKeyScope) ?? null) : null,
      };
    }),
  );
}

const SCOPES_LACKING: Record<ApiKeyScope, ApiKeyScope[]> = {
  read: ['write'],
  write: ['read'],
  admin: ['read', 'write'],
};

describe('access control against a real PostgreSQL', () => {
  let harness: ApiHarness;
  let prisma: PrismaClient;
  let pool: Pool;
  let app: Express;
  let customer: TestAccount;

  beforeAll(async () => {
    harness = await startApiHarness(() => ({
      access: {
        ...defaultAccessOptions,
        sessionTtlSeconds: 3600,
        loginThrottle: {
          perEmail: { points: 3, durationSeconds: 60 },
          perAddress: { points: 8, durationSeconds: 60 },
        },
      },
    }));
    ({ app, prisma, pool } = harness);
    customer = await createTestAccount(prisma);
  });

  afterAll(() => harness.close());

  const secured = documentedOperations().filter(
    (operation) => operation.path.startsWith('/v1/') && operation.scope !== null,
  );

  it('documents a scope on every /v1 operation except sign-in', () => {
    const open = documentedOperations().filter(
      (operation) => operation.path.startsWith('/v1/') && operation.scope === null,
    );
    expect(open.map((operation) => operation.operationId)).toEqual(['signIn']);
    expect(secured.length).toBeGreaterThan(20);
  });

  it('answers 401 problem+json with WWW-Authenticate on every /v1 operation without credentials', async () => {
    for (const { method, path, operationId } of secured) {
      const response = await request(app)[method](path).send();
      expect({ operationId, status: response.status }).toEqual({ operationId, status: 401 });
      expect(response.headers['content-type']).toMatch(PROBLEM_JSON);
      expect(response.headers['www-authenticate']).toBe('Bearer realm="shelfwatch"');
    }
  });

  it('answers 403 on every /v1 operation for a key that lacks its scope', async () => {
    for (const { method, path, operationId, scope } of secured) {
      const key = await keyWithScopes(prisma, customer.accountId, SCOPES_LACKING[scope!]);
      const response = await withKey(app, key)[method](path).send();
      expect({ operationId, status: response.status }).toEqual({ operationId, status: 403 });
      expect(response.headers['content-type']).toMatch(PROBLEM_JSON);
      expect(response.body.requiredScope).toBe(scope);
    }
  });

  it.each([
    ['a non-Bearer scheme', 'Basic dXNlcjpwYXNz'],
    ['a token that is no API key', 'Bearer not-a-key'],
    ['an unknown key', `Bearer sw_abcdefghijkm_${'a'.repeat(43)}`],
  ])('answers 401 for %s', async (_label, authorization) => {
    const response = await request(app).get('/v1/alerts').set('Authorization', authorization);
    expect(response.status).toBe(401);
    expect(response.headers['www-authenticate']).toBe('Bearer realm="shelfwatch"');
    expect(response.body.type).toBe('https://shelfwatch.dev/problems/unauthorized');
  });

  it('keeps /v1/targets for admins of operator accounts', async () => {
    const customerAdmin = await withKey(app, customer.apiKey.key).get('/v1/targets');
    expect(customerAdmin.status).toBe(403);
    const operator = await createTestAccount(prisma, { operator: true });
    expect((await withKey(app, operator.apiKey.key).get('/v1/targets')).status).toBe(200);
  });

  describe('API keys', () => {
    it('shows a new key once, lists it without its secret, records its use and revokes it', async () => {
      const admin = withKey(app, customer.apiKey.key);
      const created = await admin.post('/v1/api-keys').send({ name: 'reader', scopes: ['read'] });
      expect(created.status).toBe(201);
      expect(created.body.key).toMatch(new RegExp(`^sw_${created.body.prefix}_[A-Za-z0-9_-]{43}$`));
      const stored = await prisma.apiKey.findUniqueOrThrow({ where: { id: created.body.id } });
      const secret = (created.body.key as string).slice(`sw_${created.body.prefix}_`.length);
      expect(secret).toHaveLength(43);
      expect(JSON.stringify(stored)).not.toContain(secret);

      expect((await withKey(app, created.body.key).get('/v1/alerts')).status).toBe(200);
      const listed = await admin.get('/v1/api-keys');
      const entry = listed.body.items.find((item: { id: string }) => item.id === created.body.id);
      expect(entry).toMatchObject({ name: 'reader', scopes: ['read'], revokedAt: null });
      expect(entry.lastUsedAt).not.toBeNull();
      expect(JSON.stringify(listed.body)).not.toContain(created.body.key);

      const revoked = await admin.delete(`/v1/api-keys/${created.body.id}`);
      expect(revoked.status).toBe(200);
      expect(revoked.body.revokedAt).not.toBeNull();
      const after = await withKey(app, created.body.key).get('/v1/alerts');
      expect(after.status).toBe(401);
      expect(after.body.detail).toContain('revoked');
    });

    it('refuses an expired key', async () => {
      const key = await keyWithScopes(prisma, customer.accountId, ['read']);
      await prisma.apiKey.updateMany({
        where: { prefix: key.slice(3, 15) },
        data: { expiresAt: new Date(Date.now() - 1000) },
      });
      const response = await withKey(app, key).get('/v1/alerts');
      expect(response.status).toBe(401);
      expect(response.body.detail).toContain('expired');
    });

    it('accepts a key until it expires, and records its use at most once a minute', async () => {
      const key = await keyWithScopes(prisma, customer.accountId, ['read']);
      const where = { prefix: key.slice(3, 15) };
      const inAMinute = new Date(Date.now() + 60_000);
      const recently = new Date(Date.now() - 30_000);
      await prisma.apiKey.updateMany({
        where,
        data: { expiresAt: inAMinute, lastUsedAt: recently },
      });
      expect((await withKey(app, key).get('/v1/alerts')).status).toBe(200);
      const untouched = await prisma.apiKey.findFirstOrThrow({ where });
      expect(untouched.lastUsedAt).toEqual(recently);

      const aMinuteAgo = new Date(Date.now() - 61_000);
      await prisma.apiKey.updateMany({ where, data: { lastUsedAt: aMinuteAgo } });
      const before = Date.now();
      expect((await withKey(app, key).get('/v1/alerts')).status).toBe(200);
      const touched = await prisma.apiKey.findFirstOrThrow({ where });
      expect(touched.lastUsedAt!.getTime()).toBeGreaterThanOrEqual(before);
    });

    it('never lets a key grant a scope its creator lacks', async () => {
      const key = await keyWithScopes(prisma, customer.accountId, ['read', 'write', 'admin']);
      await prisma.apiKey.updateMany({
        where: { prefix: key.slice(3, 15) },
        data: { scopes: ['admin'] },
      });
      const response = await withKey(app, key)
        .post('/v1/api-keys')
        .send({ name: 'escalate', scopes: ['write'] });
      expect(response.status).toBe(403);
    });

    it("cannot revoke another account's key", async () => {
      const other = await createTestAccount(prisma);
      const response = await withKey(app, customer.apiKey.key).delete(
        `/v1/api-keys/${other.apiKey.id}`,
      );
      expect(response.status).toBe(404);
      expect((await withKey(app, other.apiKey.key).get('/v1/alerts')).status).toBe(200);
    });
  });

  describe('sessions', () => {
    async function signIn(account: TestAccount) {
      const agent = request.agent(app);
      const response = await agent
        .post('/v1/sessions')
        .send({ email: account.email.toUpperCase(), password: account.password });
      return { agent, response };
    }

    it('signs in with an HttpOnly, Secure, SameSite=Lax cookie and reads with it', async () => {
      const { agent, response } = await signIn(customer);
      expect(response.status).toBe(201);
      const cookie = String(response.headers['set-cookie']);
      expect(cookie).toMatch(/^sw_session=[A-Za-z0-9_-]{43};/);
      expect(cookie).toContain('HttpOnly');
      expect(cookie).toContain('Secure');
      expect(cookie).toContain('SameSite=Lax');
      expect(response.body).toMatchObject({
        accountId: customer.accountId,
        user: { email: customer.email, role: 'owner' },
        scopes: ['read', 'write', 'admin'],
      });
      // supertest's agent keeps Secure cookies on plain http only when told it is secure.
      const token = /^sw_session=([^;]+)/.exec(cookie)![1]!;
      const current = await request(app)
        .get('/v1/sessions/current')
        .set('Cookie', `sw_session=${token}`);
      expect(current.status).toBe(200);
      expect(current.body.csrfToken).toBe(response.body.csrfToken);
      void agent;
    });

    it('refuses a cookie-authenticated write without the CSRF token and accepts it with one', async () => {
      const { response } = await signIn(customer);
      const token = /^sw_session=([^;]+)/.exec(String(response.headers['set-cookie']))![1]!;
      const cookie = `sw_session=${token}`;
      const body = { name: 'from the browser', scopes: ['read'] };

      const forged = await request(app).post('/v1/api-keys').set('Cookie', cookie).send(body);
      expect(forged.status).toBe(403);
      expect(forged.body.type).toBe('https://shelfwatch.dev/problems/csrf-token-missing');
      const wrong = await request(app)
        .post('/v1/api-keys')
        .set('Cookie', cookie)
        .set('X-CSRF-Token', 'x'.repeat(43))
        .send(body);
      expect(wrong.status).toBe(403);
      const allowed = await request(app)
        .post('/v1/api-keys')
        .set('Cookie', cookie)
        .set('X-CSRF-Token', response.body.csrfToken)
        .send(body);
      expect(allowed.status).toBe(201);
    });

    it('signs out: the session is revoked and the cookie cleared', async () => {
      const { response } = await signIn(customer);
      const cookie = `sw_session=${/^sw_session=([^;]+)/.exec(String(response.headers['set-cookie']))![1]}`;
      const out = await request(app)
        .delete('/v1/sessions/current')
        .set('Cookie', cookie)
        .set('X-CSRF-Token', response.body.csrfToken);
      expect(out.status).toBe(204);
      expect(String(out.headers['set-cookie'])).toMatch(/sw_session=;.*Expires=Thu, 01 Jan 1970/);
      const after = await request(app).get('/v1/alerts').set('Cookie', cookie);
      expect(after.status).toBe(401);
      expect(after.body.detail).toContain('signed out');
    });

    it('refuses an expired session', async () => {
      const { response } = await signIn(customer);
      const cookie = `sw_session=${/^sw_session=([^;]+)/.exec(String(response.headers['set-cookie']))![1]}`;
      await prisma.session.updateMany({
        where: { user: { accountId: customer.accountId }, revokedAt: null },
        data: { expiresAt: new Date(Date.now() - 1000) },
      });
      const after = await request(app).get('/v1/alerts').set('Cookie', cookie);
      expect(after.status).toBe(401);
      expect(after.body.detail).toContain('expired');
    });

    it('answers a wrong password or unknown email with the same 401', async () => {
      const wrong = await request(app)
        .post('/v1/sessions')
        .set('X-Forwarded-For', '203.0.113.1')
        .send({ email: customer.email, password: 'not the password' });
      const unknown = await request(app)
        .post('/v1/sessions')
        .send({ email: 'nobody@example.com', password: 'whatever' });
      expect(wrong.status).toBe(401);
      expect(unknown.status).toBe(401);
      expect(unknown.body.detail).toBe(wrong.body.detail);
    });

    it('throttles sign-in per email after repeated failures, even with the right password', async () => {
      const victim = await createTestAccount(prisma);
      for (let i = 0; i < 3; i++) {
        const failed = await request(app)
          .post('/v1/sessions')
          .send({ email: victim.email, password: `guess-${i}` });
        expect(failed.status).toBe(401);
      }
      const throttled = await request(app)
        .post('/v1/sessions')
        .send({ email: victim.email, password: victim.password });
      expect(throttled.status).toBe(429);
      expect(throttled.headers['content-type']).toMatch(PROBLEM_JSON);
      expect(Number(throttled.headers['retry-after'])).toBeGreaterThan(0);
    });

    it('throttles sign-in per client address across emails', async () => {
      await pool.query("DELETE FROM rate_limits WHERE key LIKE 'login_addr%'");
      for (let i = 0; i < 8; i++)
        await request(app)
          .post('/v1/sessions')
          .send({ email: `spray-${i}@example.com`, password: 'guess' });
      const fresh = await createTestAccount(prisma);
      const throttled = await request(app)
        .post('/v1/sessions')
        .send({ email: fresh.email, password: fresh.password });
      expect(throttled.status).toBe(429);
      await pool.query("DELETE FROM rate_limits WHERE key LIKE 'login_addr%'");
    });

    it.each([
      [
        'an unknown field',
        { email: 'a@example.com', password: 'x', remember: true },
        'body.remember',
      ],
      ['a non-email', { email: 'not-an-email', password: 'x' }, 'body.email'],
      ['a numeric password', { email: 'a@example.com', password: 42 }, 'body.password'],
    ])('answers 400 naming the field for %s', async (_label, body, path) => {
      const response = await request(app).post('/v1/sessions').send(body);
      expect(response.status).toBe(400);
      expect(response.body.errors.map((error: { path: string }) => error.path)).toContain(path);
    });
  });
});
