import { hash } from 'node:crypto';

/**
 * Express's default ETag of a response body, `W/"<length in hex>-<27 characters of the body's
 * SHA-1 in base64>"` (the `etag` package's weak tag), computed with the one-shot `hash()`: the
 * `createHash()` object the package builds per response cost more than hashing a small body
 * (ADR 0042). Same text for the same bytes, so a client's cached validator stays valid.
 */
export function weakEtag(body: Buffer | string, encoding?: BufferEncoding): string {
  const bytes = typeof body === 'string' ? Buffer.from(body, encoding) : body;
  return `W/"${bytes.length.toString(16)}-${hash('sha1', bytes, 'base64').slice(0, 27)}"`;
}
