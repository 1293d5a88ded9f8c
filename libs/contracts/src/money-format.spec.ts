import fc from 'fast-check';
import { currencyMinorUnits, formatAmount } from './money-format';

/** What callers passed before: the digits of `trim_scale` / `Decimal#toFixed()`, then padded. */
function trimmedThenPadded(amount: string, currency: string): string {
  const trimmed = amount.includes('.') ? amount.replace(/0+$/, '').replace(/\.$/, '') : amount;
  const units = currencyMinorUnits(currency);
  const dot = trimmed.indexOf('.');
  const fraction = dot < 0 ? 0 : trimmed.length - dot - 1;
  if (fraction >= units) return trimmed;
  return `${dot < 0 ? `${trimmed}.` : trimmed}${'0'.repeat(units - fraction)}`;
}

describe('formatAmount', () => {
  it('pads to the minor units of the currency without rounding', () => {
    expect(formatAmount('19.9', 'EUR')).toBe('19.90');
    expect(formatAmount('20', 'USD')).toBe('20.00');
    expect(formatAmount('0.125', 'USD')).toBe('0.125');
    expect(formatAmount('1500', 'JPY')).toBe('1500');
    expect(formatAmount('1.5', 'KWD')).toBe('1.500');
  });

  it('drops zeros beyond the minor units, as Decimal#toFixed() and trim_scale do', () => {
    expect(formatAmount('24.990', 'EUR')).toBe('24.99');
    expect(formatAmount('20.000', 'EUR')).toBe('20.00');
    expect(formatAmount('0.12500', 'USD')).toBe('0.125');
    expect(formatAmount('0.1250', 'KWD')).toBe('0.125');
    expect(formatAmount('1500.000', 'JPY')).toBe('1500');
    expect(formatAmount('1500.50', 'JPY')).toBe('1500.5');
    expect(formatAmount('-3.10', 'JPY')).toBe('-3.1');
    expect(formatAmount('100', 'JPY')).toBe('100');
  });

  it('answers for any NUMERIC text what its trimmed digits gave before', () => {
    const numericText = fc
      .tuple(
        fc.boolean(),
        fc.bigInt({ min: 0n, max: 10n ** 12n }),
        fc.option(fc.stringMatching(/^[0-9]{1,8}$/), { nil: undefined }),
      )
      .map(
        ([negative, whole, fraction]) =>
          `${negative ? '-' : ''}${whole}${fraction === undefined ? '' : `.${fraction}`}`,
      );
    fc.assert(
      fc.property(numericText, fc.constantFrom('EUR', 'JPY', 'KWD', 'XQQ'), (amount, currency) => {
        expect(formatAmount(amount, currency)).toBe(trimmedThenPadded(amount, currency));
      }),
    );
  });

  it('knows ISO 4217 minor units and falls back to 2 for unknown codes', () => {
    expect(currencyMinorUnits('EUR')).toBe(2);
    expect(currencyMinorUnits('JPY')).toBe(0);
    expect(currencyMinorUnits('XQQ')).toBe(2);
  });
});
