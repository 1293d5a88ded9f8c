import { createHmac, timingSafeEqual } from 'node:crypto';

/** What a signed link lets its holder do without signing in. */
export type LinkPurpose = 'unsubscribe';

const VERSION = 'v1';

function signature(secret: string, purpose: LinkPurpose, subject: string): string {
  return createHmac('sha256', secret)
    .update(`${VERSION}\u0000${purpose}\u0000${subject}`)
    .digest('base64url');
}

/**
 * A token naming `subject` (a recipient id) for `purpose`, signed with HMAC-SHA256: the api and
 * the notifier share the secret, so mail the notifier sends carries links the api accepts, and
 * nothing needs storing. Unsubscribe links never expire: mail stays in inboxes for years.
 */
export function signLinkToken(secret: string, purpose: LinkPurpose, subject: string): string {
  return `${VERSION}.${Buffer.from(subject).toString('base64url')}.${signature(secret, purpose, subject)}`;
}

/** The subject of a valid token for `purpose`, else null (malformed, forged or another purpose). */
export function verifyLinkToken(
  secret: string,
  purpose: LinkPurpose,
  token: string,
): string | null {
  const parts = token.split('.');
  if (parts.length !== 3 || parts[0] !== VERSION) return null;
  const subject = Buffer.from(parts[1]!, 'base64url').toString('utf8');
  const expected = Buffer.from(signature(secret, purpose, subject));
  const given = Buffer.from(parts[2]!);
  return expected.length === given.length && timingSafeEqual(expected, given) ? subject : null;
}

/** The public unsubscribe link of a recipient, on the api's base URL. */
export function unsubscribeUrl(publicBaseUrl: string, secret: string, recipientId: string): string {
  const url = new URL('/email/unsubscribe', publicBaseUrl);
  url.searchParams.set('token', signLinkToken(secret, 'unsubscribe', recipientId));
  return url.toString();
}
