import { hashPassword, verifyAgainstNothing, verifyPassword } from './passwords';

describe('passwords', () => {
  it('hashes with argon2id and verifies only the right password', async () => {
    const stored = await hashPassword('correct horse battery staple');
    expect(stored).toMatch(/^\$argon2id\$/);
    expect(stored).not.toContain('correct horse');
    await expect(verifyPassword(stored, 'correct horse battery staple')).resolves.toBe(true);
    await expect(verifyPassword(stored, 'Correct horse battery staple')).resolves.toBe(false);
  });

  it('treats a corrupt stored hash and a missing user as a wrong password', async () => {
    await expect(verifyPassword('not a hash', 'anything')).resolves.toBe(false);
    await expect(verifyAgainstNothing('anything')).resolves.toBe(false);
  });
});
