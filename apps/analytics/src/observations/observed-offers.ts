import type { Offer } from '@shelfwatch/contracts';
import type { Prisma } from '@shelfwatch/db';
import { toDecimal } from '../money';
import type { ObservedState } from './change-detection';
import { identityKey, productIdentity, type ProductIdentity } from './product-identity';

/**
 * One offer per product identity (the first wins, e.g. JSON-LD over microdata of the same
 * item), in identity order so concurrent observations lock products in the same order.
 */
export function distinctOffers(
  offers: Offer[],
  fetchedUrl: string,
): Array<{ identity: ProductIdentity; offer: Offer }> {
  const byKey = new Map<string, { identity: ProductIdentity; offer: Offer }>();
  for (const offer of offers) {
    const identity = productIdentity(offer, fetchedUrl);
    const key = identityKey(identity);
    if (!byKey.has(key)) byKey.set(key, { identity, offer });
  }
  return [...byKey.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([, entry]) => entry);
}

export function observedState(offer: Offer): ObservedState & { listPrice: Prisma.Decimal | null } {
  const currency = offer.price?.currency ?? null;
  return {
    amount: toDecimal(offer.price?.amount),
    currency,
    availability: offer.availability,
    // A list price is only meaningful next to the price, in the same currency.
    listPrice:
      offer.listPrice && offer.listPrice.currency === currency
        ? toDecimal(offer.listPrice.amount)
        : null,
  };
}
