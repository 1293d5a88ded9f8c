import type { Offer } from './payloads';

// C0 controls but tab, line feed and carriage return; DEL; C1 controls. NUL is among them, and
// PostgreSQL's json and text types refuse it outright.
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/g;
const WHITESPACE = /\s+/g;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/**
 * Text taken from a page, made safe to carry in an event: control characters removed, lone
 * surrogates replaced with U+FFFD (JSON would keep them, and PostgreSQL rejects them), runs of
 * whitespace collapsed, and cut to `maxLength` UTF-16 units without splitting a surrogate pair.
 * Returns undefined when nothing printable is left.
 */
export function sanitizeText(value: string, maxLength: number): string | undefined {
  let text = value
    .replace(LONE_SURROGATE, '\uFFFD')
    .replace(CONTROL, '')
    .replace(WHITESPACE, ' ')
    .trim();
  if (text.length > maxLength) {
    const cut = text.charCodeAt(maxLength - 1);
    // A high surrogate at the cut would be left alone without its pair.
    text = text.slice(0, cut >= 0xd800 && cut <= 0xdbff ? maxLength - 1 : maxLength).trimEnd();
  }
  return text === '' ? undefined : text;
}

// The contract's limits (OfferSchema); attribute names and values have none there, so these bound
// what one offer may carry.
const LIMITS = { name: 1000, sku: 256, mpn: 256, brand: 256, attributeKey: 100, attribute: 1000 };
const MAX_ATTRIBUTES = 50;

function put<K extends keyof Offer>(offer: Offer, key: K, value: Offer[K] | undefined): void {
  if (value === undefined) delete offer[key];
  else offer[key] = value;
}

/**
 * An extracted offer with every free-text field sanitised (`sanitizeText`) to the contract's
 * limits; a field left empty is dropped. Structured fields (money, URLs, codes) are left to the
 * schema, which rejects what is malformed there.
 */
export function sanitizeOffer(offer: Offer): Offer {
  const clean: Offer = { ...offer };
  for (const key of ['name', 'sku', 'mpn', 'brand'] as const) {
    const value = offer[key];
    if (typeof value === 'string') put(clean, key, sanitizeText(value, LIMITS[key]));
  }
  if (offer.attributes) {
    const attributes: Record<string, string> = {};
    for (const [key, value] of Object.entries(offer.attributes).slice(0, MAX_ATTRIBUTES)) {
      const name = typeof key === 'string' ? sanitizeText(key, LIMITS.attributeKey) : undefined;
      const text = typeof value === 'string' ? sanitizeText(value, LIMITS.attribute) : undefined;
      if (name !== undefined && text !== undefined) attributes[name] = text;
    }
    put(clean, 'attributes', Object.keys(attributes).length > 0 ? attributes : undefined);
  }
  return clean;
}
