import { Prisma } from '@shelfwatch/db';
import type { AlertRecipient } from './alert-rules';
import { anyChange, type ObservedState } from './change-detection';
import { alertFactsKey, impliedAlerts } from './history-alerts';

const state = (amount: string, availability: ObservedState['availability'] = 'InStock') => ({
  amount: new Prisma.Decimal(amount),
  currency: 'EUR',
  availability,
});
const everyone: AlertRecipient = {
  watchId: null,
  accountId: null,
  rules: anyChange,
  kinds: null,
  labels: [],
};
const dropsOnly: AlertRecipient = {
  watchId: 'w',
  accountId: 'a',
  rules: { ...anyChange, targetPrice: new Prisma.Decimal('9') },
  kinds: new Set(['price_drop', 'target_price_reached']),
  labels: ['shoes'],
};

describe('impliedAlerts', () => {
  it('makes a first point a new product for recipients who want it', () => {
    expect(impliedAlerts(null, state('10'), [everyone, dropsOnly]).map((a) => a.kind)).toEqual([
      'new_product',
    ]);
  });

  it('judges a later point against the one before, per recipient rules and kinds', () => {
    const implied = impliedAlerts(state('10'), state('8', 'OutOfStock'), [everyone, dropsOnly]);
    expect(implied.map((a) => [a.recipient.watchId, a.kind])).toEqual([
      [null, 'out_of_stock'],
      [null, 'price_drop'],
      ['w', 'price_drop'],
      ['w', 'target_price_reached'],
    ]);
    expect(implied[1]?.changePercent?.toFixed()).toBe('-20');
  });
});

describe('alertFactsKey', () => {
  const facts = {
    kind: 'price_drop' as const,
    watchId: 'w',
    previousAmount: new Prisma.Decimal('10.00'),
    previousCurrency: 'EUR',
    currentAmount: new Prisma.Decimal('8'),
    currentCurrency: 'EUR',
    previousAvailability: 'InStock',
    currentAvailability: 'InStock',
    changePercent: new Prisma.Decimal('-20'),
  };

  it('is equal for equal amounts however they are written, and differs for another previous', () => {
    expect(alertFactsKey({ ...facts, previousAmount: new Prisma.Decimal('10') })).toBe(
      alertFactsKey(facts),
    );
    expect(alertFactsKey({ ...facts, previousAmount: new Prisma.Decimal('11') })).not.toBe(
      alertFactsKey(facts),
    );
  });
});
