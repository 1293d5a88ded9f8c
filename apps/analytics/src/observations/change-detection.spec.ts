import { Prisma } from '@shelfwatch/db';
import { anyChange, detectChanges, type ObservedState } from './change-detection';

const d = (value: string) => new Prisma.Decimal(value);
const state = (amount: string | null, availability: ObservedState['availability'] = 'InStock') => ({
  amount: amount === null ? null : d(amount),
  currency: 'EUR',
  availability,
});

describe('detectChanges', () => {
  it('reports a drop with its signed percentage as an exact decimal', () => {
    const [change] = detectChanges(state('20.00'), state('17.50'), anyChange);

    expect(change?.kind).toBe('price_drop');
    expect(change?.changePercent?.toFixed()).toBe('-12.5');
  });

  it('reports a rise and nothing for an unchanged price', () => {
    expect(detectChanges(state('10'), state('10.01'), anyChange).map((c) => c.kind)).toEqual([
      'price_rise',
    ]);
    expect(detectChanges(state('10.00'), state('10'), anyChange)).toEqual([]);
  });

  it('needs a change to reach both the absolute and the percent threshold', () => {
    const thresholds = { minChangeAmount: d('1.00'), minChangePercent: d('5') };

    // 0.50 is 5 % of 10 but below the absolute 1.00
    expect(detectChanges(state('10.00'), state('9.50'), thresholds)).toEqual([]);
    // 2.00 is above 1.00 but only 2 % of 100
    expect(detectChanges(state('100.00'), state('98.00'), thresholds)).toEqual([]);
    // exactly on both thresholds counts
    expect(detectChanges(state('20.00'), state('19.00'), thresholds).map((c) => c.kind)).toEqual([
      'price_drop',
    ]);
  });

  it('reports stock transitions, ignoring Unknown availability', () => {
    expect(
      detectChanges(state('10', 'OutOfStock'), state('10', 'InStock'), anyChange).map(
        (c) => c.kind,
      ),
    ).toEqual(['back_in_stock']);
    expect(
      detectChanges(state('10', 'InStock'), state('10', 'Discontinued'), anyChange).map(
        (c) => c.kind,
      ),
    ).toEqual(['out_of_stock']);
    expect(detectChanges(state('10', 'Unknown'), state('10', 'InStock'), anyChange)).toEqual([]);
    expect(detectChanges(state('10', 'InStock'), state('10', 'Unknown'), anyChange)).toEqual([]);
  });

  it('does not compare prices in different currencies or against a missing price', () => {
    expect(detectChanges(state('10'), { ...state('12'), currency: 'USD' }, anyChange)).toEqual([]);
    expect(detectChanges(state(null), state('12'), anyChange)).toEqual([]);
  });
});
