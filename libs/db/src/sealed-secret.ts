import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { z } from 'zod';

/**
 * Secrets a service must use again later (webhook signing secrets) are stored sealed: AES-256-GCM
 * under a key from configuration (Secret Manager in the cloud, a generated file under `.data/`
 * locally), so a database dump alone reveals none of them. Sealed text is
 * `v1.<iv>.<tag>.<ciphertext>`, each part base64url; the version lets the key be rotated later.
 */
const VERSION = 'v1';
const KEY_BYTES = 32;
const IV_BYTES = 12;

export class SealingKeyError extends Error {
  override readonly name = 'SealingKeyError';
}

/** A 32-byte key from its base64 (or base64url) text; throws naming what is wrong, never the value. */
export function parseSealingKey(text: string): Buffer {
  const trimmed = text.trim();
  if (!/^[A-Za-z0-9+/_-]+={0,2}$/.test(trimmed))
    throw new SealingKeyError('must be base64 text of 32 random bytes');
  const key = Buffer.from(trimmed, 'base64');
  if (key.length !== KEY_BYTES)
    throw new SealingKeyError(`must decode to ${KEY_BYTES} bytes, got ${key.length}`);
  return key;
}

/** A new random sealing key as base64 text (what WEBHOOK_SECRET_KEY holds). */
export function generateSealingKey(): string {
  return randomBytes(KEY_BYTES).toString('base64');
}

export function sealSecret(key: Buffer, secret: string): string {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  const ciphertext = Buffer.concat([cipher.update(secret, 'utf8'), cipher.final()]);
  return [VERSION, iv, cipher.getAuthTag(), ciphertext]
    .map((part) => (typeof part === 'string' ? part : part.toString('base64url')))
    .join('.');
}

/** Opens what `sealSecret` sealed; throws when the text was sealed under another key or altered. */
export function openSecret(key: Buffer, sealed: string): string {
  const [version, iv, tag, ciphertext] = sealed.split('.');
  if (version !== VERSION || !iv || !tag || ciphertext === undefined)
    throw new SealingKeyError('sealed secret has an unknown format');
  const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'));
  decipher.setAuthTag(Buffer.from(tag, 'base64url'));
  try {
    return Buffer.concat([
      decipher.update(Buffer.from(ciphertext, 'base64url')),
      decipher.final(),
    ]).toString('utf8');
  } catch {
    throw new SealingKeyError(
      'sealed secret does not open with this key (another key, or altered)',
    );
  }
}

/**
 * The configuration setting holding the sealing key (WEBHOOK_SECRET_KEY in the api and the
 * notifier): base64 of 32 random bytes, parsed to the key. Its messages never echo the value.
 */
export const sealingKeySetting = z
  .string({ error: 'is required (base64 of 32 random bytes; Secret Manager in the cloud)' })
  .transform((value, ctx) => {
    try {
      return parseSealingKey(value);
    } catch (error) {
      ctx.addIssue({ code: 'custom', message: (error as Error).message });
      return z.NEVER;
    }
  });
