import type { OAuth2Client } from 'google-auth-library';

/** Key id → PEM public key or certificate, the shape Google publishes its signing keys in. */
export type SigningCertificates = Record<string, string>;

export interface PushAuthOptions {
  /** The audience the push subscription puts in its tokens (usually the endpoint URL). */
  audience: string;
  /** The service account the push subscription signs as. */
  serviceAccountEmail: string;
  /**
   * Keys to verify signatures with instead of Google's published certificates: for tests with a
   * local key pair. Production leaves it unset and google-auth-library fetches and caches Google's.
   */
  certificates?: SigningCertificates | (() => Promise<SigningCertificates>);
}

export type PushAuthResult =
  { ok: true; email: string } | { ok: false; status: 401 | 403; reason: string };

const GOOGLE_ISSUERS = ['https://accounts.google.com', 'accounts.google.com'];

/**
 * Verifies the OIDC token Pub/Sub sends with each push request. A missing, malformed, badly signed
 * or expired token is 401 (who are you?); a valid Google token for another audience or another
 * service account is 403 (not for you).
 */
export function createPushTokenVerifier(
  options: PushAuthOptions,
): (authorization: string | undefined) => Promise<PushAuthResult> {
  if (!options.audience || !options.serviceAccountEmail)
    throw new Error('Push authentication needs both an audience and a service account email');
  // Loaded by the first token to verify, not when the verifier is made at start (ADR 0021, 0034):
  // the auth library is slow to load.
  let client: OAuth2Client | undefined;
  const oauthClient = (): OAuth2Client => {
    if (!client) {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const { OAuth2Client: Client } = require('google-auth-library') as {
        OAuth2Client: typeof OAuth2Client;
      };
      client = new Client();
    }
    return client;
  };
  const certificates = options.certificates;
  return async (authorization) => {
    const token = /^Bearer\s+(\S+)$/i.exec(authorization?.trim() ?? '')?.[1];
    if (!token) return { ok: false, status: 401, reason: 'no bearer token' };
    // Outside the try: a library that fails to load is our fault (a 5xx, redelivered), not the
    // sender's bad token.
    const verifier = oauthClient();
    let payload;
    try {
      // The audience is checked below, so a wrong one can be told apart from a bad token.
      const ticket = certificates
        ? await verifier.verifySignedJwtWithCertsAsync(
            token,
            typeof certificates === 'function' ? await certificates() : certificates,
            undefined,
            GOOGLE_ISSUERS,
          )
        : await verifier.verifyIdToken({ idToken: token });
      payload = ticket.getPayload();
    } catch (error) {
      // google-auth-library quotes the token, its segments or its claims in some messages.
      return { ok: false, status: 401, reason: `invalid token: ${withoutToken(error, token)}` };
    }
    if (!payload) return { ok: false, status: 401, reason: 'token has no claims' };
    const audiences = Array.isArray(payload.aud) ? payload.aud : [payload.aud];
    if (!audiences.includes(options.audience))
      return { ok: false, status: 403, reason: 'token is meant for another audience' };
    if (payload.email !== options.serviceAccountEmail || payload.email_verified !== true)
      return { ok: false, status: 403, reason: 'token is not from the push service account' };
    return { ok: true, email: payload.email };
  };
}

/** The verifier's error message with the token and each of its parts cut out. */
function withoutToken(error: unknown, token: string): string {
  let message = error instanceof Error ? error.message : String(error);
  const parts = [token, ...token.split('.')].filter((part) => part.length >= 4);
  for (const part of parts.sort((a, b) => b.length - a.length))
    message = message.split(part).join('[REDACTED]');
  // Claims decoded from the token (e.g. "Token used too late, …: {json}") are not ours to log.
  return message.replace(/\{.*\}/s, '[REDACTED]').slice(0, 300);
}
