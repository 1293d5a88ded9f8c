import type { Offer } from '@shelfwatch/contracts';
import type { PageEvidence } from './heuristics';
import { choosePrimaryOffer } from './primary-offer';

const variant = (
  sku: string,
  amount: string,
  availability: Offer['availability'],
  extra: Partial<Offer> = {},
): Offer => ({
  price: { amount, currency: 'EUR' },
  availability,
  sku,
  ...extra,
});
const evidence = (selected: string[] = [], selectedSku?: string): PageEvidence => ({
  visibleAmounts: [],
  netAmounts: [],
  selected,
  selectedSku,
  mainPriceScore: 0,
});
const page = 'https://shop.example.com/products/boot';

describe('choosePrimaryOffer', () => {
  const boots = () => [
    variant('B-40', '90.00', 'OutOfStock', { attributes: { color: 'Black', size: '40' } }),
    variant('B-41', '95.00', 'InStock', { attributes: { color: 'Brown', size: '41' } }),
  ];

  it('takes the variant a colour or sku parameter selects', () => {
    expect(choosePrimaryOffer(boots(), `${page}?color=brown`, evidence(), {}).primaryOffer).toBe(1);
    expect(choosePrimaryOffer(boots(), `${page}?childSku=B-40`, evidence(), {}).primaryOffer).toBe(
      0,
    );
  });

  it('takes the variant whose own URL the page is', () => {
    const offers = boots().map((offer, index) => ({ ...offer, canonicalUrl: `${page}/v${index}` }));
    const choice = choosePrimaryOffer(offers, `${page}/v1`, evidence(), {});
    expect(choice).toMatchObject({ primaryOffer: 1, basis: 'url' });
  });

  it('else takes the variant the picker shows chosen', () => {
    const choice = choosePrimaryOffer(boots(), page, evidence(['Brown', '41']), {});
    expect(choice).toMatchObject({ primaryOffer: 1, basis: 'page' });
  });

  it('else adds the product as a whole: lowest price, in stock when any variant is, its own id', () => {
    const choice = choosePrimaryOffer(boots(), page, evidence(), { name: 'Boot', sku: 'B' }, page);
    expect(choice.basis).toBe('whole');
    expect(choice.offers).toHaveLength(3);
    expect(choice.offers[2]).toMatchObject({
      name: 'Boot',
      sku: 'B',
      price: { amount: '90.00', currency: 'EUR' },
      availability: 'InStock',
      canonicalUrl: page,
    });
    expect(choice.primaryOffer).toBe(2);
  });

  it('says out of stock for the whole only when every variant is', () => {
    const offers = [variant('A', '1', 'OutOfStock'), variant('B', '2', 'OutOfStock')];
    const choice = choosePrimaryOffer(offers, page, evidence(), {});
    expect(choice.offers[choice.primaryOffer ?? 0]?.availability).toBe('OutOfStock');
  });

  it('keeps a single offer as it is', () => {
    expect(choosePrimaryOffer([variant('A', '1', 'InStock')], page, evidence(), {})).toMatchObject({
      primaryOffer: 0,
      basis: 'only',
    });
    expect(choosePrimaryOffer([], page, evidence(), {}).primaryOffer).toBeUndefined();
  });
});
