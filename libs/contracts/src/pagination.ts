import { z } from 'zod';
import { IdSchema } from './ids';

export const DEFAULT_PAGE_SIZE = 20;
export const MAX_PAGE_SIZE = 100;

export interface PageCursor {
  /** The last item of the page. */
  id: string;
  /** For a sorted list: the sort the page was read in, and the last item's sort value. */
  sort?: string;
  value?: string | null;
}

const PageCursorSchema = z.strictObject({
  id: IdSchema,
  sort: z.string().max(64).optional(),
  value: z.string().max(1024).nullable().optional(),
});

/**
 * Keyset cursor as an opaque base64url token: clients must not build or edit tokens, which
 * leaves us free to change what is inside.
 */
export function encodePageToken(cursor: PageCursor): string {
  const { id, sort, value } = cursor;
  const inside = sort === undefined ? { id } : { id, sort, value: value ?? null };
  return Buffer.from(JSON.stringify(inside), 'utf8').toString('base64url');
}

/** The cursor inside a token, or null for anything we did not issue (malformed, edited, truncated). */
export function decodePageToken(token: string): PageCursor | null {
  if (typeof token !== 'string' || !/^[A-Za-z0-9_-]+$/.test(token)) return null;
  const bytes = Buffer.from(token, 'base64url');
  // Node decodes leniently; a token that does not re-encode to itself was not produced by us.
  if (bytes.toString('base64url') !== token) return null;
  let decoded: unknown;
  try {
    decoded = JSON.parse(bytes.toString('utf8'));
  } catch {
    return null;
  }
  const parsed = PageCursorSchema.safeParse(decoded);
  if (!parsed.success) return null;
  const { id, sort, value } = parsed.data;
  return sort === undefined ? { id } : { id, sort, value: value ?? null };
}
