import { PassThrough } from 'node:stream';
import { newId } from '@shelfwatch/contracts';
import type { Express } from 'express';
import request from 'supertest';
import { ensureBootstrapKey } from '../src/access/bootstrap-key';
import { generateApiKey } from '../src/access/credentials';
import { runAccountsCli } from '../src/cli/accounts-cli';
import { startApiHarness, withKey, type ApiHarness } from './api-harness';

function capture() {
  const stream = new PassThrough();
  let text = '';
  stream.on('data', (chunk: Buffer) => (text += chunk.toString()));
  return { stream, text: () => text };
}

describe('bootstrapping accounts against a real PostgreSQL', () => {
  let harness: ApiHarness;
  let database: ApiHarness['database'];
  let app: Express;

  beforeAll(async () => {
    harness = await startApiHarness();
    ({ database, app } = harness);
  });

  afterAll(() => harness.close());

  async function cli(args: string[], env: NodeJS.ProcessEnv = {}) {
    const stdout = capture();
    const stderr = capture();
    const code = await runAccountsCli(args, {
      stdout: stdout.stream,
      stderr: stderr.stream,
      env: { DATABASE_URL: database.url, ...env },
    });
    return { code, stdout: stdout.text(), stderr: stderr.text() };
  }

  it('accounts create makes an owner who can sign in and a key that works', async () => {
    const result = await cli(['create', '--email', 'Owner@Example.com', '--json']);
    expect(result.code).toBe(0);
    const created = JSON.parse(result.stdout) as {
      apiKey: string;
      email: string;
      password: string;
    };
    expect(created.email).toBe('owner@example.com');

    const keyed = await withKey(app, created.apiKey).get('/v1/api-keys');
    expect(keyed.status).toBe(200);
    const signIn = await request(app)
      .post('/v1/sessions')
      .send({ email: created.email, password: created.password });
    expect(signIn.status).toBe(201);
  });

  it('takes the password from SHELFWATCH_ACCOUNT_PASSWORD and never prints it', async () => {
    const password = 'a-password-from-the-env';
    const result = await cli(['create', '--email', 'env@example.com'], {
      SHELFWATCH_ACCOUNT_PASSWORD: password,
    });
    expect(result.code).toBe(0);
    expect(result.stdout).not.toContain(password);
    expect(result.stdout).toMatch(/api key\s+sw_[a-z2-7]{12}_/);
    const signIn = await request(app)
      .post('/v1/sessions')
      .send({ email: 'env@example.com', password });
    expect(signIn.status).toBe(201);
  });

  it.each([
    [['create'], '--email is required'],
    [['create', '--email', 'nope'], 'must be an email address'],
    [['remove', '--email', 'a@example.com'], 'expected "accounts create"'],
    [['create', '--email', 'a@example.com', '--colour'], "Unknown option '--colour'"],
  ])('refuses %j with a usage message', async (args, message) => {
    const result = await cli(args);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(message);
  });

  it('refuses a second account for the same email', async () => {
    await cli(['create', '--email', 'twice@example.com']);
    const again = await cli(['create', '--email', 'twice@example.com']);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('already exists');
  });

  it('turns a Secret Manager key into an operator account once', async () => {
    const { key } = generateApiKey();
    expect(await ensureBootstrapKey(database.prisma, key, newId)).toBe(true);
    expect(await ensureBootstrapKey(database.prisma, key, newId)).toBe(false);
    expect((await withKey(app, key).get('/v1/targets')).status).toBe(200);
  });
});
