import { AddressGuard, type Resolver } from '@shelfwatch/address-guard';
import { newId } from '@shelfwatch/contracts';
import { generateSealingKey, parseSealingKey, type PrismaClient } from '@shelfwatch/db';
import { createLogger } from '@shelfwatch/logging';
import type { Express } from 'express';
import { Pool } from 'pg';
import request from 'supertest';
import { createAccount, type CreatedAccount } from '../src/access/accounts';
import { issueApiKey } from '../src/access/api-keys-router';
import type { ApiKeyScope } from '@shelfwatch/contracts';

export const testLogger = createLogger({ service: 'api-test', level: 'error' });

/** A pg pool for the limit counters on a test database; end it in afterAll. */
export function limitsPoolFor(databaseUrl: string): Pool {
  return new Pool({ connectionString: databaseUrl, max: 2 });
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
