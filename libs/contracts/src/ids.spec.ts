import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { IdSchema, derivedId, newId } from './ids';

/** The derivation byte by byte, as ids were first derived: ids stored since must not change. */
function derivedIdByBytes(parentId: string, name: string): string {
  const digest = createHash('sha256').update(`${parentId.toLowerCase()}\u0000${name}`).digest();
  const bytes = Buffer.alloc(16);
  if (/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/i.test(parentId))
    Buffer.from(parentId.replace(/-/g, '').slice(0, 12), 'hex').copy(bytes);
  else digest.copy(bytes, 0, 16, 22);
  digest.copy(bytes, 6, 0, 10);
  bytes[6] = 0x70 | (bytes[6]! & 0x0f);
  bytes[8] = 0x80 | (bytes[8]! & 0x3f);
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

const UUID_V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('ids', () => {
  it('mints UUIDv7 ids that sort by creation time', () => {
    const first = newId();
    const second = newId();
    expect(first).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(first < second).toBe(true);
  });

  it('accepts any UUID version and rejects anything else', () => {
    expect(IdSchema.safeParse(newId()).success).toBe(true);
    expect(IdSchema.safeParse('0b6b2a1e-3f4c-4d5e-8f60-718293a4b5c6').success).toBe(true);
    const result = IdSchema.safeParse('not-a-uuid');
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.message).toBe('must be a UUID');
    expect(IdSchema.safeParse(42).success).toBe(false);
  });

  it('derives the same UUIDv7 from the same parent and name, and different ones otherwise', () => {
    const parent = newId();
    const id = derivedId(parent, 'observation.recorded');
    expect(id).toMatch(UUID_V7);
    expect(derivedId(parent, 'observation.recorded')).toBe(id);
    expect(derivedId(parent, 'scrape.failed')).not.toBe(id);
    expect(derivedId(newId(), 'observation.recorded')).not.toBe(id);
    // The time prefix is the parent's, so derived ids sort like their parents.
    expect(id.slice(0, 13)).toBe(parent.slice(0, 13));
  });

  it('derives a UUIDv7 from a parent id of another version', () => {
    const id = derivedId('0b6b2a1e-3f4c-4d5e-8f60-718293a4b5c6', 'x');
    expect(id).toMatch(UUID_V7);
    expect(derivedId('0B6B2A1E-3F4C-4D5E-8F60-718293A4B5C6', 'x')).toBe(id);
  });

  it('derives exactly the ids it derived before, for any parent and name', () => {
    expect(derivedId('0197a3f0-5f8e-7c1a-9d2b-3f4e5a6b7c8d', 'observation.recorded')).toBe(
      '0197a3f0-5f8e-7087-a3d3-7e532c00f977',
    );
    expect(derivedId('0197A3F0-5F8E-7C1A-9D2B-3F4E5A6B7C8D', 'scrape.failed')).toBe(
      '0197a3f0-5f8e-7762-98cf-09f4e34a494a',
    );
    expect(derivedId('0b6b2a1e-3f4c-4d5e-8f60-718293a4b5c6', 'x')).toBe(
      'ad4e7afa-4156-79f6-8c70-10ad98b74f28',
    );
    expect(derivedId('not a uuid', 'products.discovered')).toBe(
      'e2c27d36-18b2-7abc-9eda-d6bebb1935bb',
    );
    const parents = fc.oneof(
      fc.uuid({ version: 7 }),
      fc.uuid().map((id) => id.toUpperCase()),
      fc.string(),
    );
    fc.assert(
      fc.property(parents, fc.string(), (parent, name) => {
        expect(derivedId(parent, name)).toBe(derivedIdByBytes(parent, name));
      }),
      { numRuns: 2000 },
    );
  });
});
