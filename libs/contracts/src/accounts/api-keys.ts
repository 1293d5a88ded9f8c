import { z } from 'zod';
import { IdSchema } from '../ids';
import { TimestampSchema } from '../time';
import { unknownFieldsError } from '../unknown-fields';

export const API_KEY_SCOPES = ['read', 'write', 'admin'] as const;

export const ApiKeyScopeSchema = z.enum(API_KEY_SCOPES).meta({
  id: 'ApiKeyScope',
  description:
    'read: every GET; write: create, change and delete watches and trigger scrapes; admin: manage API keys and, for an operator account, the shared targets.',
});

/** `sw_<prefix>_<secret>`: a 12-character lower-case prefix and a 43-character base64url secret. */
export const API_KEY_PATTERN = /^sw_([a-z2-7]{12})_([A-Za-z0-9_-]{43})$/;

export const CreateApiKeyRequestSchema = z
  .strictObject(
    {
      name: z
        .string({ error: 'must be a string' })
        .trim()
        .min(1, { error: 'must not be empty' })
        .max(100, { error: 'must be at most 100 characters' })
        .meta({ description: 'What the key is for, e.g. "nightly export".' }),
      scopes: z
        .array(ApiKeyScopeSchema, { error: 'must be an array of scopes' })
        .min(1, { error: 'must name at least one scope' })
        .refine((scopes) => new Set(scopes).size === scopes.length, {
          error: 'must not repeat a scope',
        }),
      expiresAt: TimestampSchema.optional()
        .refine((at) => at === undefined || Date.parse(at) > Date.now(), {
          error: 'must be in the future',
        })
        .meta({ description: 'When the key stops working; never when absent.' }),
    },
    { error: unknownFieldsError() },
  )
  .meta({
    id: 'CreateApiKeyRequest',
    description: 'A new API key. A key can grant only scopes its creator holds.',
    example: { name: 'ci export', scopes: ['read'] },
  });

export const ApiKeySchema = z
  .object({
    id: IdSchema,
    name: z.string(),
    prefix: z.string().meta({
      description: 'The visible part of the key (`sw_<prefix>_…`), to tell keys apart.',
    }),
    scopes: z.array(ApiKeyScopeSchema),
    createdAt: TimestampSchema,
    lastUsedAt: TimestampSchema.nullable(),
    expiresAt: TimestampSchema.nullable(),
    revokedAt: TimestampSchema.nullable(),
  })
  .meta({
    id: 'ApiKey',
    description: 'An API key of the account; the secret is never shown again.',
  });

export const CreatedApiKeySchema = ApiKeySchema.extend({
  key: z.string().meta({
    description: 'The whole key, `sw_<prefix>_<secret>`. Shown once: store it now.',
    example: 'sw_abcdefghijkm_' + 'x'.repeat(43),
  }),
}).meta({ id: 'CreatedApiKey', description: 'A new API key with its secret, shown only once.' });

export const ApiKeyListSchema = z
  .object({ items: z.array(ApiKeySchema) })
  .meta({ id: 'ApiKeyList', description: "The account's API keys, newest first." });

export type ApiKeyScope = z.infer<typeof ApiKeyScopeSchema>;
export type CreateApiKeyRequest = z.infer<typeof CreateApiKeyRequestSchema>;
export type ApiKey = z.infer<typeof ApiKeySchema>;
export type CreatedApiKey = z.infer<typeof CreatedApiKeySchema>;
export type ApiKeyList = z.infer<typeof ApiKeyListSchema>;
