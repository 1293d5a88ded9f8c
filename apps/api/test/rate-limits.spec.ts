import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { createPrismaClient, type PrismaClient } from '@shelfwatch/db';
import { createTestDatabase, findFreeLoopbackPort, type TestDatabase } from '@shelfwatch/testing';
import { createTestAccount, keyWithScopes, type TestAccount } from './api-harness';

const MAIN = path.resolve(__dirname, '../src/main.ts');
const PER_KEY = 5;
const PER_ACCOUNT = 8;

interface ApiProcess {
  child: ChildProcess;
  url: string;
  output: string[];
}

/** A real api process (`main.ts`), as Cloud Run runs one instance of it. */
async function startApi(databaseUrl: string): Promise<ApiProcess> {
  const port = await findFreeLoopbackPort();
  const output: string[] = [];
  const child = spawn(process.execPath, ['--import', 'tsx', MAIN], {
    env: {
      PATH: process.env['PATH'],
      DATABASE_URL: databaseUrl,
      PORT: String(port),
      SCHEDULER_MODE: 'off',
      MESSAGING_TRANSPORT: 'postgres',
      METADATA_SERVER_DETECTION: 'none',
      GOOGLE_CLOUD_PROJECT: 'shelfwatch-ci',
      // Every line, so the secrets test below sees everything a request can log.
      LOG_LEVEL: 'debug',
      LOG_FORMAT: 'json',
      RATE_LIMIT_PER_KEY: String(PER_KEY),
      RATE_LIMIT_PER_ACCOUNT: String(PER_ACCOUNT),
      RATE_LIMIT_WINDOW_SECONDS: '3600',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.on('data', (chunk) => output.push(String(chunk)));
  child.stderr?.on('data', (chunk) => output.push(String(chunk)));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 90_000;
  for (;;) {
    try {
      if ((await fetch(`${url}/ready`)).status === 200) return { child, url, output };
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline || child.exitCode !== null)
      throw new Error(`api did not start:\n${output.join('')}`);
    await new Promise((wake) => setTimeout(wake, 250));
  }
}

async function stopApi(api: ApiProcess | undefined): Promise<void> {
  if (!api || api.child.exitCode !== null) return;
  const exited = new Promise((resolve) => api.child.once('exit', resolve));
  api.child.kill('SIGTERM');
  await exited;
}

describe('rate limits across two api processes sharing one PostgreSQL', () => {
  let database: TestDatabase<PrismaClient>;
  let first: ApiProcess | undefined;
  let second: ApiProcess | undefined;
  let account: TestAccount;

  beforeAll(async () => {
    database = await createTestDatabase(createPrismaClient);
    account = await createTestAccount(database.prisma);
    [first, second] = await Promise.all([startApi(database.url), startApi(database.url)]);
  }, 180_000);

  afterAll(async () => {
    await Promise.all([stopApi(first), stopApi(second)]);
    await database.drop();
  });

  const get = (api: ApiProcess, key: string) =>
    fetch(`${api.url}/v1/watches`, { headers: { authorization: `Bearer ${key}` } });

  it('counts one key on both instances and answers 429 with Retry-After and RateLimit headers', async () => {
    const key = await keyWithScopes(database.prisma, account.accountId, ['read']);
    const statuses: number[] = [];
    let last: Response | undefined;
    for (let i = 0; i < PER_KEY; i++) {
      last = await get(i % 2 === 0 ? first! : second!, key);
      statuses.push(last.status);
    }
    expect(statuses).toEqual(Array(PER_KEY).fill(200));
    expect(last!.headers.get('ratelimit-policy')).toBe(
      `"key";q=${PER_KEY};w=3600, "account";q=${PER_ACCOUNT};w=3600`,
    );
    expect(last!.headers.get('ratelimit')).toMatch(/^"key";r=0;t=\d+, "account";r=\d+;t=\d+$/);

    const limited = await get(second!, key);
    expect(limited.status).toBe(429);
    expect(limited.headers.get('content-type')).toMatch(/application\/problem\+json/);
    const retryAfter = Number(limited.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(3600);
    expect(limited.headers.get('ratelimit')).toMatch(/^"key";r=0;t=\d+/);
    expect(((await limited.json()) as { detail: string }).detail).toContain('key');
  });

  it('never writes a key, password, session cookie or CSRF token to a log line', async () => {
    const other = await createTestAccount(database.prisma);
    const wrongPassword = 'not-the-password-but-secret';
    await fetch(`${first!.url}/v1/sessions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: other.email, password: wrongPassword }),
    });
    const signIn = await fetch(`${first!.url}/v1/sessions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: other.email, password: other.password }),
    });
    expect(signIn.status).toBe(201);
    const cookie = (signIn.headers.get('set-cookie') ?? '').split(';')[0]!;
    const { csrfToken } = (await signIn.json()) as { csrfToken: string };
    await fetch(`${first!.url}/v1/watches?key=${other.apiKey.key}`, {
      headers: { authorization: `Bearer ${other.apiKey.key}`, cookie },
    });
    await fetch(`${first!.url}/v1/api-keys`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie, 'x-csrf-token': csrfToken },
      body: JSON.stringify({ name: 'logged?', scopes: ['read'] }),
    });
    await fetch(`${first!.url}/v1/watches`, {
      headers: { authorization: `Bearer ${other.apiKey.key.slice(0, -1)}x` },
    });
    await new Promise((wake) => setTimeout(wake, 500));
    const logs = first!.output.join('');
    expect(logs).toContain('/v1/sessions');
    const secret = other.apiKey.key.slice(`sw_${other.apiKey.prefix}_`.length);
    for (const value of [secret, other.password, wrongPassword, cookie.split('=')[1]!, csrfToken])
      expect({ leaked: logs.includes(value) }).toEqual({ leaked: false });
  });

  it('counts every key of an account against the account quota', async () => {
    // The first test spent PER_KEY + 1 of the account's PER_ACCOUNT requests.
    const fresh = await keyWithScopes(database.prisma, account.accountId, ['read']);
    const remaining = PER_ACCOUNT - (PER_KEY + 1);
    for (let i = 0; i < remaining; i++) expect((await get(first!, fresh)).status).toBe(200);
    const limited = await get(first!, fresh);
    expect(limited.status).toBe(429);
    expect(((await limited.json()) as { detail: string }).detail).toContain('account');

    const otherAccount = await createTestAccount(database.prisma);
    expect((await get(second!, otherAccount.apiKey.key)).status).toBe(200);
  });
});
