import {
  httpUrlProblem,
  type Availability,
  type ExtractionSource,
  type OfferCondition,
} from '@shelfwatch/contracts';
import type { ParsedPrice } from './price/parse-price';

/** What one source says about one offer, before sources are merged. */
export interface OfferDraft {
  name?: string;
  price?: ParsedPrice;
  listPrice?: ParsedPrice;
  availability?: Availability;
  sku?: string;
  gtin?: string;
  mpn?: string;
  brand?: string;
  image?: string;
  canonicalUrl?: string;
  condition?: OfferCondition;
  attributes?: Record<string, string>;
}

export type DraftField = keyof OfferDraft;

export const DRAFT_FIELDS: readonly DraftField[] = [
  'name',
  'price',
  'listPrice',
  'availability',
  'sku',
  'gtin',
  'mpn',
  'brand',
  'image',
  'canonicalUrl',
  'condition',
  'attributes',
];

export interface SourceResult {
  readonly source: ExtractionSource;
  readonly offers: OfferDraft[];
  /** The product's own fields apart from any one offer, where the source describes them. */
  readonly product?: OfferDraft;
}

/** Facts about the page every extractor may use. */
export interface PageContext {
  readonly pageUrl: string;
  readonly host: string | null;
  readonly lang: string | null;
  readonly currencyHint: string | null;
  readonly heading: string | null;
}

const NAMED_ENTITIES: Readonly<Record<string, string>> = {
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  apos: "'",
  nbsp: '\u00a0',
  euro: '€',
  pound: '£',
  yen: '¥',
  cent: '¢',
  copy: '©',
  reg: '®',
  trade: '™',
  ndash: '–',
  mdash: '—',
  hellip: '…',
  rsquo: '’',
  lsquo: '‘',
  rdquo: '”',
  ldquo: '“',
  times: '×',
  deg: '°',
  frac12: '½',
  auml: 'ä',
  ouml: 'ö',
  uuml: 'ü',
  Auml: 'Ä',
  Ouml: 'Ö',
  Uuml: 'Ü',
  szlig: 'ß',
  eacute: 'é',
  egrave: 'è',
  ecirc: 'ê',
  agrave: 'à',
  aacute: 'á',
  ccedil: 'ç',
  ntilde: 'ñ',
  oacute: 'ó',
  iacute: 'í',
  uacute: 'ú',
};

/** Decodes the HTML entities that leak into JSON-LD strings and attribute values. */
export function decodeEntities(text: string): string {
  if (!text.includes('&')) return text;
  return text.replace(
    /&(#x[0-9a-f]{1,6}|#\d{1,7}|[a-z][a-z0-9]{1,8});/gi,
    (whole, body: string) => {
      if (body[0] === '#') {
        const code =
          body[1] === 'x' || body[1] === 'X'
            ? parseInt(body.slice(2), 16)
            : parseInt(body.slice(1), 10);
        return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : whole;
      }
      return NAMED_ENTITIES[body] ?? NAMED_ENTITIES[body.toLowerCase()] ?? whole;
    },
  );
}

/** A printable, trimmed string of at most `max` characters, or undefined. */
export function cleanText(value: unknown, max = 1000): string | undefined {
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  if (typeof value !== 'string') return undefined;
  const text = decodeEntities(value)
    .replace(/<[^>]{0,200}>/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  if (text.length === 0) return undefined;
  return text.length > max ? text.slice(0, max).trim() : text;
}

/** GTIN/EAN/UPC as 8 to 14 digits; spaces and dashes are dropped, anything else rejects it. */
export function cleanGtin(value: unknown): string | undefined {
  const text = cleanText(value, 64);
  if (!text) return undefined;
  const digits = text.replace(/[\s-]/g, '');
  return /^\d{8,14}$/.test(digits) ? digits : undefined;
}

/** An absolute http(s) URL resolved against the page, or undefined. */
export function absoluteUrl(value: unknown, base: string): string | undefined {
  const text = cleanText(value, 4096);
  if (!text || text.startsWith('data:')) return undefined;
  try {
    const resolved = new URL(text, base).href;
    return httpUrlProblem(resolved) === null ? resolved : undefined;
  } catch {
    return undefined;
  }
}

export function hostOf(url: string): string | null {
  try {
    return new URL(url).hostname || null;
  } catch {
    return null;
  }
}

/** Two amounts written differently ("19.9", "19.90") compare equal. */
export function sameAmount(a: string, b: string): boolean {
  const norm = (value: string) => value.replace(/(\.\d*?)0+$/, '$1').replace(/\.$/, '');
  return norm(a) === norm(b);
}
