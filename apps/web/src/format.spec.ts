import { formatAgo, formatChange, formatMoney, priceChange } from './format';

describe('priceChange', () => {
  it('gives the signed amount and percent of a drop without float noise', () => {
    expect(
      priceChange({ amount: '100.10', currency: 'EUR' }, { amount: '90.09', currency: 'EUR' }),
    ).toEqual({ amount: -10.01, percent: -10, direction: 'down' });
  });

  it('compares nothing across currencies or with a missing price', () => {
    expect(
      priceChange({ amount: '1', currency: 'EUR' }, { amount: '1', currency: 'USD' }),
    ).toBeNull();
    expect(priceChange(null, { amount: '1', currency: 'USD' })).toBeNull();
  });

  it('writes a rise with its sign, amount and percent', () => {
    const change = priceChange(
      { amount: '50', currency: 'EUR' },
      { amount: '55', currency: 'EUR' },
    );
    expect(formatChange(change, 'EUR')).toBe('+€5.00 (+10 %)');
    expect(formatChange(null)).toBe('—');
  });
});

describe('formatMoney and formatAgo', () => {
  it('formats money in its currency and a missing price as a dash', () => {
    expect(formatMoney({ amount: '1234.5', currency: 'EUR' })).toBe('€1,234.50');
    expect(formatMoney(null)).toBe('—');
  });

  it('says how long ago in the largest sensible unit', () => {
    const now = Date.parse('2026-01-10T12:00:00Z');
    expect(formatAgo('2026-01-10T11:59:30Z', now)).toBe('30 s ago');
    expect(formatAgo('2026-01-10T11:00:00Z', now)).toBe('1 h ago');
    expect(formatAgo('2026-01-07T12:00:00Z', now)).toBe('3 d ago');
    expect(formatAgo(null, now)).toBe('never');
  });
});
