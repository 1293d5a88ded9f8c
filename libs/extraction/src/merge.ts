import {
  MAX_OFFERS_PER_OBSERVATION,
  OfferSchema,
  type ExtractionSource,
  type Money,
  type Offer,
} from '@shelfwatch/contracts';
import {
  DRAFT_FIELDS,
  sameAmount,
  type DraftField,
  type OfferDraft,
  type SourceResult,
} from './draft';
import type { ParsedPrice } from './price/parse-price';

type Sourced = {
  [K in DraftField]?: { value: NonNullable<OfferDraft[K]>; source: ExtractionSource };
};

const PRICE_CONFIDENCE: Readonly<Record<ExtractionSource, number>> = {
  selector: 0.95,
  'json-ld': 0.9,
  microdata: 0.85,
  opengraph: 0.7,
  heuristic: 0.5,
};

/** Fields a single page-wide description may give to every variant of a multi-offer product. */
const PRODUCT_LEVEL: ReadonlySet<DraftField> = new Set(['name', 'brand', 'image', 'mpn']);

function isMissing(sourced: Sourced, field: DraftField): boolean {
  const entry = sourced[field];
  return entry === undefined || (field === 'availability' && entry.value === 'Unknown');
}

function fromDraft(draft: OfferDraft, source: ExtractionSource): Sourced {
  const sourced: Sourced = {};
  for (const field of DRAFT_FIELDS) {
    const value = draft[field];
    if (value !== undefined) (sourced as Record<string, unknown>)[field] = { value, source };
  }
  return sourced;
}

function identity(draft: OfferDraft | Sourced): string[] {
  const read = (field: 'sku' | 'gtin' | 'canonicalUrl'): string | undefined => {
    const entry = (draft as Record<string, unknown>)[field];
    if (entry && typeof entry === 'object' && 'value' in entry) return String(entry.value);
    return typeof entry === 'string' ? entry : undefined;
  };
  return [read('sku'), read('gtin'), read('canonicalUrl')].filter((key): key is string => !!key);
}

function donorFor(target: Sourced, donors: OfferDraft[], targetCount: number): OfferDraft | null {
  const keys = identity(target);
  const matched = donors.find((donor) => identity(donor).some((key) => keys.includes(key)));
  if (matched) return matched;
  return donors.length === 1
    ? (donors[0] as OfferDraft)
    : targetCount === donors.length
      ? null
      : null;
}

function fill(
  target: Sourced,
  donor: OfferDraft,
  source: ExtractionSource,
  onlyProductLevel: boolean,
): void {
  for (const field of DRAFT_FIELDS) {
    const value = donor[field];
    if (value === undefined || (field === 'availability' && value === 'Unknown')) continue;
    if (onlyProductLevel && !PRODUCT_LEVEL.has(field)) continue;
    if (isMissing(target, field)) (target as Record<string, unknown>)[field] = { value, source };
  }
}

function toMoney(price: ParsedPrice | undefined): Money | null {
  return price && price.currency ? { amount: price.amount, currency: price.currency } : null;
}

const greater = (a: string, b: string) => Number(a) > Number(b);

/** Drops fields the contract would reject, instead of losing the whole offer. */
function conform(offer: Offer): Offer {
  const result = OfferSchema.safeParse(offer);
  if (result.success) return result.data;
  const copy: Record<string, unknown> = { ...offer };
  for (const issue of result.error.issues) {
    const field = issue.path[0];
    if (typeof field === 'string' && field !== 'price' && field !== 'availability')
      delete copy[field];
  }
  const retry = OfferSchema.safeParse(copy);
  return retry.success ? retry.data : { price: null, availability: 'Unknown' };
}

function toOffer(sourced: Sourced, fallbackCurrency: string | null): Offer {
  const sources: Record<string, ExtractionSource> = {};
  const offer: Offer = { price: null, availability: 'Unknown' };
  const withCurrency = (price: ParsedPrice): ParsedPrice =>
    price.currency ? price : { ...price, currency: fallbackCurrency };
  for (const field of DRAFT_FIELDS) {
    const entry = sourced[field];
    if (!entry) continue;
    if (field === 'price' || field === 'listPrice') {
      const money = toMoney(withCurrency(entry.value as ParsedPrice));
      if (!money) continue;
      (offer as Record<string, unknown>)[field] = money;
    } else {
      (offer as Record<string, unknown>)[field] = entry.value;
    }
    sources[field] = entry.source;
  }
  // A "was" price is only one when it is higher than the price in the same currency.
  if (
    offer.listPrice &&
    (!offer.price ||
      offer.listPrice.currency !== offer.price.currency ||
      !greater(offer.listPrice.amount, offer.price.amount))
  ) {
    delete offer.listPrice;
    delete sources['listPrice'];
  }
  if (Object.keys(sources).length > 0) offer.sources = sources;
  return conform(offer);
}

export interface MergeInput {
  /** Results in priority order: best source first. */
  readonly ranked: readonly SourceResult[];
  readonly selectors: SourceResult;
  readonly fallbackCurrency: string | null;
  readonly canonicalUrl: string | undefined;
}

export interface MergeOutput {
  readonly offers: Offer[];
  readonly confidence: number;
}

function priceAgreement(offers: Sourced[], ranked: readonly SourceResult[]): number {
  const first = offers[0]?.price;
  if (!first) return 0;
  let delta = 0;
  for (const result of ranked) {
    if (result.source === first.source || result.offers.length === 0) continue;
    const prices = result.offers
      .map((draft) => draft.price)
      .filter((price): price is ParsedPrice => !!price);
    if (prices.length === 0) continue;
    const agrees = prices.some((price) =>
      offers.some((offer) => offer.price && sameAmount(offer.price.value.amount, price.amount)),
    );
    delta += agrees ? 0.05 : -0.15;
  }
  return Math.max(-0.3, Math.min(0.1, delta));
}

/** Merges the sources field by field, best source first, selectors over everything. */
export function mergeSources(input: MergeInput): MergeOutput {
  const { ranked, selectors } = input;
  const withOffers = ranked.filter((result) => result.offers.length > 0);
  const base =
    withOffers.find((result) => result.offers.some((draft) => draft.price)) ?? withOffers[0];
  let offers: Sourced[] = base ? base.offers.map((draft) => fromDraft(draft, base.source)) : [];
  for (const result of withOffers) {
    if (result === base) continue;
    for (const target of offers) {
      const donor = donorFor(target, result.offers, offers.length);
      if (donor)
        fill(
          target,
          donor,
          result.source,
          offers.length > 1 && result.offers.length === 1 && identity(donor).length === 0,
        );
    }
  }
  const selected = selectors.offers[0];
  if (selected) {
    if (offers.length === 0) offers = [{}];
    const price = selected.price;
    const matching = price
      ? offers.find((offer) => offer.price && sameAmount(offer.price.value.amount, price.amount))
      : undefined;
    const target = matching ?? (offers[0] as Sourced);
    for (const field of DRAFT_FIELDS) {
      const value = selected[field];
      if (value === undefined) continue;
      const entry = { value, source: 'selector' as const };
      if (field === 'name') for (const offer of offers) offer.name = entry as Sourced['name'];
      else (target as Record<string, unknown>)[field] = entry;
    }
  }
  if (offers.length === 1 && input.canonicalUrl && !offers[0]?.canonicalUrl) {
    (offers[0] as Sourced).canonicalUrl = { value: input.canonicalUrl, source: 'heuristic' };
  }
  const seen = new Set<string>();
  const result: Offer[] = [];
  for (const sourced of offers) {
    const offer = toOffer(sourced, input.fallbackCurrency);
    const key = JSON.stringify({ ...offer, sources: undefined });
    if (seen.has(key)) continue;
    seen.add(key);
    result.push(offer);
    if (result.length >= MAX_OFFERS_PER_OBSERVATION) break;
  }
  const meaningful = result.filter(
    (offer) => offer.price || offer.name || offer.availability !== 'Unknown',
  );
  return { offers: meaningful, confidence: confidenceOf(meaningful, offers, ranked, selectors) };
}

function confidenceOf(
  offers: Offer[],
  sourced: Sourced[],
  ranked: readonly SourceResult[],
  selectors: SourceResult,
): number {
  if (offers.length === 0) return 0;
  const head = offers[0] as Offer;
  const priceSource = head.sources?.['price'];
  let confidence = priceSource ? PRICE_CONFIDENCE[priceSource] : 0.2;
  if (priceSource && priceSource !== 'selector') confidence += priceAgreement(sourced, ranked);
  if (selectors.offers.length > 0 && priceSource === 'selector')
    confidence = Math.max(confidence, 0.9);
  if (!head.name) confidence -= 0.1;
  if (head.availability === 'Unknown') confidence -= 0.05;
  return Math.round(Math.min(1, Math.max(0, confidence)) * 100) / 100;
}
