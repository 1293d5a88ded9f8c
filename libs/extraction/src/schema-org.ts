import { asciiLower } from './ascii';
import { normalizeAvailability, normalizeCondition } from './availability';
import { absoluteUrl, cleanGtin, cleanText, type OfferDraft, type PageContext } from './draft';
import { currencyFromHint } from './price/currencies';
import { parseAmount, parsePrice, type ParsedPrice } from './price/parse-price';
import { cleanSku } from './product-ids';

/**
 * Reads schema.org Product / ProductGroup / Offer graphs into offer drafts. JSON-LD, microdata
 * and RDFa are all turned into the same plain node shape first, so they share this reader.
 */
export type SchemaNode = Record<string, unknown>;

const MAX_NODES = 5000;
const MAX_DEPTH = 16;
const MAX_OFFERS = 500;

const PRODUCT_TYPES = new Set([
  'product',
  'productgroup',
  'productmodel',
  'individualproduct',
  'someproducts',
  'vehicle',
  'car',
  'book',
  'softwareapplication',
  'dietarysupplement',
  'drug',
]);
const OFFER_TYPES = new Set(['offer', 'aggregateoffer', 'offerforpurchase']);
/** Properties that point at other products than the page's own. */
const FOREIGN_PRODUCT_PROPERTIES = new Set([
  'isrelatedto',
  'issimilarto',
  'isaccessoryorsparepartfor',
  'isconsumablefor',
  'itemlistelement',
  'hasvariant',
  'isvariantof',
  'review',
  'itemreviewed',
  'subjectof',
  'itemoffered',
  'offers',
  'model',
  'hasmerchantreturnpolicy',
  'relatedlink',
]);

/** Last segment of a type written as "Product", "schema:Product" or "https://schema.org/Product". */
export function typeName(value: string): string {
  const trimmed = value.trim();
  const cut = Math.max(
    trimmed.lastIndexOf('/'),
    trimmed.lastIndexOf('#'),
    trimmed.lastIndexOf(':'),
  );
  return trimmed.slice(cut + 1).toLowerCase();
}

export function typesOf(node: SchemaNode): string[] {
  const raw = node['@type'] ?? node['type'];
  const list = Array.isArray(raw) ? raw : [raw];
  return list.filter((entry): entry is string => typeof entry === 'string').map(typeName);
}

const isNode = (value: unknown): value is SchemaNode =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const hasType = (node: SchemaNode, set: Set<string>) => typesOf(node).some((type) => set.has(type));

/**
 * Whether `typeName(key)` can equal `lower`, judged by the key's last character: its type name
 * ends with it, lower-cased. Only a key ending in other than printable ASCII (whitespace that
 * `trim` drops, a letter whose lower case is another character) has to be read in full.
 */
function mayNameProperty(key: string, lower: string): boolean {
  const last = key.charCodeAt(key.length - 1);
  if (lower.length === 0 || !(last > 32 && last < 127)) return true;
  return asciiLower(last) === lower.charCodeAt(lower.length - 1);
}

/** Property lookup that also accepts keys written as full schema.org URLs or with a prefix. */
function prop(node: SchemaNode, name: string): unknown {
  if (name in node) return node[name];
  const lower = name.toLowerCase();
  // Most lookups are of properties the node does not have: each key is ruled out cheaply first.
  for (const key of Object.keys(node)) {
    if (mayNameProperty(key, lower) && typeName(key) === lower) return node[key];
  }
  return undefined;
}

interface Graph {
  readonly byId: Map<string, SchemaNode>;
}

function resolve(value: unknown, graph: Graph): unknown {
  if (isNode(value) && typeof value['@id'] === 'string' && Object.keys(value).length === 1) {
    return graph.byId.get(value['@id']) ?? value;
  }
  return value;
}

function list(value: unknown, graph: Graph): unknown[] {
  const values = Array.isArray(value)
    ? value
    : value === undefined || value === null
      ? []
      : [value];
  return values.map((entry) => resolve(entry, graph));
}

function first(value: unknown, graph: Graph): unknown {
  return list(value, graph)[0];
}

function textValue(value: unknown, graph: Graph, max = 1000): string | undefined {
  const resolved = first(value, graph);
  if (isNode(resolved)) return cleanText(prop(resolved, 'name') ?? prop(resolved, '@value'), max);
  return cleanText(resolved, max);
}

function imageValue(value: unknown, graph: Graph, base: string): string | undefined {
  for (const entry of list(value, graph)) {
    const candidate = isNode(entry)
      ? (prop(entry, 'url') ?? prop(entry, 'contentUrl') ?? prop(entry, '@id'))
      : entry;
    const url = absoluteUrl(Array.isArray(candidate) ? candidate[0] : candidate, base);
    if (url) return url;
  }
  return undefined;
}

function gtinValue(node: SchemaNode, graph: Graph): string | undefined {
  for (const key of ['gtin13', 'gtin', 'gtin12', 'gtin14', 'gtin8', 'ean', 'upc', 'isbn']) {
    const gtin = cleanGtin(first(prop(node, key), graph));
    if (gtin) return gtin;
  }
  return undefined;
}

function currencyValue(value: unknown, graph: Graph): string | null {
  const text = textValue(value, graph, 16);
  return text ? currencyFromHint(text) : null;
}

function priceOf(
  amountValue: unknown,
  currency: string | null,
  context: PageContext,
): ParsedPrice | undefined {
  const raw = Array.isArray(amountValue) ? amountValue[0] : amountValue;
  if (raw === undefined || raw === null || raw === '') return undefined;
  const amount = parseAmount(raw, currency);
  if (amount !== null) {
    let resolved = currency;
    if (!resolved && typeof raw === 'string') {
      resolved = parsePrice(raw, { lang: context.lang, domain: context.host })?.currency ?? null;
    }
    return { amount, currency: resolved };
  }
  return undefined;
}

const LIST_PRICE_TYPES =
  /listprice|strikethroughprice|msrp|srp|regularprice|wasprice|originalprice/i;
const UNIT_PRICE_TYPES = /unitprice|instal|subscription|minimumadvertised|saleprice/i;

interface OfferPrices {
  price?: ParsedPrice;
  listPrice?: ParsedPrice;
}

function specificationPrices(offer: SchemaNode, graph: Graph, context: PageContext): OfferPrices {
  const result: OfferPrices = {};
  for (const entry of list(prop(offer, 'priceSpecification'), graph)) {
    if (!isNode(entry)) continue;
    const currency = currencyValue(prop(entry, 'priceCurrency'), graph);
    const priceType = String(textValue(prop(entry, 'priceType'), graph) ?? '');
    const hasReference = prop(entry, 'referenceQuantity') !== undefined;
    const isCompound = hasType(entry, new Set(['compoundpricespecification']));
    if (isCompound) {
      Object.assign(result, { ...specificationPrices(entry, graph, context), ...result });
      continue;
    }
    const price = priceOf(prop(entry, 'price') ?? prop(entry, 'minPrice'), currency, context);
    if (!price) continue;
    if (LIST_PRICE_TYPES.test(priceType)) result.listPrice ??= price;
    else if (!hasReference && !UNIT_PRICE_TYPES.test(priceType)) result.price ??= price;
  }
  return result;
}

function offerDraft(offer: SchemaNode, graph: Graph, context: PageContext): OfferDraft {
  const draft: OfferDraft = {};
  const spec = specificationPrices(offer, graph, context);
  const currency =
    currencyValue(prop(offer, 'priceCurrency'), graph) ?? spec.price?.currency ?? null;
  const isAggregate = hasType(offer, new Set(['aggregateoffer']));
  const priceValue = isAggregate
    ? (prop(offer, 'lowPrice') ?? prop(offer, 'price'))
    : (prop(offer, 'price') ?? prop(offer, 'lowPrice'));
  const price = priceOf(priceValue, currency, context) ?? spec.price;
  if (price)
    draft.price = price.currency
      ? price
      : { ...price, currency: currency ?? spec.price?.currency ?? null };
  const listPrice =
    spec.listPrice ??
    priceOf(prop(offer, 'listPrice') ?? prop(offer, 'highPrice_strikethrough'), currency, context);
  if (listPrice) draft.listPrice = listPrice.currency ? listPrice : { ...listPrice, currency };
  const availability = textValue(prop(offer, 'availability'), graph, 200);
  if (availability) draft.availability = normalizeAvailability(availability);
  const condition = textValue(prop(offer, 'itemCondition'), graph, 200);
  if (condition) draft.condition = normalizeCondition(condition);
  const sku = textValue(prop(offer, 'sku'), graph, 256);
  if (sku) draft.sku = cleanSku(sku);
  const gtin = gtinValue(offer, graph);
  if (gtin) draft.gtin = gtin;
  const mpn = textValue(prop(offer, 'mpn'), graph, 256);
  if (mpn) draft.mpn = mpn;
  const url = absoluteUrl(first(prop(offer, 'url'), graph), context.pageUrl);
  if (url) draft.canonicalUrl = url;
  const image = imageValue(prop(offer, 'image'), graph, context.pageUrl);
  if (image) draft.image = image;
  const name = textValue(prop(offer, 'name'), graph);
  if (name) draft.name = name;
  return draft;
}

/** The individual offers inside an `offers` value, AggregateOffer children unfolded. */
function offerNodes(value: unknown, graph: Graph, depth = 0): SchemaNode[] {
  const nodes: SchemaNode[] = [];
  for (const entry of list(value, graph)) {
    if (!isNode(entry)) continue;
    if (depth < 2 && hasType(entry, new Set(['aggregateoffer']))) {
      const children = offerNodes(prop(entry, 'offers'), graph, depth + 1).filter(
        (child) =>
          prop(child, 'price') !== undefined || prop(child, 'priceSpecification') !== undefined,
      );
      if (children.length > 0) {
        nodes.push(...children);
        continue;
      }
    }
    nodes.push(entry);
    if (nodes.length >= MAX_OFFERS) break;
  }
  return nodes;
}

const ATTRIBUTE_PROPERTIES = [
  'color',
  'size',
  'material',
  'pattern',
  'suggestedGender',
  'suggestedAge',
];

function attributesOf(
  node: SchemaNode,
  graph: Graph,
  variesBy: string[],
): Record<string, string> | undefined {
  const attributes: Record<string, string> = {};
  const names = new Set([...ATTRIBUTE_PROPERTIES, ...variesBy]);
  for (const name of names) {
    const value = textValue(prop(node, name), graph, 200);
    if (value) attributes[name.toLowerCase() === 'colour' ? 'color' : name] = value;
  }
  for (const property of list(prop(node, 'additionalProperty'), graph)) {
    if (!isNode(property)) continue;
    const key = textValue(prop(property, 'name'), graph, 100);
    const value = textValue(prop(property, 'value'), graph, 200);
    if (key && value && variesBy.some((entry) => entry.toLowerCase() === key.toLowerCase())) {
      attributes[key.toLowerCase()] = value;
    }
  }
  return Object.keys(attributes).length > 0 ? attributes : undefined;
}

function productBase(node: SchemaNode, graph: Graph, context: PageContext): OfferDraft {
  const draft: OfferDraft = {};
  const name = textValue(prop(node, 'name'), graph);
  if (name) draft.name = name;
  const sku = textValue(
    prop(node, 'sku') ?? prop(node, 'productID') ?? prop(node, 'productGroupID'),
    graph,
    256,
  );
  if (sku) draft.sku = cleanSku(sku);
  const gtin = gtinValue(node, graph);
  if (gtin) draft.gtin = gtin;
  const mpn = textValue(prop(node, 'mpn'), graph, 256);
  if (mpn) draft.mpn = mpn;
  const brand = textValue(prop(node, 'brand') ?? prop(node, 'manufacturer'), graph, 256);
  if (brand) draft.brand = brand;
  const image = imageValue(prop(node, 'image'), graph, context.pageUrl);
  if (image) draft.image = image;
  const url = absoluteUrl(first(prop(node, 'url'), graph), context.pageUrl);
  if (url) draft.canonicalUrl = url;
  const condition = textValue(prop(node, 'itemCondition'), graph, 200);
  if (condition) draft.condition = normalizeCondition(condition);
  return draft;
}

/** Offer fields win over product fields; the product fills what the offer leaves out. */
function combine(base: OfferDraft, specific: OfferDraft): OfferDraft {
  const combined: OfferDraft = { ...base };
  for (const [key, value] of Object.entries(specific)) {
    if (value !== undefined) (combined as Record<string, unknown>)[key] = value;
  }
  if (base.attributes && specific.attributes)
    combined.attributes = { ...base.attributes, ...specific.attributes };
  // Offer names are often seller or variant labels; the product name stays the offer's name.
  if (base.name && specific.name && !specific.name.includes(base.name)) combined.name = base.name;
  return combined;
}

function productDrafts(
  node: SchemaNode,
  graph: Graph,
  context: PageContext,
  depth = 0,
): OfferDraft[] {
  const base = productBase(node, graph, context);
  const variesBy = list(prop(node, 'variesBy'), graph)
    .filter((entry): entry is string => typeof entry === 'string')
    .map((entry) => {
      const name = entry.trim().replace(/^.*[/#:]/, '');
      return name.length > 0 ? name : entry;
    });
  const variants = depth === 0 ? list(prop(node, 'hasVariant'), graph).filter(isNode) : [];
  const drafts: OfferDraft[] = [];
  for (const variant of variants.slice(0, MAX_OFFERS)) {
    for (const draft of productDrafts(variant, graph, context, depth + 1)) {
      const attributes = attributesOf(variant, graph, variesBy);
      drafts.push(
        combine(
          base,
          attributes ? { ...draft, attributes: { ...attributes, ...draft.attributes } } : draft,
        ),
      );
    }
  }
  if (drafts.length > 0) return drafts;
  const offers = offerNodes(prop(node, 'offers'), graph);
  // Some shops put price and availability on the product itself; read it as its own offer.
  if (
    offers.length === 0 &&
    (prop(node, 'price') !== undefined || prop(node, 'availability') !== undefined)
  ) {
    offers.push(node);
  }
  const ownAttributes = depth > 0 ? attributesOf(node, graph, variesBy) : undefined;
  const withAttributes = ownAttributes ? { ...base, attributes: ownAttributes } : base;
  if (offers.length === 0) return [withAttributes];
  return offers.map((offer) => combine(withAttributes, offerDraft(offer, graph, context)));
}

interface FoundProduct {
  readonly node: SchemaNode;
  readonly order: number;
}

/** Finds the product nodes of the page, leaving out related, similar and listed products. */
function findProducts(roots: unknown[]): { products: FoundProduct[]; offers: SchemaNode[] } {
  const products: FoundProduct[] = [];
  const offers: SchemaNode[] = [];
  let visited = 0;
  const visit = (value: unknown, depth: number, inList: boolean) => {
    if (visited++ > MAX_NODES || depth > MAX_DEPTH) return;
    if (Array.isArray(value)) {
      for (const entry of value) visit(entry, depth + 1, inList);
      return;
    }
    if (!isNode(value)) return;
    const types = typesOf(value);
    if (types.some((type) => PRODUCT_TYPES.has(type))) {
      if (!inList) products.push({ node: value, order: products.length });
      return;
    }
    if (types.some((type) => OFFER_TYPES.has(type)) && !inList) {
      offers.push(value);
      return;
    }
    const isList =
      types.includes('itemlist') ||
      types.includes('offercatalog') ||
      types.includes('breadcrumblist');
    for (const [key, child] of Object.entries(value)) {
      if (key === '@context') continue;
      const name = typeName(key);
      const foreign =
        FOREIGN_PRODUCT_PROPERTIES.has(name) && name !== 'offers' && name !== 'itemoffered';
      visit(child, depth + 1, inList || isList || foreign);
    }
  };
  for (const root of roots) visit(root, 0, false);
  return { products, offers };
}

function indexIds(roots: unknown[]): Graph {
  const byId = new Map<string, SchemaNode>();
  let visited = 0;
  const visit = (value: unknown, depth: number) => {
    if (visited++ > MAX_NODES || depth > MAX_DEPTH) return;
    if (Array.isArray(value)) {
      for (const entry of value) visit(entry, depth + 1);
      return;
    }
    if (!isNode(value)) return;
    const id = value['@id'];
    if (typeof id === 'string' && Object.keys(value).length > 1 && !byId.has(id))
      byId.set(id, value);
    for (const child of Object.values(value)) visit(child, depth + 1);
  };
  for (const root of roots) visit(root, 0);
  return { byId };
}

function comparableUrl(url: string | undefined): string | null {
  if (!url) return null;
  try {
    const parsed = new URL(url);
    return `${parsed.hostname.replace(/^www\./, '')}${parsed.pathname.replace(/\/$/, '')}`.toLowerCase();
  } catch {
    return null;
  }
}

const normalizedName = (name: string | undefined) =>
  (name ?? '').toLowerCase().replace(/\s+/g, ' ').trim();

/** How strongly a product looks like the page's main product. */
function mainProductScore(drafts: OfferDraft[], context: PageContext, order: number): number {
  const head = drafts[0] ?? {};
  let score = -order * 0.01;
  if (drafts.some((draft) => draft.price)) score += 2;
  const page = comparableUrl(context.pageUrl);
  if (page && drafts.some((draft) => comparableUrl(draft.canonicalUrl) === page)) score += 3;
  const heading = normalizedName(context.heading ?? undefined);
  const name = normalizedName(head.name);
  if (heading && name && (heading === name || heading.includes(name) || name.includes(heading)))
    score += 2;
  return score;
}

function sameProduct(a: OfferDraft[], b: OfferDraft[]): boolean {
  const [left, right] = [a[0] ?? {}, b[0] ?? {}];
  if (left.sku && right.sku) return left.sku === right.sku;
  if (left.gtin && right.gtin) return left.gtin === right.gtin;
  return (
    normalizedName(left.name) !== '' && normalizedName(left.name) === normalizedName(right.name)
  );
}

/** Fills gaps of `target` drafts from another description of the same product. */
function fillFrom(target: OfferDraft[], other: OfferDraft[]): OfferDraft[] {
  if (target.every((draft) => !draft.price) && other.some((draft) => draft.price)) {
    return other.map((draft) => combine(target[0] ?? {}, draft));
  }
  const donor = other[0] ?? {};
  return target.map((draft) => {
    const filled: OfferDraft = { ...draft };
    for (const [key, value] of Object.entries(donor)) {
      const field = key as keyof OfferDraft;
      if (
        filled[field] === undefined &&
        value !== undefined &&
        (other.length === 1 || field !== 'price')
      ) {
        (filled as Record<string, unknown>)[field] = value;
      }
    }
    return filled;
  });
}

/** The offers of the page's main product described by the given schema.org roots. */
export interface SchemaDrafts {
  readonly drafts: OfferDraft[];
  /** The main product's own fields (name, product-level sku, brand), without any offer's. */
  readonly product?: OfferDraft;
}

export function draftsFromSchemaRoots(roots: unknown[], context: PageContext): SchemaDrafts {
  const graph = indexIds(roots);
  const { products, offers } = findProducts(roots);
  if (products.length === 0) {
    return {
      drafts: offers.slice(0, MAX_OFFERS).map((offer) => {
        const item = first(prop(offer, 'itemOffered'), graph);
        const base = isNode(item) ? productBase(item, graph, context) : {};
        return combine(base, offerDraft(offer, graph, context));
      }),
    };
  }
  const described = products.map(({ node, order }) => {
    const drafts = productDrafts(node, graph, context);
    return { node, drafts, score: mainProductScore(drafts, context, order) };
  });
  described.sort((a, b) => b.score - a.score);
  const chosen = described[0] as { node: SchemaNode; drafts: OfferDraft[] };
  const product = productBase(chosen.node, graph, context);
  let main = chosen.drafts;
  for (const other of described.slice(1)) {
    if (sameProduct(main, other.drafts)) main = fillFrom(main, other.drafts);
  }
  // Offers published as separate nodes (itemOffered pointing back at the product).
  if (main.every((draft) => !draft.price) && offers.length > 0) {
    const base = main[0] ?? {};
    main = offers.map((offer) => combine(base, offerDraft(offer, graph, context)));
  }
  return { drafts: main.slice(0, MAX_OFFERS), product };
}
