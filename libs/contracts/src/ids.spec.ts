import { IdSchema, newId } from './ids';

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
});
