import { presetWindow, priceSeries } from './price-series';
import type { PricePoint } from '../api/types';

const point = (
  observedAt: string,
  amount: string | null,
  availability: PricePoint['availability'] = 'InStock',
  listAmount: string | null = null,
): PricePoint => ({
  id: observedAt,
  observedAt,
  price: amount === null ? null : { amount, currency: 'EUR' },
  listPrice: listAmount === null ? null : { amount: listAmount, currency: 'EUR' },
  availability,
  notModified: false,
  runId: 'run',
});

describe('priceSeries', () => {
  it('aligns times in seconds with prices and list prices, keeping missing prices as gaps', () => {
    const series = priceSeries([
      point('2026-01-01T00:00:00Z', '10.50', 'InStock', '12.00'),
      point('2026-01-02T00:00:00Z', null),
    ]);
    expect(series.x).toEqual([1767225600, 1767312000]);
    expect(series.price).toEqual([10.5, null]);
    expect(series.listPrice).toEqual([12, null]);
    expect(series.currency).toBe('EUR');
  });

  it('shades each out-of-stock period from its first point to the next buyable one', () => {
    const series = priceSeries([
      point('2026-01-01T00:00:00Z', '10', 'InStock'),
      point('2026-01-02T00:00:00Z', '10', 'OutOfStock'),
      point('2026-01-03T00:00:00Z', '10', 'OutOfStock'),
      point('2026-01-04T00:00:00Z', '10', 'InStock'),
      point('2026-01-05T00:00:00Z', '10', 'Discontinued'),
    ]);
    const day = (n: number) => 1767225600 + (n - 1) * 86_400;
    expect(series.stockGaps).toEqual([
      [day(2), day(4)],
      [day(5), day(5)],
    ]);
  });
});

describe('presetWindow', () => {
  const daily = Array.from({ length: 400 }, (_, i) => 1_700_000_000 + i * 86_400);

  it('ends every preset at the newest point and starts it the preset before', () => {
    const last = daily[daily.length - 1]!;
    expect(presetWindow(daily, '7d')).toEqual({ min: last - 7 * 86_400, max: last });
    expect(presetWindow(daily, '1y')).toEqual({ min: last - 365 * 86_400, max: last });
    expect(presetWindow(daily, 'all')).toEqual({ min: daily[0], max: last });
  });

  it('never starts before the first point, and gives a lone point an hour of width', () => {
    expect(presetWindow(daily.slice(0, 3), '30d')).toEqual({ min: daily[0], max: daily[2] });
    expect(presetWindow([1000], '7d')).toEqual({ min: -800, max: 2800 });
    expect(presetWindow([], 'all')).toBeNull();
  });
});
