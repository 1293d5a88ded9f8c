import { IdSchema, derivedId, newId } from './ids';

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
});
