import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parsePrice } from '../src/index';

interface PriceCase {
  input: string;
  hint: string;
  amount: string;
  currency: string;
}

const readCases = (file: string): PriceCase[] =>
  readFileSync(join(__dirname, 'fixtures', file), 'utf8')
    .split('\n')
    .filter((line) => line.length > 0 && !line.startsWith('#'))
    .map((line) => {
      const [input = '', hint = '', amount = '', currency = ''] = line.split('\t');
      return { input, hint, amount, currency };
    });

/** prices.tsv: the original corpus; prices-real-world.tsv: strings seen on shop pages. */
const cases: PriceCase[] = [...readCases('prices.tsv'), ...readCases('prices-real-world.tsv')];

describe('price string corpus', () => {
  it('covers at least 300 strings in at least 30 currencies', () => {
    expect(cases.length).toBeGreaterThanOrEqual(400);
    const currencies = new Set(cases.map((entry) => entry.currency).filter(Boolean));
    expect(currencies.size).toBeGreaterThanOrEqual(50);
  });

  it.each(cases)(
    '$input (hint "$hint") reads as "$amount" $currency',
    ({ input, hint, amount, currency }) => {
      const parsed = parsePrice(input, { currencyHint: hint || null });
      if (amount === '') {
        expect(parsed).toBeNull();
        return;
      }
      expect(parsed).toEqual({ amount, currency: currency || null });
    },
  );
});
