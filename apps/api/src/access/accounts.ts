import type { CreatedApiKey } from '@shelfwatch/contracts';
import type { PrismaClient } from '@shelfwatch/db';
import { issueApiKey } from './api-keys-router';
import { hashPassword } from './passwords';

export interface NewAccount {
  name: string;
  email: string;
  password: string;
  operator?: boolean;
  keyName?: string;
}

export interface CreatedAccount {
  accountId: string;
  userId: string;
  email: string;
  apiKey: CreatedApiKey;
}

/** An account with its owner and a first admin key: what the CLI and the demo bootstrap make. */
export async function createAccount(
  prisma: PrismaClient,
  input: NewAccount,
  newId: () => string,
): Promise<CreatedAccount> {
  const email = input.email.toLowerCase();
  const passwordHash = await hashPassword(input.password);
  const accountId = newId();
  const userId = newId();
  await prisma.$transaction([
    prisma.account.create({
      data: { id: accountId, name: input.name, operator: input.operator ?? false },
    }),
    prisma.user.create({
      data: { id: userId, accountId, email, passwordHash, role: 'owner' },
    }),
  ]);
  const apiKey = await issueApiKey(prisma, {
    id: newId(),
    accountId,
    name: input.keyName ?? 'first key',
    scopes: ['read', 'write', 'admin'],
  });
  return { accountId, userId, email, apiKey };
}
