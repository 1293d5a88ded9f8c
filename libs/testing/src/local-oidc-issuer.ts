// Signs Google-style OIDC tokens with a local key pair, so push and scheduler
// authentication are tested without reaching Google.
import { generateKeyPairSync, sign, type KeyObject } from 'node:crypto';

/** A local RSA key pair that signs Google-style OIDC tokens, and the certificates to verify them. */
export interface LocalIssuer {
  keyId: string;
  certificates: Record<string, string>;
  token(claims: Record<string, unknown>, options?: { expiresInSeconds?: number }): string;
}

function base64url(value: Buffer | string): string {
  return Buffer.from(value).toString('base64url');
}

export function localIssuer(keyId = 'local-test-key'): LocalIssuer {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return {
    keyId,
    certificates: { [keyId]: publicKey.export({ type: 'spki', format: 'pem' }).toString() },
    token: (claims, options = {}) =>
      signToken(privateKey, keyId, claims, options.expiresInSeconds ?? 300),
  };
}

function signToken(
  privateKey: KeyObject,
  keyId: string,
  claims: Record<string, unknown>,
  expiresInSeconds: number,
): string {
  const now = Math.floor(Date.now() / 1000);
  const header = base64url(JSON.stringify({ alg: 'RS256', typ: 'JWT', kid: keyId }));
  const payload = base64url(
    JSON.stringify({
      iss: 'https://accounts.google.com',
      iat: now - 10,
      exp: now + expiresInSeconds,
      ...claims,
    }),
  );
  const signature = sign('RSA-SHA256', Buffer.from(`${header}.${payload}`), privateKey);
  return `${header}.${payload}.${base64url(signature)}`;
}
