import type { Availability } from '@shelfwatch/contracts';
import { normalizeAvailability } from './availability';
import { attr, collapse, hasAncestor, isElement, textOf, type DomNode } from './dom';
import { cleanText, type OfferDraft, type PageContext, type SourceResult } from './draft';
import { parsePrice, type ParsedPrice } from './price/parse-price';
import { idAfterLabel, idFromUrl, labelledId } from './product-ids';

/*
 * When a page has no usable markup, read it the way a shopper does: the price is the amount
 * shown next to the product's heading and its add-to-cart button, a struck-through amount next
 * to it is the "was" price, and amounts per kilogram or per month are not the price.
 */

const MAX_CANDIDATES = 400;
const MAX_ELEMENTS = 60_000;

const PRICE_HINT =
  /price|preis|prix|precio|prezzo|prijs|cena|preço|pris|hinta|amount|cost|money|betrag/i;
const CURRENT_HINT =
  /sale|special|current|final|now|actual|offer|promo|our-?price|selling|deal|reduced/i;
const LIST_HINT =
  /old|was|compare|strike|before|list-?price|original|rrp|uvp|msrp|crossed|line-?through|retail|statt|previous|regular-price--strike|oldprice/i;
const LIST_WORDS =
  /^(was|statt|vorher|avant|antes|prima|voorheen|uvp|rrp|msrp|list price|regular price|reg\.|ehemals|zuvor|norm(al)?preis|prix barré|precio anterior|precio normal|prezzo di listino|van|cena regularna|de|från|fra|ord\.?|ordinarie)\b/i;
/** Class or id tokens of blocks that show other products' prices or site chrome. */
const NOISE_TOKEN =
  /^(related|recommend|upsell|up-sell|cross-?sell|similar|also-|recently|carousel|mini-?cart|cart-?drawer|bundle|accessor|breadcrumb|menu|newsletter|review|popup|modal|banner|announcement|sims|sponsored|site-?header|site-?footer|footer|recs?-|you-may)/i;

/** Spacing utility classes ("banner-margin-small") say nothing about what a block holds. */
const UTILITY_TOKEN = /margin|padding|spacing|gutter/i;

function isNoiseContainer(marker: string): boolean {
  return marker
    .split(/[\s_]+/)
    .some((token) => token.length > 0 && NOISE_TOKEN.test(token) && !UTILITY_TOKEN.test(token));
}

/**
 * Whether an element's class, id, itemprop or test id marks a noise block, each value judged
 * once per page: pages repeat the same class lists thousands of times, while the ids that make
 * every element's whole marker unique are judged on their own. A marker's tokens are the union
 * of its parts' tokens, so this equals `isNoiseContainer(classAndId(node))`.
 */
function noiseMemo(): (node: DomNode) => boolean {
  return markerMemo(isNoiseContainer);
}

/**
 * Whether an element's class, id, itemprop or test id passes `test`, each distinct value
 * judged once per page. Equal to testing `classAndId(node)` for any test that cannot match
 * across the spaces that join the four values.
 */
function markerMemo(test: (value: string) => boolean): (node: DomNode) => boolean {
  const known = new Map<string, boolean>();
  const passes = (value: string | undefined): boolean => {
    if (value === undefined || value === '') return false;
    let result = known.get(value);
    if (result === undefined) {
      result = test(value);
      known.set(value, result);
    }
    return result;
  };
  return (node) => {
    const attribs = node.attribs;
    if (!attribs) return false;
    return (
      passes(attribs['class']) ||
      passes(attribs['id']) ||
      passes(attribs['itemprop']) ||
      passes(attribs['data-testid'])
    );
  };
}

/** Whether an element carries any of the attributes `classAndId` reads. */
const hasMarker = (node: DomNode): boolean => {
  const attribs = node.attribs;
  return (
    attribs !== undefined &&
    (attribs['class'] !== undefined ||
      attribs['id'] !== undefined ||
      attribs['itemprop'] !== undefined ||
      attribs['data-testid'] !== undefined)
  );
};
const HIDDEN_CLASS =
  /(^|\s)(hidden|d-none|visually-hidden|sr-only|screen-reader-text|hide|is-hidden|u-hidden|[a-z]{1,6}-hidden)(\s|$)/i;
const PER_UNIT =
  /(\/|per|pro|le|la|je|par|за|の)\s*(\d+(?:[.,]\d+)?\s*)?(kg|g|gr|l|ltr|ml|cl|dl|m|m²|m2|qm|lb|lbs|oz|fl\.? ?oz|kilo|kilogramm|liter|litre|meter|metre|100 ?g|100 ?ml|1 ?kg|1 ?l|sq ?ft|кг|л|шт|個)\b|unit price|grundpreis|prix au kilo|precio por|prezzo al|eenheidsprijs|cena za|jämförpris|jednotková cena|単価|단가/i;
/*
 * A price per item ("/unit", "each") is the price; what follows is not: an amount saved, a
 * shipping cost, a member-only or a bulk-quantity price, a net price where gross is shown.
 */
const SAVING =
  /\bsave\b|\bsaving|you save|\d\s*% off|\boff\b|sparen|sie sparen|ersparnis|économ|ahorr|risparmi|economi[zs]e|bespaar|oszczędz|ušetř|эконом|скидка|割引|节省|cashback/i;
const SHIPPING =
  /shipping|delivery|postage|versand|lieferkosten|porto|livraison|frais de port|envío|envio|gastos de env|frete|spedizione|verzend|bezorg|wysyłk|doprava|poštovn|доставк|送料|运费|運費|배송비/i;
/** "plus shipping", "inkl. Versand": words about shipping that qualify a price, not name one. */
const SHIPPING_QUALIFIER =
  /(zzgl\.?|plus|excl\.?|excluding|exkl\.?|incl\.?|including|inkl\.?|free|gratis|kostenlos|kostenloser|hors|sans|franco( de port)?|en sus|más|mais|sin|senza|escluse?|incluse?)\s*(de |der |des |the )?(shipping|delivery|postage|versand\w*|lieferkosten|porto|livraison|frais de port|envío|envio|gastos de envío|frete|spedizione|verzend\w*)/gi;
const MEMBER =
  /\b(club|member|members|membership|loyalty|rewards?)\b.{0,12}price|price.{0,12}\b(club|members?)\b|mitgliederpreis|prix (adhérent|membre)|precio (socio|miembro)|会員価格/i;
const QUANTITY =
  /\b(buy|ab|from|à partir de|a partir de|desde|vanaf|od)\s+\d+\s*(\+|or more|und mehr|pcs|pieces|items|stück|st\.?|unités|unidades)?\s*(for|für|pour|por|voor|za)?\b|\b\d+\s*\+\s*(pcs|items|for|:)|\bqty\.?\s*\d|staffelpreis|mengenrabatt|quantity discount/i;
const NET_PRICE =
  /\b(excl|excluding|exkl|zzgl|ohne|hors|sans|sin|sem|senza|netto|net)\.?\s*(vat|tax|mwst|ust|tva|iva|btw|dph|ндс)|\bnetto\b|\(net\)|\bHT\b|\bnet price\b|税抜|税別/i;
/** Class names shops give the net and the gross figure ("price-excluding-tax"). */
const NET_MARKER = /excl(uding)?[-_]?(vat|tax)|net[-_]?price|price[-_]?net\b|netto/i;
const GROSS_MARKER = /incl(uding)?[-_]?(vat|tax)|gross[-_]?price|price[-_]?gross|brutto/i;
const GROSS_PRICE =
  /\b(incl|including|inkl|mit|avec|con|com|incluso|inclusief|vč|s)\.?\s*(\d+\s*%\s*)?(vat|tax|mwst|ust|tva|iva|btw|dph|ндс)|\bbrutto\b|\bTTC\b|税込/i;

function ancestorMarkers(node: DomNode, levels: number): string {
  let out = '';
  let current: DomNode | null = node;
  for (let level = 0; level < levels && current && isElement(current); level++) {
    out += ` ${attr(current, 'class') ?? ''} ${attr(current, 'id') ?? ''}`;
    current = current.parent;
  }
  return out;
}

/** A class or id naming a shipping box ("shipping-cost", "deliveryBlock"), not "shipping-taxable". */
const SHIPPING_BLOCK =
  /^([a-z]+[-_])?(shipping|delivery|postage|versand|livraison|envio|frete)([-_]?(cost|price|fee|info|message|block|msg|charge|rate|kosten|prix|precio|details?)[\w-]*)?$/i;

/** Prices inside a shipping or delivery box a few levels up are shipping costs. */
function inShippingBlock(node: DomNode): boolean {
  let current: DomNode | null = node;
  for (let level = 0; level < 5 && current && isElement(current); level++) {
    const marker = `${attr(current, 'class') ?? ''} ${attr(current, 'id') ?? ''}`;
    if (marker.split(/\s+/).some((token) => SHIPPING_BLOCK.test(token))) return true;
    current = current.parent;
  }
  return false;
}

const INSTALMENT =
  /\/\s*(mo|mth|month|mois|monat|mes|mese|maand|miesiąc|mån)\b|per month|a month|monthly|monatlich|mensuel|par mois|al mes|al mese|per maand|miesięcznie|\b\d+\s*[x×]\s|[x×]\s*\d+\b|instal+ments?|payments? of|\braten\b|ratenzahlung|finanzierung|cuotas|\brate\b|mensualit|klarna|afterpay|affirm|\bzip\b|sezzle|pay later|parcelas?|em até|sem juros|\bapr\b|\bvon\b.*\bmonat/i;
const CART_TEXT =
  /add to (cart|bag|basket|trolley)|buy now|buy it now|in den warenkorb|in den einkaufswagen|jetzt kaufen|ajouter au panier|acheter|añadir (al|a la) (carrito|cesta)|comprar|aggiungi al carrello|acquista|in winkelwagen|toevoegen aan|do koszyka|dodaj do|adicionar ao carrinho|lägg i (varukorgen|kundvagnen)|köp|do košíku|koupit|в корзину|купить|カートに入れる|カートに追加|購入|장바구니|구매하기|加入购物车|加入購物車|立即购买|sold out|ausverkauft|épuisé|agotado|esaurito|uitverkocht|out of stock|pre-?order|vorbestellen|précommander/i;
const CART_ATTR =
  /add-?to-?cart|addtocart|add_to_cart|add-?to-?bag|addtobag|buy-?now|product-?form__submit|btn-?cart|single_add_to_cart|product-addtocart|cart-?button|button--add/i;
/**
 * A longer text holds a price only if it shows some currency; a bare amount ("199,00" in a
 * price element) is short. This skips the many sentences that merely contain a number.
 */
const MONEY_HINT =
  /[$€£¥₹₩₽₺₴₫฿₱₪৳₸¢]|\b[A-Z]{3}\b|\b(kr|zł|lei|kč|ft|rs|tl|rm|rp|fr|chf|sfr|руб|грн|лв)\.?|円|元|원|р\.|:-|,-/i;
const LABEL_SHAPE = /\d|[:：#]\s*$/;
/** Words of stock lines, to pick the few short texts worth reading as availability. */
const STOCK_WORDS =
  /stock|availab|unavailab|sold ?out|lager|lieferbar|verfügbar|ausverkauft|dispon|indispon|épuisé|agotad|esgotad|esaurit|voorraad|uitverkocht|magazyn|dostępn|skladem|skladom|vypredan|наличи|распрод|在庫|売り切れ|品切れ|库存|庫存|有貨|缺貨|缺货|现货|現貨|售完|售罄|재고|품절|în stoc|stoc epuizat|indisponibil/i;
const STOCK_HINT =
  /stock|availab|inventory|lieferbar|verfueg|verfüg|dispon|lager|voorraad|magazyn|sklad|наличи|在庫|재고|库存/i;

interface Candidate {
  readonly node: DomNode;
  readonly order: number;
  readonly price: ParsedPrice;
  readonly isList: boolean;
  readonly net: boolean;
  readonly score: number;
}

/**
 * Where the landmark walk reached an element, in document order. It is kept on the element
 * itself under a symbol: a Map over tens of thousands of elements cost more than the rest of
 * the walk. Each page is parsed afresh, so no other page's walk ever wrote it.
 */
const ORDER = Symbol('landmark order');
type Ordered = DomNode & { [ORDER]?: number };
const orderOf = (node: DomNode): number | undefined => (node as Ordered)[ORDER];

interface Landmarks {
  heading: DomNode | null;
  headingOrder: number;
  cart: DomNode | null;
  cartOrder: number;
  cartDisabled: boolean;
  cartText: string;
  priceTexts: DomNode[];
  /** Elements marked as stock info, or short texts with a stock word, in document order. */
  stockNodes: { node: DomNode; order: number; text?: string }[];
  /** Ids printed after a label ("SKU: 123"), with the document order of where they stand. */
  labelledIds: { id: string; order: number }[];
  /** Values and labels of the chosen options of variant pickers (selected, checked). */
  selected: string[];
  /** `data-sku` of a chosen option: the variant the page shows. */
  selectedSku: string | undefined;
}

const classAndId = (node: DomNode): string =>
  `${attr(node, 'class') ?? ''} ${attr(node, 'id') ?? ''} ${attr(node, 'itemprop') ?? ''} ${attr(node, 'data-testid') ?? ''}`;

function isHidden(node: DomNode): boolean {
  const style = (attr(node, 'style') ?? '').replace(/\s/g, '').toLowerCase();
  return (
    attr(node, 'hidden') !== undefined ||
    style.includes('display:none') ||
    style.includes('visibility:hidden') ||
    HIDDEN_CLASS.test(attr(node, 'class') ?? '')
  );
}

const SKIP = new Set([
  'script',
  'style',
  'noscript',
  'template',
  'svg',
  'head',
  'select',
  'textarea',
  'iframe',
]);
const LAYOUT_NOISE = new Set(['header', 'footer', 'nav', 'aside']);
/** Their classes are page-wide flags (experiments, features), never a block of other products. */
const PAGE_ROOTS = new Set(['html', 'body', 'main']);
const PRODUCT_TITLE = /(product|item|prod)[-_]?(name|title)|^title$|(^|\s)title(\s|$)/i;

function isCart(node: DomNode): { text: string } | null {
  const name = node.name ?? '';
  if (name !== 'button' && name !== 'input' && name !== 'a' && name !== 'form') return null;
  if (name === 'form') {
    const action = attr(node, 'action') ?? '';
    return /cart\/add|add-?to-?cart|checkout\/cart\/add|basket\/add|warenkorb/i.test(action)
      ? { text: '' }
      : null;
  }
  if (name === 'input' && !/submit|button|image/i.test(attr(node, 'type') ?? '')) return null;
  // Computed only when needed: a large page has thousands of links, and a link counts as the
  // buy control only by its markup, never by its text.
  const text = (): string =>
    name === 'input'
      ? (attr(node, 'value') ?? attr(node, 'alt') ?? attr(node, 'title') ?? '')
      : textOf(node, 80);
  const marker = `${classAndId(node)} ${attr(node, 'name') ?? ''}`;
  if (
    CART_ATTR.test(marker) ||
    attr(node, 'name') === 'add' ||
    attr(node, 'name') === 'add-to-cart'
  )
    return { text: text() };
  if (name === 'a') return null;
  const shown = text();
  return CART_TEXT.test(shown) ? { text: shown } : null;
}

/** One pass over the body: document order, the heading, the cart control, price-looking text. */
function findLandmarks(root: DomNode): Landmarks {
  const landmarks: Landmarks = {
    heading: null,
    headingOrder: -1,
    cart: null,
    cartOrder: -1,
    cartDisabled: false,
    cartText: '',
    priceTexts: [],
    stockNodes: [],
    labelledIds: [],
    selected: [],
    selectedSku: undefined,
  };
  let order = 0;
  let pendingLabel = false;
  let fallbackHeading: { node: DomNode; order: number } | null = null;
  const isNoise = noiseMemo();
  // STOCK_HINT has no space and no anchor, so it matches the marker iff it matches a part.
  const isStockHinted = markerMemo((value) => STOCK_HINT.test(value));
  // Each entry carries its parent's document order, so text nodes need no map lookup.
  // Three parallel stacks rather than one of small objects: no allocation per node.
  const nodes: DomNode[] = [root];
  const noisyFlags: boolean[] = [false];
  const parentOrders: number[] = [0];
  while (nodes.length > 0 && order < MAX_ELEMENTS) {
    const node = nodes.pop() as DomNode;
    const noisy = noisyFlags.pop() as boolean;
    const at = parentOrders.pop() as number;
    if (node.type === 'text') {
      const data = node.data ?? '';
      if (!noisy && landmarks.labelledIds.length < 20 && data.length <= 80 && /\S/.test(data)) {
        const where = at;
        const afterLabel: string | undefined = pendingLabel ? idAfterLabel(data) : undefined;
        // Only a text with a digit or ending like a label ("SKU:") can hold or start an id.
        const labelled: ReturnType<typeof labelledId> =
          afterLabel || !LABEL_SHAPE.test(data) ? null : labelledId(data);
        const id: string | undefined = afterLabel ?? labelled?.id;
        if (id) landmarks.labelledIds.push({ id, order: where });
        pendingLabel = labelled?.label === true;
        if (landmarks.stockNodes.length < 80 && data.length <= 100 && STOCK_WORDS.test(data))
          landmarks.stockNodes.push({ node: node.parent as DomNode, order: where, text: data });
      }
      if (
        !noisy &&
        landmarks.priceTexts.length < 5000 &&
        data.length < 200 &&
        /[\d\u0660-\u0669\u06f0-\u06f9]/.test(data) &&
        node.parent &&
        (data.length <= 24 || MONEY_HINT.test(data))
      )
        landmarks.priceTexts.push(node.parent);
      continue;
    }
    if (!isElement(node) && node.type !== 'root') continue;
    const name = node.name ?? '';
    if (name === 'select' && !noisy) readSelectedOptions(node, landmarks);
    if (name === 'input' && !noisy && attr(node, 'checked') !== undefined) chosen(node, landmarks);
    if (SKIP.has(name)) continue;
    (node as Ordered)[ORDER] = order++;
    // Most elements have no class, id, itemprop or test id: their marker is blank.
    const marked = hasMarker(node);
    const childNoisy =
      noisy ||
      (LAYOUT_NOISE.has(name) &&
        !hasAncestor(node, (up) => up.name === 'main' || up.name === 'article')) ||
      (!PAGE_ROOTS.has(name) && marked && isNoise(node));
    if (name === 'h1' && !landmarks.heading && !childNoisy) {
      landmarks.heading = node;
      landmarks.headingOrder = order;
    }
    if (
      !landmarks.heading &&
      !fallbackHeading &&
      !childNoisy &&
      (name === 'h2' || (marked && PRODUCT_TITLE.test(classAndId(node)))) &&
      textOf(node, 200).length > 3
    ) {
      fallbackHeading = { node, order };
    }
    if (!landmarks.cart && !childNoisy) {
      const cart = isCart(node);
      if (cart) {
        landmarks.cart = node;
        landmarks.cartOrder = order;
        landmarks.cartText = cart.text;
        landmarks.cartDisabled =
          attr(node, 'disabled') !== undefined || attr(node, 'aria-disabled') === 'true';
      }
    }
    if (!childNoisy && landmarks.stockNodes.length < 50 && marked && isStockHinted(node)) {
      landmarks.stockNodes.push({ node, order });
    }
    const children = node.children ?? [];
    for (let index = children.length - 1; index >= 0; index--) {
      nodes.push(children[index] as DomNode);
      noisyFlags.push(childNoisy);
      parentOrders.push(order - 1);
    }
  }
  // Older pages style a paragraph or a second-level heading as the product's title.
  if (!landmarks.heading && fallbackHeading) {
    landmarks.heading = fallbackHeading.node;
    landmarks.headingOrder = fallbackHeading.order;
  }
  return landmarks;
}

function chosen(node: DomNode, landmarks: Landmarks): void {
  if (landmarks.selected.length >= 40) return;
  for (const value of [attr(node, 'value'), attr(node, 'data-value'), textOf(node, 100)]) {
    const text = value?.trim();
    if (text) landmarks.selected.push(text);
  }
  const sku = attr(node, 'data-sku')?.trim();
  if (sku && !landmarks.selectedSku) landmarks.selectedSku = sku;
}

/** The option a variant picker shows as chosen (`<option selected>`). */
function readSelectedOptions(select: DomNode, landmarks: Landmarks): void {
  const stack = [...(select.children ?? [])];
  while (stack.length > 0) {
    const node = stack.pop() as DomNode;
    if (node.name === 'option') {
      if (attr(node, 'selected') !== undefined) chosen(node, landmarks);
    } else if (node.children) stack.push(...node.children);
  }
}

/**
 * What one page's price reading has already worked out. Candidate holders climb through the
 * same wrappers and look at the same neighbours, so each element's price text and each text's
 * parse is computed once per page rather than once per text node that reaches it.
 */
class PriceReadings {
  private readonly texts = new Map<DomNode, string>();
  private readonly bare = new Map<string, ParsedPrice | null>();

  /** `priceText` of an element, computed once. */
  textOf(node: DomNode): string {
    let text = this.texts.get(node);
    if (text === undefined) {
      text = priceText(node);
      this.texts.set(node, text);
    }
    return text;
  }

  /** `parsePrice` of a text without page context, computed once. */
  parse(text: string): ParsedPrice | null {
    let parsed = this.bare.get(text);
    if (parsed === undefined) {
      parsed = parsePrice(text);
      this.bare.set(text, parsed);
    }
    return parsed;
  }
}

/** `out` followed by the price text of `current` (inside `root`), as `priceText` reads it. */
function appendPriceText(current: DomNode, root: DomNode, out: string): string {
  if (out.length > 160) return out;
  if (current.type === 'text') return out + (current.data ?? '');
  if (!isElement(current) || SKIP.has(current.name ?? '')) return out;
  if (current !== root && isHidden(current)) return out;
  if (current.name === 'sup') {
    const inner = textOf(current, 10);
    if (/^\d{2}$/.test(inner) && /\d$/.test(out.trimEnd())) {
      // "2.299<sup>99</sup>": the cents take the separator the thousands do not use.
      const separator = /\.\d{3}$/.test(out.trimEnd()) ? ',' : '.';
      return `${out.trimEnd()}${separator}${inner}`;
    }
  }
  const block = !INLINE.has(current.name ?? '');
  if (block) out += ' ';
  for (const child of current.children ?? []) {
    if (out.length > 160) return out;
    out = appendPriceText(child, root, out);
  }
  if (block) out += ' ';
  return out;
}

/** Text of a price element; superscript cents ("19<sup>99</sup>") get their decimal point back. */
function priceText(node: DomNode): string {
  return collapse(appendPriceText(node, node, ''));
}

const INLINE = new Set([
  'span',
  'small',
  'strong',
  'b',
  'em',
  'i',
  'sup',
  'sub',
  'bdi',
  'ins',
  'del',
  's',
  'strike',
  'abbr',
  'font',
  'u',
  'data',
  'meta',
]);

/** Words right next to a price ("/kg", "per month", "List Price:") from inline siblings. */
function nearbyText(node: DomNode, readings: PriceReadings, withNext = true): string {
  const siblings = node.parent?.children ?? [];
  const index = siblings.indexOf(node);
  const piece = (sibling: DomNode | undefined): string => {
    if (!sibling) return '';
    if (sibling.type === 'text') return sibling.data ?? '';
    if (!isElement(sibling) || !INLINE.has(sibling.name ?? '')) return '';
    const text = textOf(sibling, 60);
    // A neighbouring amount with its own currency is another price, not a qualifier of this one.
    return readings.parse(text)?.currency ? '' : text;
  };
  return collapse(
    `${piece(siblings[index - 1]).slice(-60)} ${readings.textOf(node)} ${withNext ? piece(siblings[index + 1]).slice(0, 60) : ''}`,
  );
}

const NUMBER_GROUPS =
  /[\d\u0660-\u0669\u06f0-\u06f9](?:[\d\u0660-\u0669\u06f0-\u06f9.,'\u066b\u066c]|\s(?=\d{3}))*/g;

/**
 * The element that holds a whole price: climbs from the text's own element while the wrapper
 * still shows just this one amount ("$" + "19" + "99" split over spans), and stops before a
 * wrapper that also holds a second amount (old and new price side by side).
 */
function priceHolder(node: DomNode, readings: PriceReadings): DomNode {
  let holder = node;
  const amount = readings.parse(readings.textOf(node))?.amount;
  for (let level = 0; level < 4; level++) {
    const parent = holder.parent;
    if (!parent || !isElement(parent)) break;
    const text = readings.textOf(parent);
    if (text.length > 50 || (text.match(NUMBER_GROUPS) ?? []).length !== 1) break;
    const wider = readings.parse(text)?.amount;
    if (amount !== undefined && (wider === undefined || !wider.startsWith(amount))) break;
    holder = parent;
  }
  return holder;
}

function looksStruck(node: DomNode): boolean {
  let current: DomNode | null = node;
  for (let level = 0; level < 4 && current; level++) {
    const name = current.name ?? '';
    if (name === 'del' || name === 's' || name === 'strike') return true;
    const marker = classAndId(current);
    // "product-sale product-retail": a block marked current as well is not a was-price.
    if (LIST_HINT.test(marker) && !CURRENT_HINT.test(marker)) return true;
    if (/line-through/i.test(attr(current, 'style') ?? '')) return true;
    if (attr(current, 'data-a-strike') === 'true') return true;
    current = current.parent;
  }
  return false;
}

function inHiddenTree(node: DomNode): boolean {
  let current: DomNode | null = node;
  for (let level = 0; level < 6 && current; level++) {
    if (isHidden(current)) return true;
    current = current.parent;
  }
  return false;
}

function commonAncestor(a: DomNode | null, b: DomNode | null): DomNode | null {
  if (!a || !b) return null;
  const ancestors = new Set<DomNode>();
  for (let current: DomNode | null = a; current; current = current.parent) ancestors.add(current);
  for (let current: DomNode | null = b; current; current = current.parent)
    if (ancestors.has(current)) return current;
  return null;
}

function contains(ancestor: DomNode, node: DomNode): boolean {
  for (let current: DomNode | null = node; current; current = current.parent)
    if (current === ancestor) return true;
  return false;
}

function collectCandidates(
  landmarks: Landmarks,
  context: PageContext,
  pageCurrency: string | null,
): Candidate[] {
  const candidates: Candidate[] = [];
  const seen = new Set<DomNode>();
  const readings = new PriceReadings();
  const container = commonAncestor(landmarks.heading, landmarks.cart);
  const usefulContainer =
    container && container.type !== 'root' && container.name !== 'body' && container.name !== 'html'
      ? container
      : null;
  const anchors = [landmarks.headingOrder, landmarks.cartOrder].filter((order) => order >= 0);
  const priceContext = {
    currencyHint: context.currencyHint ?? pageCurrency,
    lang: context.lang,
    domain: context.host,
  };
  const readParents = new Set<DomNode>();
  for (const textParent of landmarks.priceTexts) {
    if (candidates.length >= MAX_CANDIDATES) break;
    // Several texts of one element lead to the same holder, already judged.
    if (readParents.has(textParent)) continue;
    readParents.add(textParent);
    const holder = priceHolder(textParent, readings);
    if (seen.has(holder)) continue;
    seen.add(holder);
    const text = readings.textOf(holder);
    if (text.length === 0 || text.length > 80) continue;
    const marker = classAndId(holder);
    const priceClassed = PRICE_HINT.test(marker) || attr(holder, 'data-price') !== undefined;
    // The parse without page context is usually known already (priceHolder made it), so the
    // tests on it go first; each only skips the text, so their order changes no outcome.
    const bare = readings.parse(text);
    const hasMarker = bare?.currency !== null && bare?.currency !== undefined;
    if (!hasMarker && !priceClassed) continue;
    if (!hasMarker && !/^\D{0,12}\d[\d.,'\s]*\D{0,12}$/.test(text)) continue;
    const parsed = parsePrice(text, priceContext);
    if (!parsed) continue;
    const nearby = nearbyText(holder, readings);
    if (PER_UNIT.test(nearby) || INSTALMENT.test(nearby)) continue;
    const unqualified = nearby.replace(SHIPPING_QUALIFIER, ' ');
    if (
      SAVING.test(nearbyText(holder, readings, false)) ||
      SHIPPING.test(unqualified) ||
      MEMBER.test(nearby) ||
      QUANTITY.test(nearby)
    )
      continue;
    if (inShippingBlock(holder)) continue;
    const taxMarkers = ancestorMarkers(holder, 3);
    const gross = GROSS_PRICE.test(nearby) || GROSS_MARKER.test(taxMarkers);
    const net = !gross && (NET_PRICE.test(nearby) || NET_MARKER.test(taxMarkers));
    if (inHiddenTree(holder)) continue;
    const order = orderOf(holder) ?? orderOf(textParent) ?? 0;
    const isList =
      looksStruck(textParent) ||
      looksStruck(holder) ||
      LIST_WORDS.test(nearby) ||
      LIST_WORDS.test(text);
    let score = 0;
    if (priceClassed) score += 3;
    score += hasMarker ? 1 : -2;
    if (CURRENT_HINT.test(marker)) score += 2;
    if (anchors.length > 0) {
      const distance = Math.min(...anchors.map((anchor) => Math.abs(order - anchor)));
      score += 4 / (1 + distance / 15);
      const before = landmarks.headingOrder >= 0 && order < landmarks.headingOrder - 40;
      if (before) score -= 2;
    }
    if (usefulContainer && contains(usefulContainer, holder)) score += 2;
    // Product info sits between the title and the buy button in document order.
    if (landmarks.headingOrder >= 0 && landmarks.cartOrder > landmarks.headingOrder) {
      if (order > landmarks.headingOrder && order < landmarks.cartOrder) score += 1.5;
    }
    if (parsed.amount === '0' || /^0(\.0+)?$/.test(parsed.amount)) score -= 3;
    if (net) score -= 3;
    if (gross) score += 1;
    candidates.push({ node: holder, order, price: parsed, isList, net, score });
  }
  return candidates;
}

/** How far (in elements) from the heading or buy button a stock line still speaks for the product. */
const STOCK_REACH = 300;
/** Stock lines this much further off than the closest one still count as beside the product. */
const STOCK_TIE = 15;

function availabilityFrom(landmarks: Landmarks): Availability | undefined {
  const anchors = [landmarks.headingOrder, landmarks.cartOrder].filter((order) => order >= 0);
  const readings: { state: Availability; distance: number }[] = [];
  for (const { node, order, text: own } of landmarks.stockNodes) {
    if (inHiddenTree(node)) continue;
    const distance =
      anchors.length > 0 ? Math.min(...anchors.map((anchor) => Math.abs(order - anchor))) : 0;
    if (anchors.length > 0 && distance > STOCK_REACH) continue;
    const href = attr(node, 'href') ?? attr(node, 'content');
    const text = own ?? href ?? textOf(node, 160);
    if (text.length === 0 || text.length > 150) continue;
    const state = normalizeAvailability(text);
    if (state !== 'Unknown') readings.push({ state, distance });
  }
  // The stock line next to the product speaks for it; others further off are other items'
  // (other formats, sellers, stores). Lines about as close that disagree leave it Unknown.
  readings.sort((a, b) => a.distance - b.distance);
  const closest = readings[0]?.distance ?? 0;
  const states = new Set<Availability>(
    readings
      .filter((reading) => reading.distance <= closest + STOCK_TIE)
      .map((reading) => reading.state),
  );
  if (landmarks.cart && landmarks.cartText) {
    const state = normalizeAvailability(landmarks.cartText);
    if (state !== 'Unknown' && state !== 'InStock') states.add(state);
    else if (!landmarks.cartDisabled && states.size === 0 && CART_TEXT.test(landmarks.cartText))
      states.add('InStock');
  }
  if (states.size === 2 && states.has('InStock') && states.has('LimitedAvailability'))
    return 'LimitedAvailability';
  return states.size === 1 ? [...states][0] : undefined;
}

/** The entry nearest the heading in document order, or the first when there is no heading. */
function nearest<T extends { order: number }>(entries: T[], anchor: number): T | undefined {
  if (anchor < 0) return entries[0];
  let best: T | undefined;
  for (const entry of entries)
    if (!best || Math.abs(entry.order - anchor) < Math.abs(best.order - anchor)) best = entry;
  return best;
}

/** The offer a shopper would read off the visible page. */
/** What the visible page shows beside its offer, for checking structured data against it. */
export interface PageEvidence {
  /** Every amount shown as a price in the page's main content. */
  readonly visibleAmounts: readonly string[];
  /** Amounts shown as net of tax next to a gross one. */
  readonly netAmounts: readonly string[];
  /** Values and labels of chosen variant options. */
  readonly selected: readonly string[];
  readonly selectedSku: string | undefined;
  /** How strongly the chosen visible price looks like the main one (0 when there is none). */
  readonly mainPriceScore: number;
}

export interface HeuristicResult extends SourceResult {
  readonly evidence: PageEvidence;
}

export function extractHeuristics(
  root: DomNode,
  context: PageContext,
  pageCurrency: string | null,
): HeuristicResult {
  const landmarks = findLandmarks(root);
  const draft: OfferDraft = {};
  const heading = landmarks.heading ? cleanText(textOf(landmarks.heading, 400), 400) : undefined;
  if (heading) draft.name = heading;
  const candidates = collectCandidates(landmarks, context, pageCurrency);
  const current = candidates
    .filter((candidate) => !candidate.isList)
    .sort((a, b) => b.score - a.score)[0];
  if (current && (landmarks.heading || landmarks.cart || current.score >= 4)) {
    draft.price = current.price;
    const list = candidates
      .filter(
        (candidate) =>
          candidate.isList &&
          Math.abs(candidate.order - current.order) <= 25 &&
          Number(candidate.price.amount) > Number(current.price.amount),
      )
      .sort((a, b) => Math.abs(a.order - current.order) - Math.abs(b.order - current.order))[0];
    if (list) draft.listPrice = list.price;
  }
  const availability = availabilityFrom(landmarks);
  if (availability) draft.availability = availability;
  const sku =
    nearest(landmarks.labelledIds, landmarks.headingOrder)?.id ?? idFromUrl(context.pageUrl);
  if (sku) draft.sku = sku;
  const useful =
    draft.price !== undefined ||
    (draft.name !== undefined && (availability !== undefined || landmarks.cart !== null));
  const evidence: PageEvidence = {
    visibleAmounts: candidates.map((candidate) => candidate.price.amount),
    netAmounts: candidates.filter((c) => c.net).map((candidate) => candidate.price.amount),
    selected: landmarks.selected,
    selectedSku: landmarks.selectedSku,
    mainPriceScore: draft.price && current ? current.score : 0,
  };
  return { source: 'heuristic', offers: useful ? [draft] : [], evidence };
}
