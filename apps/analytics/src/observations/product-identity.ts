import type { Offer } from '@shelfwatch/contracts';

export interface ProductIdentity {
  canonicalUrl: string;
  /** Tells the variants of one page apart; "" when the offer names no variant. */
  variantKey: string;
  host: string;
}

function withoutFragment(raw: string): URL {
  const url = new URL(raw);
  url.hash = '';
  return url;
}

/**
 * Who an offer is: the page's canonical URL (the fetched URL when the page declares none) plus
 * the most specific variant id it carries, GTIN before SKU before its variant attributes. So
 * the sizes of one page are separate products, and the same page reached through two URLs is
 * one product.
 */
export function productIdentity(offer: Offer, fetchedUrl: string): ProductIdentity {
  const canonical = withoutFragment(offer.canonicalUrl ?? fetchedUrl);
  return {
    canonicalUrl: canonical.href,
    variantKey: variantKeyOf(offer),
    host: canonical.hostname.toLowerCase(),
  };
}

function variantKeyOf(offer: Offer): string {
  if (offer.gtin) return `gtin:${offer.gtin.padStart(14, '0')}`;
  if (offer.sku) return `sku:${offer.sku}`;
  const attributes = Object.entries(offer.attributes ?? {});
  if (attributes.length === 0) return '';
  attributes.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `attrs:${JSON.stringify(Object.fromEntries(attributes))}`;
}

export function identityKey(identity: ProductIdentity): string {
  return `${identity.canonicalUrl}\n${identity.variantKey}`;
}
