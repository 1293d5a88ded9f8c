import { newId } from '@shelfwatch/contracts';
import type { PrismaClient } from '@shelfwatch/db';
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
