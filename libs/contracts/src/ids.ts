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
  // One-shot `hash`: no Hash object per id (a scraped page derives one per event it emits).
  const digest = hash('sha256', `${parentId.toLowerCase()}\u0000${name}`, 'buffer');
  const bytes = Buffer.alloc(16);
  if (UUID_V7.test(parentId))
    Buffer.from(parentId.replace(/-/g, '').slice(0, 12), 'hex').copy(bytes);
  else digest.copy(bytes, 0, 16, 22);
  digest.copy(bytes, 6, 0, 10);
  bytes[6] = 0x70 | (bytes[6]! & 0x0f);
  bytes[8] = 0x80 | (bytes[8]! & 0x3f);
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
