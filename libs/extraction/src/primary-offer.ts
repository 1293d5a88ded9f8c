import { MAX_OFFERS_PER_OBSERVATION, type Availability, type Offer } from '@shelfwatch/contracts';
import { sameAmount } from './draft';
import type { PageEvidence } from './heuristics';
import { idFromUrl } from './product-ids';

/*
 * Which of a page's offers the page is about. A product page with variants shows one of them:
 * the one its URL selects (Shopify's ?variant=, ?sku=, ?childSku=, ?variationId=, ?color=,
 * a variant id in the path), else the one its picker shows as chosen, else none in particular:
 * then the page is about the product as a whole, from its lowest price, in stock when any
 * variant is. Every variant stays an offer of its own.
 */

/** Query parameters shops use to select a variant. */
const VARIANT_PARAMS =
  /^(variant|variant_?id|v|sku|sku_?id|childsku|child_?sku|variation|variation_?id|vid|pid|item|item_?id|article|option|color|colour|size|farbe|taille|talla|couleur|groesse|größe)$/i;

export interface ProductWhole {
  readonly name?: string;
  readonly sku?: string;
  readonly brand?: string;
  readonly image?: string;
}

export interface PrimaryChoice {
  readonly offers: Offer[];
  readonly primaryOffer: number | undefined;
  /** How the primary offer was chosen. */
  readonly basis: 'only' | 'url' | 'page' | 'whole' | 'none';
}

const norm = (value: string) => value.trim().toLowerCase();

function paramsOf(url: string | undefined): URLSearchParams | null {
  if (!url) return null;
  try {
    return new URL(url).searchParams;
  } catch {
    return null;
  }
}

function pathOf(url: string | undefined): string | null {
  if (!url) return null;
  try {
    return new URL(url).pathname.replace(/\/$/, '');
  } catch {
    return null;
  }
}

/** Offers the page URL points at, by variant parameter, variant URL, or id. */
function urlMatches(offers: readonly Offer[], pageUrl: string): number[] {
  const page = paramsOf(pageUrl);
  const selectors: [string, string][] = [];
  for (const [key, value] of page ?? []) {
    if (VARIANT_PARAMS.test(key) && value.trim() !== '') selectors.push([key, norm(value)]);
  }
  const pathId = idFromUrl(pageUrl.split('?')[0] ?? pageUrl);
  const pagePath = pathOf(pageUrl);
  const distinctPaths = new Set(offers.map((offer) => pathOf(offer.canonicalUrl)));
  const matches: number[] = [];
  offers.forEach((offer, index) => {
    const own = paramsOf(offer.canonicalUrl);
    const values = [offer.sku, offer.gtin, ...Object.values(offer.attributes ?? {})]
      .filter((value): value is string => !!value)
      .map(norm);
    const bySelector =
      selectors.length > 0 &&
      selectors.some(
        ([key, value]) => (own && norm(own.get(key) ?? '') === value) || values.includes(value),
      );
    const byPath =
      distinctPaths.size > 1 && pagePath !== null && pathOf(offer.canonicalUrl) === pagePath;
    const byId =
      selectors.length === 0 &&
      pathId !== undefined &&
      offers.length > 1 &&
      !!offer.sku &&
      norm(offer.sku) === norm(pathId);
    if (bySelector || byPath || byId) matches.push(index);
  });
  return matches;
}

/** Offers whose sku, variant id or every attribute is what the page's picker shows chosen. */
function pageMatches(offers: readonly Offer[], evidence: PageEvidence | undefined): number[] {
  if (!evidence) return [];
  const chosen = new Set(evidence.selected.map(norm));
  if (evidence.selectedSku) chosen.add(norm(evidence.selectedSku));
  if (chosen.size === 0) return [];
  const matches: number[] = [];
  offers.forEach((offer, index) => {
    const variantId = paramsOf(offer.canonicalUrl)?.get('variant');
    const attributes = Object.values(offer.attributes ?? {});
    if (
      (offer.sku && chosen.has(norm(offer.sku))) ||
      (variantId && chosen.has(norm(variantId))) ||
      (attributes.length > 0 && attributes.every((value) => chosen.has(norm(value))))
    )
      matches.push(index);
  });
  return matches;
}

const BUYABLE: ReadonlySet<Availability> = new Set(['InStock', 'LimitedAvailability']);

function wholeAvailability(offers: readonly Offer[]): Availability {
  if (offers.some((offer) => BUYABLE.has(offer.availability))) return 'InStock';
  const known = new Set(offers.map((offer) => offer.availability));
  known.delete('Unknown');
  return known.size === 1 ? ([...known][0] as Availability) : 'Unknown';
}

/** The product as a whole: its lowest price, in stock when any variant is. */
function wholeOffer(offers: readonly Offer[], whole: ProductWhole, canonicalUrl?: string): Offer {
  // Used or refurbished offers beside new ones are other sellers' goods, not the product's price.
  const fresh = offers.filter((offer) => !offer.condition || offer.condition === 'New');
  const priced = (fresh.length > 0 ? fresh : offers).filter((offer) => offer.price);
  const currencies = new Set(priced.map((offer) => offer.price?.currency));
  const lowest =
    currencies.size === 1
      ? priced.reduce<Offer | undefined>(
          (low, offer) =>
            !low || Number(offer.price?.amount) < Number(low.price?.amount) ? offer : low,
          undefined,
        )
      : undefined;
  const offer: Offer = { price: lowest?.price ?? null, availability: wholeAvailability(offers) };
  const sources: Record<string, NonNullable<Offer['sources']>[string]> = {};
  const priceSource = lowest?.sources?.['price'];
  if (offer.price && priceSource) sources['price'] = priceSource;
  const name = whole.name ?? offers[0]?.name;
  if (name) offer.name = name;
  // The product-level id, unless it is one variant's own sku among others (the whole would then
  // look like that variant); offers that all carry one sku are one product's, so it is the id.
  const skus = new Set(offers.map((variant) => variant.sku).filter((sku) => sku !== undefined));
  const sku =
    skus.size === 1 ? [...skus][0] : whole.sku && !skus.has(whole.sku) ? whole.sku : undefined;
  if (sku) offer.sku = sku;
  const brand = whole.brand ?? offers[0]?.brand;
  if (brand) offer.brand = brand;
  const image = whole.image ?? offers[0]?.image;
  if (image) offer.image = image;
  if (canonicalUrl) offer.canonicalUrl = canonicalUrl;
  if (Object.keys(sources).length > 0) offer.sources = sources;
  return offer;
}

function sameOffer(a: Offer, b: Offer): boolean {
  return (
    a.availability === b.availability &&
    (a.price === null) === (b.price === null) &&
    (!a.price || !b.price || sameAmount(a.price.amount, b.price.amount)) &&
    a.sku === b.sku
  );
}

/** Names the offer the page is about, adding the product as a whole when no variant is chosen. */
export function choosePrimaryOffer(
  offers: Offer[],
  pageUrl: string,
  evidence: PageEvidence | undefined,
  whole: ProductWhole,
  canonicalUrl?: string,
): PrimaryChoice {
  if (offers.length === 0) return { offers, primaryOffer: undefined, basis: 'none' };
  if (offers.length === 1) return { offers, primaryOffer: 0, basis: 'only' };
  const byUrl = urlMatches(offers, pageUrl);
  if (byUrl.length === 1) return { offers, primaryOffer: byUrl[0], basis: 'url' };
  const byPage = pageMatches(offers, evidence);
  const narrowed = byUrl.length > 1 ? byPage.filter((index) => byUrl.includes(index)) : byPage;
  if (narrowed.length === 1) return { offers, primaryOffer: narrowed[0], basis: 'page' };
  // Offers that say the same thing (one product described twice) need no whole.
  if (offers.every((offer) => sameOffer(offer, offers[0] as Offer)))
    return { offers, primaryOffer: 0, basis: 'only' };
  const withWhole = offers.slice(0, MAX_OFFERS_PER_OBSERVATION - 1);
  withWhole.push(wholeOffer(offers, whole, canonicalUrl));
  return { offers: withWhole, primaryOffer: withWhole.length - 1, basis: 'whole' };
}
