import { normalizeAvailability, normalizeCondition } from './availability';

describe('normalizeAvailability', () => {
  it.each([
    ['https://schema.org/InStock', 'InStock'],
    ['http://schema.org/OutOfStock', 'OutOfStock'],
    ['schema:PreOrder', 'PreOrder'],
    ['backorder', 'BackOrder'],
    ['LIMITEDAVAILABILITY', 'LimitedAvailability'],
    ['Discontinued', 'Discontinued'],
    ['in_stock', 'InStock'],
    ['out of stock', 'OutOfStock'],
  ] as const)('reads the schema.org spelling %s', (value, expected) => {
    expect(normalizeAvailability(value)).toBe(expected);
  });

  it.each([
    ['Sold out', 'OutOfStock'],
    ['Ausverkauft', 'OutOfStock'],
    ['Sofort lieferbar', 'InStock'],
    ['Nicht lieferbar', 'OutOfStock'],
    ['Rupture de stock', 'OutOfStock'],
    ['En stock', 'InStock'],
    ['Agotado', 'OutOfStock'],
    ['Esaurito', 'OutOfStock'],
    ['Niet op voorraad', 'OutOfStock'],
    ['Op voorraad', 'InStock'],
    ['Produkt niedostępny', 'OutOfStock'],
    ['Esgotado', 'OutOfStock'],
    ['Slutsåld', 'OutOfStock'],
    ['Není skladem', 'OutOfStock'],
    ['Skladem', 'InStock'],
    ['Нет в наличии', 'OutOfStock'],
    ['В наличии', 'InStock'],
    ['在庫切れ', 'OutOfStock'],
    ['品절', 'Unknown'],
    ['품절', 'OutOfStock'],
    ['缺货', 'OutOfStock'],
    ['Vorbestellen', 'PreOrder'],
    ['Précommande', 'PreOrder'],
    ['予約受付中', 'PreOrder'],
    ['On backorder', 'BackOrder'],
    ['Only 3 left in stock', 'LimitedAvailability'],
  ] as const)('reads the phrase %s', (value, expected) => {
    expect(normalizeAvailability(value)).toBe(expected);
  });

  it('says Unknown when the text is not about stock or contradicts itself', () => {
    expect(normalizeAvailability('Free delivery')).toBe('Unknown');
    expect(normalizeAvailability('')).toBe('Unknown');
    expect(normalizeAvailability('Pre-order now, currently sold out')).toBe('Unknown');
  });
});

describe('normalizeCondition', () => {
  it('maps schema.org conditions and words', () => {
    expect(normalizeCondition('https://schema.org/UsedCondition')).toBe('Used');
    expect(normalizeCondition('NewCondition')).toBe('New');
    expect(normalizeCondition('refurbished')).toBe('Refurbished');
    expect(normalizeCondition('???')).toBeUndefined();
  });
});
