import { hash } from 'node:crypto';
import { uuidv7 } from 'uuidv7';
import { z } from 'zod';

/**
 * Any RFC 9562 UUID. New ids are UUIDv7 (see `newId`), but readers accept every version so an
 * id minted elsewhere (a test, an import) is still addressable.
 */
export const IdSchema = z.uuid({ error: 'must be a UUID' }).meta({
  description: 'Identifier (UUIDv7 for ids minted by shelfwatch).',
  example: '01970f3c-5f8e-7c1a-9d2b-3f4e5a6b7c8d',
});

/** A new time-ordered id: UUIDv7 sorts by creation time, which makes it a good key and cursor. */
export function newId(): string {
  return uuidv7();
}

const UUID_V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/i;

/**
 * A UUIDv7 derived from a parent id and a name, the same every time: an event produced in reply
 * to another gets an id that a redelivery of the parent reproduces, so consumers' inboxes see a
 * repeat, not a new event. The time prefix is the parent's (when it is a UUIDv7) so ids still
 * sort by time; the rest comes from SHA-256 of parent and name.
 */
export function derivedId(parentId: string, name: string): string {
  // One-shot `hash` to hex: no Hash object and no Buffer per id (a scraped page derives one per
  // event it emits); the id is cut from hex digits (ADR 0047).
  const digest = hash('sha256', `${parentId.toLowerCase()}\u0000${name}`, 'hex');
  const time = UUID_V7.test(parentId)
    ? `${parentId.slice(0, 8)}${parentId.slice(9, 13)}`.toLowerCase()
    : digest.slice(32, 44);
  // Bytes 6 to 15 are the digest's first ten, with the version (7) and variant (10xx) bits set.
  const variant = (8 | (parseInt(digest.charAt(4), 16) & 3)).toString(16);
  return `${time.slice(0, 8)}-${time.slice(8)}-7${digest.slice(1, 4)}-${variant}${digest.slice(5, 8)}-${digest.slice(8, 20)}`;
}
