/**
 * The native argon2 binding, loaded on the first password operation rather than at start
 * (ADR 0021): most requests carry an API key or a session, not a password.
 */
function argon2(): typeof import('@node-rs/argon2') {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require('@node-rs/argon2') as typeof import('@node-rs/argon2');
}

// @node-rs/argon2 hashes with argon2id by default (its `Algorithm` is a const enum, which our
// per-file compilers cannot import); passwords.spec.ts checks the PHC string says argon2id.
const OPTIONS = { memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

export function hashPassword(password: string): Promise<string> {
  return argon2().hash(password, OPTIONS);
}

export async function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
  try {
    return await argon2().verify(passwordHash, password);
  } catch {
    return false;
  }
}

let dummyHash: Promise<string> | undefined;

/** Spends the time of a real check when there is no user, so timing does not reveal emails. */
export async function verifyAgainstNothing(password: string): Promise<false> {
  dummyHash ??= hashPassword('no user has this password');
  await verifyPassword(await dummyHash, password);
  return false;
}
