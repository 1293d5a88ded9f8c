/*
 * The shop's own id for a product, read the way a shopper finds it when no structured data
 * names it: a labelled line near the product ("SKU: 123", "Art.-Nr. 4711", "Артикул: A-1"), or
 * the id the shop puts in the product URL ("/dp/B00X", "/p/123", "?sku=123", "-p58034/").
 * Manufacturer numbers (MPN, model) and barcodes (EAN, UPC) are not the shop's id.
 */

/** Labels shops print before their own product id, in the languages they mostly write in. */
const ID_LABEL = new RegExp(
  // An optional short first word: a shop's own name before its label ("CBD Stock No:").
  '^(?:\\p{L}{2,10}\\s)?(?:' +
    [
      'sku',
      'item\\s*(?:#|no\\.?|nr\\.?|number|code|id)',
      'product\\s*(?:#|code|id|no\\.?|number)',
      'stock\\s*(?:#|no\\.?|number|code)',
      'catalog(?:ue)?\\s*(?:#|no\\.?|number)',
      'order\\s*(?:code|no\\.?|number)',
      'ref(?:erence)?\\.?\\s*#?',
      'art(?:ikel)?\\.?\\s*-?\\s*nr\\.?',
      'artikel\\s*-?\\s*(?:nummer|code)',
      'bestell\\s*-?\\s*(?:nr\\.?|nummer)',
      'produkt\\s*-?\\s*(?:nr\\.?|nummer)',
      'r[ée]f[ée]rence',
      'r[ée]f\\.?',
      'code\\s*(?:article|produit)',
      'cod\\s*produs',
      'c[óo]digo(?:\\s*(?:de|do|del)\\s*(?:produto|producto|art[íi]culo))?',
      'c[óo]d\\.?',
      'refer[êe]ncia',
      'referencia',
      'codice\\s*(?:articolo|prodotto)?',
      'cod\\.?\\s*art\\.?',
      'rif\\.?',
      'kod\\s*(?:produktu|towaru)?',
      'k[óo]d\\s*(?:produktu|tovaru)?',
      'katal[óo]gov[ée]\\s*[čc][íi]slo',
      'nr\\.?\\s*katalogowy',
      'артикул',
      'код\\s*(?:товара|продукта)?',
      '商品番号',
      '品番',
      '商品コード',
      '货号',
      '商品编号',
      '商品編號',
      '상품\\s*번호',
      '품번',
    ].join('|') +
    ')(?![\\p{L}])(?:\\s*\\([^)]{1,20}\\))?\\s*[:：#]?\\s*',
  'iu',
);

/** What an id looks like: no spaces, at least one digit, a few separators at most. */
const ID_VALUE = /^[\p{L}\d][\p{L}\d._/-]{1,47}$/u;

function idValue(text: string): string | undefined {
  const token = text.trim().split(/\s/)[0] ?? '';
  const cleaned = token.replace(/[.,;:)]+$/, '');
  return ID_VALUE.test(cleaned) && /\d/.test(cleaned) ? cleaned : undefined;
}

/**
 * Reads "label: id" from a short piece of text. `label` is set when the text is only the label,
 * so the caller can take the id from the next text on the page ("<b>SKU:</b> 123").
 */
export function labelledId(text: string): { id?: string; label: boolean } | null {
  const trimmed = text.trim();
  if (trimmed.length === 0 || trimmed.length > 80) return null;
  const match = ID_LABEL.exec(trimmed);
  if (!match) return null;
  const rest = trimmed.slice(match[0].length);
  // "Reference" inside a sentence is not a label: the label must end or be followed by a value.
  if (rest.length === 0) return /[:：#]\s*$|^\S+$/u.test(trimmed) ? { label: true } : null;
  if (!/[:：#\s]/u.test(match[0].slice(-1)) && !/[:：#]/u.test(match[0])) return null;
  const id = idValue(rest);
  return id ? { id, label: false } : null;
}

/** The next piece of text after a bare label, when it is an id. */
export function idAfterLabel(text: string): string | undefined {
  return idValue(text);
}

/** Strips a label a shop left inside a structured sku value ("sku:XA30202", "Art.-Nr. 12"). */
export function cleanSku(value: string): string {
  const match = ID_LABEL.exec(value.trim());
  if (!match) return value;
  const rest = value.trim().slice(match[0].length);
  return rest.length > 0 && /[:：#]|\s/u.test(match[0]) && idValue(rest) === rest ? rest : value;
}

/** Path segments after which shops put the product id. */
const ID_PATH_KEYS =
  /^(dp|product|products|produkt|produto|producto|produit|prodotto|p|pd|ip|item|items|itm|listing|catalog|details|detail|partdetail|artikel|article|sku|goods|id)$/i;
/** Query parameters that carry a product or variant id. */
const ID_QUERY_KEYS =
  /^(sku|skuid|sku_id|childsku|variant|variantid|variant_id|variationid|variation_id|itemid|item_id|item|itemlist|productid|product_id|prodid|pid|articleid|article_id|artnr|id)$/i;

function urlIdValue(segment: string): string | undefined {
  const decoded = (() => {
    try {
      return decodeURIComponent(segment);
    } catch {
      return segment;
    }
  })().replace(/\.(html?|aspx?|php|jsp)$/i, '');
  if (decoded.length < 3 || decoded.length > 48) return undefined;
  if (!/\d/.test(decoded) || !/^[\p{L}\d][\p{L}\d._-]*$/u.test(decoded)) return undefined;
  // A slug of words ("macbook-pro-13") is a name, not an id; an id has at most two dashes.
  if ((decoded.match(/-/g) ?? []).length > 4) return undefined;
  if ((decoded.match(/[a-z]{4,}/gi) ?? []).length > 1 || /\p{L}{6,}/u.test(decoded))
    return undefined;
  return decoded;
}

/**
 * The product id in a product URL: a query parameter named like an id, the segment after
 * "/dp/", "/p/", "/product/" and the like, a slug ending "-p12345", or a final numeric segment.
 */
export function idFromUrl(url: string): string | undefined {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return undefined;
  }
  for (const [key, value] of parsed.searchParams) {
    if (ID_QUERY_KEYS.test(key)) {
      const id = urlIdValue(value);
      if (id) return id;
    }
  }
  const segments = parsed.pathname.split('/').filter((segment) => segment.length > 0);
  for (let index = segments.length - 2; index >= 0; index--) {
    if (!ID_PATH_KEYS.test(segments[index] as string)) continue;
    for (const segment of segments.slice(index + 1)) {
      const id = urlIdValue(segment);
      if (id) return id;
    }
  }
  const last = segments.at(-1) ?? '';
  const suffix = /-p(\d{4,})$/i.exec(last)?.[1];
  if (suffix) return suffix;
  for (let index = segments.length - 1; index >= 0; index--) {
    const segment = (segments[index] as string).replace(/\.(html?|aspx?|php|jsp)$/i, '');
    if (/^\d{4,}$/.test(segment)) return segment;
  }
  return undefined;
}
