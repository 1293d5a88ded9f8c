import { AlertKindSchema, AlertListSchema, AvailabilitySchema } from '@shelfwatch/contracts';
import fc from 'fast-check';
import { currencyText, epochMs, numericText } from '../../test/generated-values';
import { toAlertDto, type AlertRow } from './alert-read';
import { alertsJson } from './alerts-json';

const availability = fc.constantFrom(...AvailabilitySchema.options);

const row: fc.Arbitrary<AlertRow> = fc.record({
  id: fc.uuid(),
  product_id: fc.uuid(),
  target_id: fc.option(fc.uuid(), { nil: null }),
  watch_id: fc.option(fc.uuid(), { nil: null }),
  kind: fc.constantFrom(...AlertKindSchema.options),
  previous_amount: fc.option(numericText, { nil: null }),
  previous_currency: currencyText,
  current_amount: fc.option(numericText, { nil: null }),
  current_currency: currencyText,
  previous_availability: fc.option(availability, { nil: null }),
  current_availability: availability,
  change_percent: fc.option(numericText, { nil: null }),
  observed_at_ms: epochMs,
  created_at_ms: epochMs,
  event_id: fc.option(fc.uuid(), { nil: null }),
});

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
        {
          id: '0190e6a4-7c1d-7000-8000-000000000001',
          product_id: '0190e6a4-7c1d-7000-8000-000000000002',
          target_id: null,
          watch_id: '0190e6a4-7c1d-7000-8000-000000000003',
          kind: 'price_drop',
          previous_amount: '29.990',
          previous_currency: 'EUR',
          current_amount: '24.99',
          current_currency: 'EUR',
          previous_availability: null,
          current_availability: 'InStock',
          change_percent: '-16.67',
          observed_at_ms: 1_767_225_600_123,
          created_at_ms: 1_767_225_601_000,
          event_id: null,
        },
      ],
      'next',
    );
    const parsed = AlertListSchema.parse(JSON.parse(text));
    expect(parsed.items[0]).toMatchObject({
      targetId: null,
      previous: { amount: '29.99', currency: 'EUR' },
      observedAt: '2026-01-01T00:00:00.123Z',
      createdAt: '2026-01-01T00:00:01.000Z',
    });
    expect(parsed.nextPageToken).toBe('next');
  });
});
