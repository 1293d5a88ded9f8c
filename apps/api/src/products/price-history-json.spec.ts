import { AvailabilitySchema, PriceHistorySchema } from '@shelfwatch/contracts';
import fc from 'fast-check';
import { currencyText, epochMs, numericText } from '../../test/generated-values';
import { priceHistoryJson } from './price-history-json';
import { toPricePoint, type PricePointRow } from './price-history-query';

const row: fc.Arbitrary<PricePointRow> = fc.tuple(
  fc.uuid(),
  epochMs,
  fc.option(numericText, { nil: null }),
  fc.option(numericText, { nil: null }),
  currencyText,
  fc.constantFrom(...AvailabilitySchema.options),
  fc.boolean(),
  fc.uuid(),
);

describe('priceHistoryJson', () => {
  it('prints byte for byte what JSON.stringify prints for the contract objects', () => {
    fc.assert(
      fc.property(
        fc.uuid(),
        fc.array(row, { maxLength: 20 }),
        fc.option(fc.base64String({ minLength: 4, maxLength: 40 }), { nil: null }),
        (productId, rows, nextPageToken) => {
          const expected = JSON.stringify({
            productId,
            items: rows.map(toPricePoint),
            nextPageToken,
          });
          expect(priceHistoryJson(productId, rows, nextPageToken)).toBe(expected);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('prints a page the contract accepts', () => {
    const text = priceHistoryJson(
      '0190e6a4-7c1d-7000-8000-000000000001',
      [
        [
          '0190e6a4-7c1d-7000-8000-000000000002',
          1_767_225_600_123,
          '19.900',
          null,
          'EUR',
          'InStock',
          true,
          '0190e6a4-7c1d-7000-8000-000000000003',
        ],
      ],
      null,
    );
    const parsed = PriceHistorySchema.parse(JSON.parse(text));
    expect(parsed.items[0]).toEqual({
      id: '0190e6a4-7c1d-7000-8000-000000000002',
      observedAt: '2026-01-01T00:00:00.123Z',
      price: { amount: '19.90', currency: 'EUR' },
      listPrice: null,
      availability: 'InStock',
      notModified: true,
      runId: '0190e6a4-7c1d-7000-8000-000000000003',
    });
  });
});
