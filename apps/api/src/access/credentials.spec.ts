import { createHash } from 'node:crypto';
import { API_KEY_PATTERN } from '@shelfwatch/contracts';
import { csrfTokenFor, generateApiKey, hashSecret, parseApiKey, sameHash } from './credentials';

describe('API key credentials', () => {
  it('generates sw_<prefix>_<secret> keys that parse back and store only the hash', () => {
    const first = generateApiKey();
    const second = generateApiKey();
    expect(first.key).toMatch(API_KEY_PATTERN);
    expect(first.key).not.toBe(second.key);
    const parsed = parseApiKey(first.key);
    expect(parsed?.prefix).toBe(first.prefix);
    expect(sameHash(hashSecret(parsed!.secret), first.secretHash)).toBe(true);
    expect(first.secretHash).not.toContain(parsed!.secret);
  });

  it.each([
    ['no prefix marker', 'abc'],
    ['a short secret', 'sw_abcdefghijkm_short'],
    ['an upper-case prefix', `sw_ABCDEFGHIJKM_${'a'.repeat(43)}`],
    ['a trailing character', `sw_abcdefghijkm_${'a'.repeat(44)}`],
  ])('rejects %s', (_label, token) => {
    expect(parseApiKey(token)).toBeNull();
  });

  it('hashes a secret as the stored keys were hashed: SHA-256 in hex', () => {
    expect(hashSecret('abc')).toBe(
      'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad',
    );
    // SHA-256 of "csrf\0a" in base64url: sessions signed in before keep their CSRF token.
    expect(csrfTokenFor('a')).toBe(createHash('sha256').update('csrf\u0000a').digest('base64url'));
  });

  it('derives a different CSRF token for every session token', () => {
    expect(csrfTokenFor('a')).not.toBe(csrfTokenFor('b'));
    expect(csrfTokenFor('a')).toBe(csrfTokenFor('a'));
  });
});
