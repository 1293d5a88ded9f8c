import { Prisma } from '@shelfwatch/db';
import fc from 'fast-check';
import { numericText } from '../../test/generated-values';
import { isoTimeOfEpochMs, trimmedScale } from './sql-text';

describe('isoTimeOfEpochMs', () => {
  it('prints what Date#toISOString() prints, for any millisecond', () => {
    // -1e14 .. 3e14 ms reaches back before 1970 and past year 9999 (six-digit years).
    fc.assert(
      fc.property(fc.integer({ min: -1e14, max: 3e14 }), (ms) => {
        expect(isoTimeOfEpochMs(ms)).toBe(new Date(ms).toISOString());
      }),
      { numRuns: 5000 },
    );
  });

  it('prints leap days, year ends and the edges of the four-digit years exactly', () => {
    const edges = [
      0,
      951_782_400_000, // 2000-02-29
      4_107_542_399_999, // 2100-02-28T23:59:59.999Z
      4_107_542_400_000, // 2100-03-01 (no leap day in 2100)
      253_402_300_799_999, // 9999-12-31T23:59:59.999Z
      253_402_300_800_000, // +010000-01-01
      -1,
    ];
    for (const ms of edges) expect(isoTimeOfEpochMs(ms)).toBe(new Date(ms).toISOString());
  });
});

describe('trimmedScale', () => {
  it('gives the digits Decimal#toFixed() (and trim_scale) give for any NUMERIC text', () => {
    fc.assert(
      fc.property(
        // PostgreSQL prints no signed zero.
        numericText.filter((text) => !/^-0(\.0*)?$/.test(text)),
        (text) => {
          expect(trimmedScale(text)).toBe(new Prisma.Decimal(text).toFixed());
        },
      ),
      { numRuns: 5000 },
    );
    for (const [text, trimmed] of [
      ['-16.6700', '-16.67'],
      ['100.000', '100'],
      ['0.000', '0'],
      ['1500', '1500'],
      ['NaN', 'NaN'],
    ])
      expect(trimmedScale(text)).toBe(trimmed);
  });
});
