import { currencyMinorUnits, formatAmount } from './money-format';

describe('formatAmount', () => {
  it('pads to the minor units of the currency without rounding', () => {
    expect(formatAmount('19.9', 'EUR')).toBe('19.90');
    expect(formatAmount('20', 'USD')).toBe('20.00');
    expect(formatAmount('0.125', 'USD')).toBe('0.125');
    expect(formatAmount('1500', 'JPY')).toBe('1500');
    expect(formatAmount('1.5', 'KWD')).toBe('1.500');
  });

  it('knows ISO 4217 minor units and falls back to 2 for unknown codes', () => {
    expect(currencyMinorUnits('EUR')).toBe(2);
    expect(currencyMinorUnits('JPY')).toBe(0);
    expect(currencyMinorUnits('XQQ')).toBe(2);
  });
});
