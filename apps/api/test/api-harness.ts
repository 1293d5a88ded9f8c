import { AddressGuard, type Resolver } from '@shelfwatch/address-guard';
import { newId } from '@shelfwatch/contracts';
import {
  createPrismaClient,
  generateSealingKey,
  parseSealingKey,
  type PrismaClient,
} from '@shelfwatch/db';
import { createLogger } from '@shelfwatch/logging';
import { createTestDatabase, type TestDatabase } from '@shelfwatch/testing';
import type { Express } from 'express';
import { Pool } from 'pg';
import request from 'supertest';
import { createAccount, type CreatedAccount } from '../src/access/accounts';
import { issueApiKey } from '../src/access/api-keys-router';
import { createApp, type ApiDeps } from '../src/app';
import type { ApiKeyScope } from '@shelfwatch/contracts';

export const testLogger = createLogger({ service: 'api-test', level: 'error' });

/** What a test's extra dependencies are made from. */
export interface HarnessBase {
  database: TestDatabase<PrismaClient>;
  prisma: PrismaClient;
  /** The driver pool the app gets (limit counters, hot reads). */
  pool: Pool;
}

export interface ApiHarness extends HarnessBase {
  /** The api over a fresh test database, with the test's dependencies. */
  app: Express;
  /** Another api over the same database and pool, with these dependencies changed. */
  appWith(overrides: Partial<ApiDeps>): Express;
  /** Ends the pool and drops the database; stop what the test started (messaging, ...) first. */
  close(): Promise<void>;
}

/**
 * The api's integration test set-up in one place: a fresh database cloned from the migrated
 * template, a pg pool on it, and `createApp` with the test address guard and a quiet logger,
 * plus whatever `deps` adds or replaces (made from the database when they need it).
 */
export async function startApiHarness(
  deps: (base: HarnessBase) => Partial<ApiDeps> | Promise<Partial<ApiDeps>> = () => ({}),
): Promise<ApiHarness> {
  const database = await createTestDatabase(createPrismaClient);
  const pool = new Pool({ connectionString: database.url, max: 4 });
  // The database's drop terminates connections an ending pool is still closing; without a
  // listener that idle client's error would be unhandled (as main.ts guards its own pool).
  pool.on('error', () => undefined);
  const base: HarnessBase = { database, prisma: database.prisma, pool };
  try {
    const chosen = await deps(base);
    const appWith = (overrides: Partial<ApiDeps>) =>
      createApp({
        addressGuard: testAddressGuard(),
        logger: testLogger,
        prisma: database.prisma,
        pool,
        ...chosen,
        ...overrides,
      });
    return {
      ...base,
      app: appWith({}),
      appWith,
      async close() {
        await pool.end();
        await database.drop();
      },
    };
  } catch (error) {
    await pool.end();
    await database.drop();
    throw error;
  }
}

/**
 * DNS for the api's tests, which never leave loopback: every name under example.com, .org or
 * .net is a public shop (an address of 93.184.215.0/24), a few names stand for what a guard
 * must refuse, anything else does not exist.
 */
export const testResolver: Resolver = async (hostname) => {
  const scripted: Record<string, string> = {
    'intranet.example.com': '10.0.0.5',
    'metadata.google.internal': '169.254.169.254',
    localhost: '127.0.0.1',
  };
  const address =
    scripted[hostname] ??
    (/(^|\.)example\.(com|org|net)$/.test(hostname) ? '93.184.215.14' : undefined);
  if (address === undefined)
    throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' });
  return [{ address, family: 4 }];
};

/** The scraper's address rules with the test DNS; `allowHosts` as SCRAPER_ALLOW_HOSTS. */
export function testAddressGuard(allowHosts: string[] = []): AddressGuard {
  return new AddressGuard({ resolver: testResolver, allowHosts });
}

/** A target of `url` that `accountId` watches: what an account reads comes through one. */
export async function watchedTarget(
  prisma: PrismaClient,
  accountId: string,
  url: string,
  kind: 'product' | 'listing' | 'sitemap' = 'product',
): Promise<string> {
  const id = newId();
  await prisma.target.create({
    data: {
      id,
      url,
      host: new URL(url).hostname,
      kind,
      checkIntervalSeconds: 3600,
      status: 'active',
    },
  });
  await prisma.watch.create({
    data: { id: newId(), accountId, targetId: id, checkIntervalSeconds: 3600, alertKinds: [] },
  });
  return id;
}

let accounts = 0;

export interface TestAccount extends CreatedAccount {
  password: string;
}

/** An account with an owner (email + password) and an admin key. */
export async function createTestAccount(
  prisma: PrismaClient,
  options: { operator?: boolean; name?: string } = {},
): Promise<TestAccount> {
  accounts++;
  const password = `password-${accounts}-long-enough`;
  const name = options.name ?? `account-${accounts}-${process.pid}`;
  const created = await createAccount(
    prisma,
    { name, email: `${name}@example.com`, password, operator: options.operator ?? false },
    newId,
  );
  return { ...created, password };
}

export async function keyWithScopes(
  prisma: PrismaClient,
  accountId: string,
  scopes: ApiKeyScope[],
): Promise<string> {
  const created = await issueApiKey(prisma, { id: newId(), accountId, name: 'test', scopes });
  return created.key;
}

/** A supertest agent that sends `Authorization: Bearer <key>` on every request. */
export function withKey(app: Express, key: string) {
  return request.agent(app).set('Authorization', `Bearer ${key}`);
}

/** What the webhook routes need besides the address guard: a fresh sealing key, https only unless `allowHttp`. */
export function testWebhookOptions(options: { allowHttp?: boolean } = {}) {
  return {
    sealingKey: parseSealingKey(generateSealingKey()),
    allowHttp: options.allowHttp ?? false,
  };
}

/** Two accounts on one harness, each with an API key and a client that sends it. */
export interface TwoAccounts {
  alice: TestAccount;
  bob: TestAccount;
  asAlice: ReturnType<typeof withKey>;
  asBob: ReturnType<typeof withKey>;
}

/** Alice and Bob, named after the suite (`alice-<suite>`), for tests of what each account sees. */
export async function createTwoAccounts(harness: ApiHarness, suite: string): Promise<TwoAccounts> {
  const alice = await createTestAccount(harness.prisma, { name: `alice-${suite}` });
  const bob = await createTestAccount(harness.prisma, { name: `bob-${suite}` });
  return {
    alice,
    bob,
    asAlice: withKey(harness.app, alice.apiKey.key),
    asBob: withKey(harness.app, bob.apiKey.key),
  };
}
