import fc from 'fast-check';
import { parsePrice } from './parse-price';

/*
 * Whatever amount a shop prints, in its locale's own format (grouping, decimal mark, symbol
 * placement, the narrow spaces Intl uses), parsePrice reads back the same amount and currency.
 */
const LOCALES: readonly [string, string][] = [
  ['en-US', 'USD'],
  ['en-GB', 'GBP'],
  ['de-DE', 'EUR'],
  ['de-CH', 'CHF'],
  ['fr-FR', 'EUR'],
  ['es-ES', 'EUR'],
  ['it-IT', 'EUR'],
  ['nl-NL', 'EUR'],
  ['pt-BR', 'BRL'],
  ['pl-PL', 'PLN'],
  ['sv-SE', 'SEK'],
  ['cs-CZ', 'CZK'],
  ['ru-RU', 'RUB'],
  ['ro-RO', 'RON'],
  ['ja-JP', 'JPY'],
  ['ko-KR', 'KRW'],
  ['zh-CN', 'CNY'],
  ['zh-TW', 'TWD'],
  ['en-IN', 'INR'],
  ['tr-TR', 'TRY'],
  ['da-DK', 'DKK'],
  ['hu-HU', 'HUF'],
  ['en-AU', 'AUD'],
  ['en-CA', 'CAD'],
];

const format = (locale: string, currency: string, cents: number, display: 'symbol' | 'code') => {
  const formatter = new Intl.NumberFormat(locale, {
    style: 'currency',
    currency,
    currencyDisplay: display,
  });
  const digits = formatter.resolvedOptions().maximumFractionDigits ?? 2;
  const amount = digits === 0 ? Math.round(cents / 100) : cents / 100;
  return { text: formatter.format(amount), amount, digits };
};

describe('parsePrice on locale-formatted amounts', () => {
  it.each(LOCALES)('reads back %s %s amounts printed with the ISO code', (locale, currency) => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 9_999_999_99 }), (cents) => {
        const { text, amount, digits } = format(locale, currency, cents, 'code');
        const parsed = parsePrice(text);
        expect(parsed?.currency).toBe(currency);
        expect(Number(parsed?.amount)).toBeCloseTo(amount, digits);
      }),
      { numRuns: 200 },
    );
  });

  it.each(LOCALES)('reads back %s %s amounts printed with the symbol', (locale, currency) => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 9_999_999_99 }), (cents) => {
        const { text, amount, digits } = format(locale, currency, cents, 'symbol');
        // A symbol alone can be ambiguous ($, kr, ¥): the page's language settles it.
        const parsed = parsePrice(text, { lang: locale });
        expect(parsed?.currency).toBe(currency);
        expect(Number(parsed?.amount)).toBeCloseTo(amount, digits);
      }),
      { numRuns: 200 },
    );
  });
});
