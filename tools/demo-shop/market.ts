import { unitHash, type CatalogProduct } from './catalog';

export type StockState = 'InStock' | 'OutOfStock' | 'LimitedAvailability';

export interface Quote {
  /** Current price in minor units. */
  priceMinor: number;
  /** The regular price, shown struck through while the product is on sale. */
  listPriceMinor: number | null;
  availability: StockState;
}

/** Price moves relative to the regular price; most epochs hold the price of one before. */
const MOVES = [-0.25, -0.15, -0.1, 0, 0, 0, 0.05, 0.1];

/**
 * The quote of a product in one epoch of the shop's clock: a pure function of product and epoch,
 * so every request in an epoch sees the same page and the next epoch may differ. About one
 * product in three changes price per epoch, about one in eight is out of stock, and an
 * out-of-stock product comes back in a later epoch (a restock).
 */
export function quoteAt(product: CatalogProduct, epoch: number): Quote {
  const holds = unitHash(`hold:${product.slug}:${epoch}`) < 0.65 && epoch > 0;
  const moveEpoch = holds ? lastMoveBefore(product, epoch) : epoch;
  const move = MOVES[Math.floor(unitHash(`move:${product.slug}:${moveEpoch}`) * MOVES.length)] ?? 0;
  const priceMinor = Math.max(99, Math.round((product.basePriceMinor * (1 + move)) / 10) * 10 - 1);
  const stock = unitHash(`stock:${product.slug}:${epoch}`);
  return {
    priceMinor,
    listPriceMinor: move < 0 ? product.basePriceMinor : null,
    availability: stock < 0.12 ? 'OutOfStock' : stock < 0.2 ? 'LimitedAvailability' : 'InStock',
  };
}

function lastMoveBefore(product: CatalogProduct, epoch: number): number {
  for (let earlier = epoch - 1; earlier > 0; earlier--)
    if (unitHash(`hold:${product.slug}:${earlier}`) >= 0.65) return earlier;
  return 0;
}

/** Formats minor units the way a shop in that currency prints them. */
export function formatPrice(minor: number, currency: CatalogProduct['currency']): string {
  const major = (minor / 100).toFixed(2);
  if (currency === 'EUR') return `${major.replace('.', ',')} €`;
  return `${currency === 'USD' ? '$' : '£'}${major}`;
}

/** The decimal string of minor units, as structured data carries prices. */
export function decimalPrice(minor: number): string {
  return (minor / 100).toFixed(2);
}
