import { AlertKindSchema, AlertListSchema, AvailabilitySchema } from '@shelfwatch/contracts';
import fc from 'fast-check';
import { currencyText, epochMs, numericText } from '../../test/generated-values';
import { toAlertDto, type AlertRow } from './alert-read';
import { alertsJson } from './alerts-json';

const availability = fc.constantFrom(...AvailabilitySchema.options);

const row: fc.Arbitrary<AlertRow> = fc.tuple(
  fc.uuid(),
  fc.uuid(),
  fc.option(fc.uuid(), { nil: null }),
  fc.option(fc.uuid(), { nil: null }),
  fc.constantFrom(...AlertKindSchema.options),
  fc.option(numericText, { nil: null }),
  currencyText,
  fc.option(numericText, { nil: null }),
  currencyText,
  fc.option(availability, { nil: null }),
  availability,
  fc.option(numericText, { nil: null }),
  epochMs,
  epochMs,
  fc.option(fc.uuid(), { nil: null }),
);

describe('alertsJson', () => {
  it('prints byte for byte what JSON.stringify prints for the contract objects', () => {
    fc.assert(
      fc.property(
        fc.array(row, { maxLength: 20 }),
        fc.option(fc.base64String({ minLength: 4, maxLength: 40 }), { nil: null }),
        (rows, nextPageToken) => {
          const expected = JSON.stringify({ items: rows.map(toAlertDto), nextPageToken });
          expect(alertsJson(rows, nextPageToken)).toBe(expected);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('prints a page the contract accepts', () => {
    const text = alertsJson(
      [
        [
          '0190e6a4-7c1d-7000-8000-000000000001',
          '0190e6a4-7c1d-7000-8000-000000000002',
          null,
          '0190e6a4-7c1d-7000-8000-000000000003',
          'price_drop',
          '29.990',
          'EUR',
          '24.99',
          'EUR',
          null,
          'InStock',
          '-16.6700',
          1_767_225_600_123,
          1_767_225_601_000,
          null,
        ],
      ],
      'next',
    );
    const parsed = AlertListSchema.parse(JSON.parse(text));
    expect(parsed.items[0]).toMatchObject({
      targetId: null,
      previous: { amount: '29.99', currency: 'EUR' },
      observedAt: '2026-01-01T00:00:00.123Z',
      createdAt: '2026-01-01T00:00:01.000Z',
      changePercent: '-16.67',
    });
    expect(parsed.nextPageToken).toBe('next');
  });
});
