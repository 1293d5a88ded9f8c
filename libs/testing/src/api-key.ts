import { randomBytes } from 'node:crypto';

const BASE32 = 'abcdefghijklmnopqrstuvwxyz234567';

/**
 * A well-formed shelfwatch API key (`sw_<12 base32>_<43 base64url>`), new each call: what a test
 * hands the api as `BOOTSTRAP_ADMIN_API_KEY` and then sends as its bearer token.
 */
export function randomApiKey(): string {
  const prefix = Array.from(randomBytes(12), (byte) => BASE32[byte & 31]).join('');
  return `sw_${prefix}_${randomBytes(32).toString('base64url')}`;
}
