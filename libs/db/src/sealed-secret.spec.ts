import { generateSealingKey, openSecret, parseSealingKey, sealSecret } from './sealed-secret';

describe('sealed secrets', () => {
  const key = parseSealingKey(generateSealingKey());

  it('opens what it sealed, and seals the same secret differently each time', () => {
    const first = sealSecret(key, 'whsec_c2VjcmV0');
    const second = sealSecret(key, 'whsec_c2VjcmV0');

    expect(first).not.toBe(second);
    expect(first).not.toContain('c2VjcmV0');
    expect(openSecret(key, first)).toBe('whsec_c2VjcmV0');
    expect(openSecret(key, second)).toBe('whsec_c2VjcmV0');
  });

  it('refuses to open under another key or after a change', () => {
    const sealed = sealSecret(key, 'whsec_c2VjcmV0');
    const otherKey = parseSealingKey(generateSealingKey());
    const parts = sealed.split('.');
    // The first character carries the top six bits of the first byte, so any other one alters
    // it; always writing 'A' left one ciphertext in 64 unchanged, and the test failed at random.
    const first = parts[3]![0] === 'A' ? 'B' : 'A';
    const altered = [...parts.slice(0, 3), `${first}${parts[3]!.slice(1)}`].join('.');
    expect(altered).not.toBe(sealed);

    expect(() => openSecret(otherKey, sealed)).toThrow(/does not open/);
    expect(() => openSecret(key, altered)).toThrow(/does not open/);
    expect(() => openSecret(key, 'plain text')).toThrow(/unknown format/);
  });

  it('names what is wrong with a bad key without echoing it', () => {
    expect(() => parseSealingKey('c2hvcnQ=')).toThrow(/32 bytes, got 5/);
    expect(() => parseSealingKey('not base64 at all!')).toThrow(/base64/);
    try {
      parseSealingKey('not base64 at all!');
    } catch (error) {
      expect((error as Error).message).not.toContain('not base64 at all');
    }
  });
});
