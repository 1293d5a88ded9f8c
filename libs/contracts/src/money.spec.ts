import { CurrencyCodeSchema, DecimalStringSchema, MoneySchema } from './money';

describe('money', () => {
  it('accepts a decimal string with an ISO 4217 code', () => {
    expect(MoneySchema.parse({ amount: '19.99', currency: 'EUR' })).toEqual({
      amount: '19.99',
      currency: 'EUR',
    });
    expect(MoneySchema.parse({ amount: '0', currency: 'JPY' })).toEqual({
      amount: '0',
      currency: 'JPY',
    });
  });

  it('rejects floats, exponents, separators and negative prices', () => {
    for (const amount of [
      19.99,
      '1e3',
      '1.5E-2',
      '1,000.00',
      '19.',
      '.5',
      'NaN',
      'Infinity',
      '-1.00',
      ' 1',
    ]) {
      expect(MoneySchema.safeParse({ amount, currency: 'EUR' }).success).toBe(false);
    }
  });

  it('rejects currency codes that are not three upper-case letters', () => {
    for (const currency of ['eur', 'Eur', 'EURO', 'E1R', '€', '']) {
      const result = MoneySchema.safeParse({ amount: '1.00', currency });
      expect(result.success).toBe(false);
      expect(result.error?.issues[0]?.path).toEqual(['currency']);
    }
    expect(CurrencyCodeSchema.safeParse('USD').success).toBe(true);
  });

  it('allows signed decimals where a sign makes sense, such as percentages', () => {
    expect(DecimalStringSchema.parse('-12.5')).toBe('-12.5');
    expect(DecimalStringSchema.safeParse('-1e2').success).toBe(false);
    expect(DecimalStringSchema.safeParse(-12.5).success).toBe(false);
  });
});
