import { hash, randomBytes, timingSafeEqual } from 'node:crypto';
import { API_KEY_PATTERN } from '@shelfwatch/contracts';

const BASE32 = 'abcdefghijklmnopqrstuvwxyz234567';

function base32(bytes: Buffer, length: number): string {
  let out = '';
  for (let i = 0; i < length; i++) out += BASE32[bytes[i]! & 31];
  return out;
}

/**
 * SHA-256 hex of a high-entropy secret (API key secrets, session tokens): no slow hash needed.
 * The one-shot `hash()`: a `createHash()` object per request cost more than the digest.
 */
export function hashSecret(secret: string): string {
  return hash('sha256', secret, 'hex');
}

export function sameHash(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

export interface NewApiKey {
  /** `sw_<prefix>_<secret>`, shown once. */
  key: string;
  prefix: string;
  secretHash: string;
}

/** A new key: a 12-character visible prefix (60 bits) and a 256-bit secret. */
export function generateApiKey(): NewApiKey {
  const prefix = base32(randomBytes(12), 12);
  const secret = randomBytes(32).toString('base64url');
  return { key: `sw_${prefix}_${secret}`, prefix, secretHash: hashSecret(secret) };
}

export function parseApiKey(token: string): { prefix: string; secret: string } | null {
  const match = API_KEY_PATTERN.exec(token);
  return match ? { prefix: match[1]!, secret: match[2]! } : null;
}

/** A session cookie's value: 256 random bits. */
export function generateSessionToken(): string {
  return randomBytes(32).toString('base64url');
}

/**
 * The CSRF token of a session, derived from its cookie value: a page on another site can make
 * the browser send the cookie but cannot read it, so it cannot know this token.
 */
export function csrfTokenFor(sessionToken: string): string {
  return hash('sha256', `csrf\u0000${sessionToken}`, 'base64url');
}
