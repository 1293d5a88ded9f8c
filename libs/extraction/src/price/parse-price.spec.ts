import { parseAmount, parsePrice } from './parse-price';

describe('parsePrice', () => {
  it('decides the decimal separator from the string itself', () => {
    expect(parsePrice('1.234,56 €')).toEqual({ amount: '1234.56', currency: 'EUR' });
    expect(parsePrice('$1,234.56')).toEqual({ amount: '1234.56', currency: 'USD' });
    expect(parsePrice('12,5')?.amount).toBe('12.5');
    expect(parsePrice('1,234')?.amount).toBe('1234');
    expect(parsePrice('KWD 1.250')).toEqual({ amount: '1.250', currency: 'KWD' });
  });

  it('never returns a float, only decimal strings', () => {
    const parsed = parsePrice('$0.10');
    expect(typeof parsed?.amount).toBe('string');
    expect(parsed?.amount).toBe('0.10');
  });

  it('resolves ambiguous symbols from the hint, language or domain', () => {
    expect(parsePrice('$10')?.currency).toBe('USD');
    expect(parsePrice('$10', { currencyHint: 'CAD' })?.currency).toBe('CAD');
    expect(parsePrice('$10', { lang: 'en-AU' })?.currency).toBe('AUD');
    expect(parsePrice('$10', { domain: 'shop.example.com.mx' })?.currency).toBe('MXN');
    expect(parsePrice('¥1,980', { lang: 'zh-CN' })?.currency).toBe('CNY');
    expect(parsePrice('¥1,980')?.currency).toBe('JPY');
    expect(parsePrice('499 kr', { domain: 'butik.example.no' })?.currency).toBe('NOK');
  });

  it('keeps an explicit currency over a conflicting hint', () => {
    expect(parsePrice('€5', { currencyHint: 'USD' })?.currency).toBe('EUR');
  });

  it('returns null currency when nothing names one', () => {
    expect(parsePrice('19.99')).toEqual({ amount: '19.99', currency: null });
  });

  it('takes the low end of ranges and the amount after "from"', () => {
    expect(parsePrice('$10 - $20')?.amount).toBe('10');
    expect(parsePrice('ab 9,99 €')?.amount).toBe('9.99');
  });

  it('reads "free" as zero and text without digits as no price', () => {
    expect(parsePrice('Free', { currencyHint: 'GBP' })).toEqual({ amount: '0', currency: 'GBP' });
    expect(parsePrice('Call for price')).toBeNull();
    expect(parsePrice('')).toBeNull();
  });

  it('skips percentages and quantities without a currency next to them', () => {
    expect(parsePrice('-20% 15,99 €')).toEqual({ amount: '15.99', currency: 'EUR' });
    expect(parsePrice('3 for £10')).toEqual({ amount: '10', currency: 'GBP' });
  });
});

describe('parseAmount', () => {
  it('accepts structured-data numbers and strings', () => {
    expect(parseAmount(19.9, 'EUR')).toBe('19.9');
    expect(parseAmount('0019.90', 'EUR')).toBe('19.90');
    expect(parseAmount('1,299.00', 'USD')).toBe('1299.00');
    expect(parseAmount(-1, 'USD')).toBeNull();
    expect(parseAmount(Number.NaN, 'USD')).toBeNull();
    expect(parseAmount({}, 'USD')).toBeNull();
  });
});
