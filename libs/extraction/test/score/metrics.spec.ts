import type { LabelledPage } from './corpora';
import { predictionOf, scoreCorpus } from './metrics';

const page = (id: string, truth: LabelledPage['truth']): LabelledPage => ({
  id,
  url: `https://shop.example.com/${id}`,
  html: '',
  bytes: 0,
  truth,
});

describe('scoreCorpus', () => {
  it('counts a wrong value against precision and recall, a value on an unlabelled page against precision only', () => {
    const pages = [
      page('right', { price: { amount: '10.00', currency: 'EUR' } }),
      page('wrong', { price: { amount: '20', currency: 'EUR' } }),
      page('none-shown', { price: null }),
      page('missed', { price: { amount: '5', currency: 'EUR' } }),
    ];
    const answers: Record<string, { amount: string; currency: string } | null> = {
      right: { amount: '10', currency: 'EUR' },
      wrong: { amount: '2', currency: 'EUR' },
      'none-shown': { amount: '1', currency: 'EUR' },
      missed: null,
    };
    const score = scoreCorpus(pages, ({ id }) => ({
      price: answers[id] ?? null,
      availability: null,
      sku: null,
    }));
    expect(score.fields.price).toMatchObject({ predicted: 3, labelled: 3, correct: 1 });
    expect(score.fields.price.precision).toBeCloseTo(1 / 3, 3);
    expect(score.fields.price.recall).toBeCloseTo(1 / 3, 3);
    expect(score.failures.map((failure) => failure.id)).toEqual(['wrong', 'none-shown', 'missed']);
  });

  it('skips fields a fixture does not state', () => {
    const score = scoreCorpus([page('price-only', { price: null })], () => ({
      price: null,
      availability: 'InStock',
      sku: 'X',
    }));
    expect(score.fields.availability.predicted).toBe(0);
    expect(score.failures).toEqual([]);
  });
});

describe('predictionOf', () => {
  it('reads the named primary offer and folds availability onto in or out of stock', () => {
    const prediction = predictionOf({
      offers: [
        { price: { amount: '1', currency: 'USD' }, availability: 'OutOfStock', sku: 'A' },
        { price: { amount: '2', currency: 'USD' }, availability: 'LimitedAvailability', sku: 'B' },
      ],
      primaryOffer: 1,
    });
    expect(prediction).toEqual({
      price: { amount: '2', currency: 'USD' },
      availability: 'InStock',
      sku: 'B',
    });
    expect(predictionOf({ offers: [{ availability: 'PreOrder' }] }).availability).toBe(
      'OutOfStock',
    );
    expect(predictionOf({ offers: [] })).toEqual({ price: null, availability: null, sku: null });
  });
});
