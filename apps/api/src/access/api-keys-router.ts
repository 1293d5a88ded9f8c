import {
  CreateApiKeyRequestSchema,
  IdSchema,
  type ApiKey as ApiKeyDto,
  type ApiKeyList,
  type CreatedApiKey,
} from '@shelfwatch/contracts';
import type { ApiKey as ApiKeyRow, PrismaClient } from '@shelfwatch/db';
import { notFound, parseOrThrow } from '@shelfwatch/runtime';
import { Router } from 'express';
import { insufficientScope } from './access-problems';
import { generateApiKey } from './credentials';
import { principalOf } from './principal';

export function toApiKeyDto(row: ApiKeyRow): ApiKeyDto {
  return {
    id: row.id,
    name: row.name,
    prefix: row.prefix,
    scopes: row.scopes,
    createdAt: row.createdAt.toISOString(),
    lastUsedAt: row.lastUsedAt?.toISOString() ?? null,
    expiresAt: row.expiresAt?.toISOString() ?? null,
    revokedAt: row.revokedAt?.toISOString() ?? null,
  };
}

/** Issues a key for an account and returns it with its secret (the only time it exists in clear). */
export async function issueApiKey(
  prisma: PrismaClient,
  input: {
    id: string;
    accountId: string;
    name: string;
    scopes: ApiKeyRow['scopes'];
    expiresAt?: Date;
  },
): Promise<CreatedApiKey> {
  const generated = generateApiKey();
  const row = await prisma.apiKey.create({
    data: {
      id: input.id,
      accountId: input.accountId,
      name: input.name,
      prefix: generated.prefix,
      secretHash: generated.secretHash,
      scopes: input.scopes,
      expiresAt: input.expiresAt ?? null,
    },
  });
  return { ...toApiKeyDto(row), key: generated.key };
}

/** `/v1/api-keys`: mounted behind authentication and `requireScope('admin')`. */
export function apiKeysRouter(deps: { prisma: PrismaClient; newId: () => string }): Router {
  const router = Router();

  router.post('/v1/api-keys', async (req, res) => {
    const principal = principalOf(res);
    const body = parseOrThrow(CreateApiKeyRequestSchema, req.body ?? {}, 'body');
    for (const scope of body.scopes)
      if (!principal.scopes.has(scope))
        throw insufficientScope(scope, `A key cannot grant "${scope}", which its creator lacks.`);
    const created = await issueApiKey(deps.prisma, {
      id: deps.newId(),
      accountId: principal.accountId,
      name: body.name,
      scopes: body.scopes,
      ...(body.expiresAt ? { expiresAt: new Date(body.expiresAt) } : {}),
    });
    res.status(201).location(`/v1/api-keys/${created.id}`).json(created);
  });

  router.get('/v1/api-keys', async (_req, res) => {
    const rows = await deps.prisma.apiKey.findMany({
      where: { accountId: principalOf(res).accountId },
      orderBy: { id: 'desc' },
    });
    const body: ApiKeyList = { items: rows.map(toApiKeyDto) };
    res.json(body);
  });

  router.delete('/v1/api-keys/:id', async (req, res) => {
    const id = parseOrThrow(IdSchema, req.params.id, 'path');
    const accountId = principalOf(res).accountId;
    const key = await deps.prisma.apiKey.findFirst({ where: { id, accountId } });
    if (!key) throw notFound(`Your account has no API key with id ${id}`);
    const revoked = key.revokedAt
      ? key
      : await deps.prisma.apiKey.update({ where: { id }, data: { revokedAt: new Date() } });
    res.json(toApiKeyDto(revoked));
  });

  return router;
}
