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
