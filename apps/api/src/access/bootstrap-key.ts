import type { PrismaClient } from '@shelfwatch/db';
import { hashSecret, parseApiKey } from './credentials';

/**
 * The cloud's first admin key: Secret Manager hands the api a whole `sw_…` key (generated
 * outside, so no one has to read it from a log); on start, an operator account holding it is
 * created once. Returns false when the key already exists.
 */
export async function ensureBootstrapKey(
  prisma: PrismaClient,
  key: string,
  newId: () => string,
): Promise<boolean> {
  const parsed = parseApiKey(key);
  if (!parsed)
    throw new Error('BOOTSTRAP_ADMIN_API_KEY is not a shelfwatch API key (sw_<prefix>_<secret>)');
  const existing = await prisma.apiKey.findUnique({ where: { prefix: parsed.prefix } });
  if (existing) return false;
  const accountId = newId();
  await prisma.$transaction([
    prisma.account.create({ data: { id: accountId, name: 'operators', operator: true } }),
    prisma.apiKey.create({
      data: {
        id: newId(),
        accountId,
        name: 'bootstrap admin key',
        prefix: parsed.prefix,
        secretHash: hashSecret(parsed.secret),
        scopes: ['read', 'write', 'admin'],
      },
    }),
  ]);
  return true;
}
