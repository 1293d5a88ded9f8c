import { normalizeAvailability, normalizeCondition } from './availability';
import {
  absoluteUrl,
  cleanGtin,
  cleanText,
  type OfferDraft,
  type PageContext,
  type SourceResult,
} from './draft';
import { currencyFromHint } from './price/currencies';
import { parseAmount, parsePrice, type ParsedPrice } from './price/parse-price';

function first(tags: ReadonlyMap<string, string>, keys: string[]): string | undefined {
  for (const key of keys) {
    const value = tags.get(key);
    if (value !== undefined && value.trim() !== '') return value;
  }
  return undefined;
}

function priceFrom(
  amount: string | undefined,
  currency: string | undefined,
  context: PageContext,
): ParsedPrice | undefined {
  if (amount === undefined) return undefined;
  const code = currency ? currencyFromHint(currency) : null;
  const parsed = parseAmount(amount.trim(), code);
  if (parsed === null) return undefined;
  const fromText = code
    ? null
    : parsePrice(amount, { lang: context.lang, domain: context.host })?.currency;
  return { amount: parsed, currency: code ?? fromText ?? null };
}

/** The offer described by OpenGraph / Facebook catalogue / Pinterest product meta tags. */
export function extractOpenGraph(
  tags: ReadonlyMap<string, string>,
  context: PageContext,
): SourceResult {
  const draft: OfferDraft = {};
  const isProduct = /product/i.test(tags.get('og:type') ?? '');
  const sale = priceFrom(
    first(tags, ['product:sale_price:amount', 'og:sale_price:amount']),
    first(tags, [
      'product:sale_price:currency',
      'og:sale_price:currency',
      'product:price:currency',
      'og:price:currency',
    ]),
    context,
  );
  const price = priceFrom(
    first(tags, ['product:price:amount', 'og:price:amount', 'product:price', 'og:price']) ??
      (/price|preis|prix|precio|prezzo|prijs|cena|preço|pris/i.test(
        tags.get('twitter:label1') ?? '',
      )
        ? tags.get('twitter:data1')
        : undefined),
    first(tags, ['product:price:currency', 'og:price:currency', 'product:currency', 'og:currency']),
    context,
  );
  const original = priceFrom(
    first(tags, ['product:original_price:amount', 'og:original_price:amount']),
    first(tags, [
      'product:original_price:currency',
      'og:original_price:currency',
      'product:price:currency',
      'og:price:currency',
    ]),
    context,
  );
  if (sale) {
    draft.price = sale;
    if (price && price.amount !== sale.amount) draft.listPrice = price;
  } else if (price) {
    draft.price = price;
  }
  if (original && !draft.listPrice) draft.listPrice = original;
  const availability = first(tags, ['product:availability', 'og:availability', 'availability']);
  if (availability) draft.availability = normalizeAvailability(availability);
  const condition = first(tags, ['product:condition', 'og:condition']);
  if (condition) draft.condition = normalizeCondition(condition);
  const brand = cleanText(first(tags, ['product:brand', 'og:brand']), 256);
  if (brand) draft.brand = brand;
  const sku = cleanText(first(tags, ['product:retailer_item_id', 'product:sku', 'og:sku']), 256);
  if (sku) draft.sku = sku;
  const gtin = cleanGtin(
    first(tags, ['product:gtin', 'product:ean', 'product:upc', 'product:isbn', 'og:upc', 'og:ean']),
  );
  if (gtin) draft.gtin = gtin;
  const mpn = cleanText(first(tags, ['product:mfr_part_no', 'product:mpn']), 256);
  if (mpn) draft.mpn = mpn;
  const hasProductSignal =
    isProduct || draft.price !== undefined || draft.availability !== undefined;
  if (!hasProductSignal) return { source: 'opengraph', offers: [] };
  const name = cleanText(first(tags, ['og:title', 'twitter:title']));
  if (name) draft.name = name;
  const image = absoluteUrl(
    first(tags, ['og:image:secure_url', 'og:image', 'og:image:url', 'twitter:image']),
    context.pageUrl,
  );
  if (image) draft.image = image;
  const url = absoluteUrl(first(tags, ['og:url']), context.pageUrl);
  if (url) draft.canonicalUrl = url;
  return { source: 'opengraph', offers: [draft] };
}
