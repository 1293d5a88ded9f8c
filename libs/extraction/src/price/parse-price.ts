import { isAsciiLetter } from '../ascii';
import {
  CURRENCY_SYMBOLS,
  currencyFromHint,
  currencyFromLocale,
  decimalsOf,
  isCurrencyCode,
  resolveSymbol,
  type CurrencyContext,
  type CurrencySymbol,
} from './currencies';

export interface ParsedPrice {
  /** Non-negative decimal string such as "1234.56"; never a float. */
  readonly amount: string;
  /** ISO 4217 code, or null when neither the text nor its context names one. */
  readonly currency: string | null;
}

export interface PriceContext {
  /** ISO code or marker ("EUR", "C$") the caller or the page declared. */
  readonly currencyHint?: string | null;
  /** Language of the page, e.g. "de-CH". */
  readonly lang?: string | null;
  /** Host of the page, e.g. "www.example.co.uk". */
  readonly domain?: string | null;
}

/** Longer strings are not price labels; only their start is looked at. */
const MAX_PRICE_TEXT = 400;

const FREE_WORDS =
  /(^|[^\p{L}])(free|gratis|kostenlos|gratuit|gratuite|gratuito|gratuita|darmowy|darmowa|zdarma|ingyenes|бесплатно|無料|免费|免費|무료)([^\p{L}]|$)/iu;

interface NumberToken {
  readonly start: number;
  readonly end: number;
  readonly groups: readonly string[];
  readonly separators: readonly string[];
  /** "12,-" / "199:-" / "12.–": the shop says there are no cents. */
  readonly integerMarker: boolean;
}

interface MarkerToken {
  readonly start: number;
  readonly end: number;
  readonly codes: readonly string[];
  readonly iso: boolean;
  readonly symbol?: CurrencySymbol;
  readonly needsAdjacentNumber: boolean;
}

const ARABIC_INDIC_ZERO = 0x0660;
const PERSIAN_ZERO = 0x06f0;

/** Text that folding leaves as it is: printable ASCII, the common case, checked in one scan. */
const PRINTABLE_ASCII = /^[\x20-\x7e]*$/;

/** Folds digits, full-width forms and the many spaces shops use into plain ASCII shapes. */
function foldText(text: string): string {
  if (PRINTABLE_ASCII.test(text)) return text;
  let out = '';
  for (const char of text) {
    const code = char.codePointAt(0) as number;
    if (code >= ARABIC_INDIC_ZERO && code <= ARABIC_INDIC_ZERO + 9) {
      out += String(code - ARABIC_INDIC_ZERO);
    } else if (code >= PERSIAN_ZERO && code <= PERSIAN_ZERO + 9) {
      out += String(code - PERSIAN_ZERO);
    } else if (code === 0x066b) {
      out += '.';
    } else if (code === 0x066c) {
      out += ',';
    } else if (code >= 0xff01 && code <= 0xff5e) {
      out += String.fromCharCode(code - 0xfee0);
    } else if (code === 0xffe5) {
      out += '¥';
    } else if (code === 0xffe1) {
      out += '£';
    } else if (code === 0xffe6) {
      out += '₩';
    } else if (/\s/u.test(char) || code === 0x200b || code === 0x2009 || code === 0x202f) {
      out += ' ';
    } else if (code === 0x2019 || code === 0x02bc || code === 0x2032 || code === 0x00b4) {
      out += "'";
    } else if (code === 0x2013 || code === 0x2014 || code === 0x2212) {
      out += '-';
    } else {
      out += char;
    }
  }
  return out;
}

const isDigit = (char: string | undefined): boolean =>
  char !== undefined && char >= '0' && char <= '9';
const isLetter = (char: string | undefined): boolean => {
  if (char === undefined) return false;
  const code = char.charCodeAt(0);
  // In ASCII the letters are A-Z and a-z, and no currency sign is one.
  if (code < 128) return isAsciiLetter(code);
  return /\p{L}/u.test(char) && !/[$€£¥₹₩₽₺₴₫฿₱₪]/u.test(char);
};

function countDigits(text: string, from: number): number {
  let index = from;
  while (isDigit(text[index])) index++;
  return index - from;
}

function readNumber(text: string, start: number): NumberToken {
  const groups: string[] = [];
  const separators: string[] = [];
  let index = start;
  let group = '';
  while (index < text.length) {
    const char = text[index] as string;
    if (isDigit(char)) {
      group += char;
      index++;
      continue;
    }
    const next = text[index + 1];
    if ((char === '.' || char === ',' || char === "'") && isDigit(next)) {
      groups.push(group);
      separators.push(char);
      group = '';
      index++;
      continue;
    }
    // A space separates thousands only when exactly three digits follow ("1 234,56").
    if (char === ' ' && group.length <= 3 && countDigits(text, index + 1) === 3) {
      groups.push(group);
      separators.push(' ');
      group = '';
      index++;
      continue;
    }
    break;
  }
  groups.push(group);
  let end = index;
  let integerMarker = false;
  const after = text.slice(index, index + 3);
  const markerMatch = /^[.,:] ?-/.exec(after);
  if (markerMatch && !isDigit(text[index + markerMatch[0].length])) {
    integerMarker = true;
    end = index + markerMatch[0].length;
  }
  return { start, end, groups, separators, integerMarker };
}

/** Markers grouped by first character, longest first, so each position checks only a few. */
const SYMBOLS_BY_FIRST_CHAR = new Map<string, CurrencySymbol[]>();
for (const symbol of CURRENCY_SYMBOLS) {
  const first = symbol.text[0] as string;
  for (const key of new Set([first, first.toLowerCase(), first.toUpperCase()])) {
    const list = SYMBOLS_BY_FIRST_CHAR.get(key) ?? [];
    list.push(symbol);
    SYMBOLS_BY_FIRST_CHAR.set(key, list);
  }
}

function matchSymbol(text: string, index: number): CurrencySymbol | null {
  const candidates = SYMBOLS_BY_FIRST_CHAR.get(text[index] as string);
  if (!candidates) return null;
  for (const symbol of candidates) {
    if (!text.startsWith(symbol.text, index)) continue;
    const first = symbol.text[0];
    const last = symbol.text[symbol.text.length - 1];
    if (isLetter(first) && isLetter(text[index - 1])) continue;
    if (isLetter(last) && isLetter(text[index + symbol.text.length])) continue;
    return symbol;
  }
  return null;
}

function tokenize(text: string): { numbers: NumberToken[]; markers: MarkerToken[] } {
  const numbers: NumberToken[] = [];
  const markers: MarkerToken[] = [];
  let index = 0;
  while (index < text.length) {
    const char = text[index] as string;
    if (isDigit(char)) {
      const token = readNumber(text, index);
      numbers.push(token);
      index = token.end;
      continue;
    }
    if (isAsciiLetter(char.charCodeAt(0)) && !isLetter(text[index - 1])) {
      const word = /^\p{L}{3}(?!\p{L})/u.exec(text.slice(index, index + 4));
      const upper = word?.[0].toUpperCase();
      if (word && upper && isCurrencyCode(upper)) {
        const exactCase = word[0] === upper;
        markers.push({
          start: index,
          end: index + 3,
          codes: [upper],
          iso: true,
          needsAdjacentNumber: !exactCase,
        });
        index += 3;
        continue;
      }
    }
    const symbol = matchSymbol(text, index);
    if (symbol) {
      markers.push({
        start: index,
        end: index + symbol.text.length,
        codes: symbol.codes,
        iso: false,
        symbol,
        needsAdjacentNumber: symbol.needsAdjacentNumber === true,
      });
      index += symbol.text.length;
      continue;
    }
    index++;
  }
  return { numbers, markers };
}

function gapIsBlank(text: string, from: number, to: number): boolean {
  if (to < from) return false;
  if (to - from > 2) return false;
  return /^ *$/.test(text.slice(from, to));
}

function adjacentMarkers(text: string, number: NumberToken, markers: MarkerToken[]): MarkerToken[] {
  return markers.filter(
    (marker) =>
      gapIsBlank(text, marker.end, number.start) || gapIsBlank(text, number.end, marker.start),
  );
}

/** Most specific first: an ISO code, then a marker with one meaning, then an ambiguous one. */
function specificity(marker: MarkerToken): number {
  if (marker.iso) return 0;
  return marker.codes.length === 1 ? 1 : 2;
}

function stripLeadingZeros(digits: string): string {
  const stripped = digits.replace(/^0+(?=\d)/, '');
  return stripped === '' ? '0' : stripped;
}

/**
 * Turns digit groups into a decimal string. Which separator is the decimal one is decided from
 * the string itself: the last of two different separators; a lone separator followed by other
 * than three digits; and for three digits the currency's usual number of decimals.
 */
function toDecimal(token: NumberToken, currency: string | null): string | null {
  const { groups } = token;
  const separators = token.separators;
  const punctuation = separators
    .map((sep, position) => ({ sep, position }))
    .filter(({ sep }) => sep === '.' || sep === ',');
  let decimalAt = -1;
  if (punctuation.length > 0 && !token.integerMarker) {
    const last = punctuation[punctuation.length - 1] as { sep: string; position: number };
    const kinds = new Set(punctuation.map(({ sep }) => sep));
    const sameKind = punctuation.filter(({ sep }) => sep === last.sep).length;
    const trailingGroup = groups[last.position + 1] ?? '';
    if (kinds.size > 1) {
      if (sameKind === 1) decimalAt = last.position;
    } else if (sameKind === 1) {
      if (trailingGroup.length !== 3) decimalAt = last.position;
      else if ((groups[0] ?? '') === '0' && last.position === 0) decimalAt = last.position;
      else if (decimalsOf(currency) === 3) decimalAt = last.position;
    }
    // A decimal separator must be the last separator in the number.
    if (decimalAt !== -1 && decimalAt !== separators.length - 1) decimalAt = -1;
  }
  const integerDigits = groups.slice(0, decimalAt === -1 ? groups.length : decimalAt + 1).join('');
  const fraction = decimalAt === -1 ? '' : (groups[decimalAt + 1] ?? '');
  const amount = stripLeadingZeros(integerDigits) + (fraction ? `.${fraction}` : '');
  return amount.length <= 40 && /^\d+(\.\d+)?$/.test(amount) ? amount : null;
}

function pickNumber(
  text: string,
  numbers: NumberToken[],
  markers: MarkerToken[],
): { number: NumberToken; marker: MarkerToken | null } | null {
  const usable = numbers.filter((number) => !/^ ?%/.test(text.slice(number.end, number.end + 2)));
  if (usable.length === 0) return null;
  for (const number of usable) {
    const adjacent = adjacentMarkers(text, number, markers).sort(
      (a, b) => specificity(a) - specificity(b),
    );
    if (adjacent.length > 0) return { number, marker: adjacent[0] as MarkerToken };
  }
  const free = markers.filter((marker) => !marker.needsAdjacentNumber);
  free.sort((a, b) => specificity(a) - specificity(b));
  return { number: usable[0] as NumberToken, marker: free[0] ?? null };
}

/** French style "12€50": the symbol stands where the decimal separator would. */
function symbolAsDecimalPoint(text: string, number: NumberToken, marker: MarkerToken | null) {
  if (!marker || marker.start !== number.end || number.separators.length > 0) return null;
  const cents = /^\d{2}(?!\d)/.exec(text.slice(marker.end, marker.end + 3));
  return cents ? cents[0] : null;
}

function markerCurrency(marker: MarkerToken, context: CurrencyContext): string {
  if (marker.iso) return marker.codes[0] as string;
  return resolveSymbol(marker.symbol as CurrencySymbol, context);
}

/** Yen prices have no cents: "¥12.50" with nothing else to go on is renminbi. */
function yenOrYuan(
  marker: MarkerToken | null,
  amount: string,
  context: CurrencyContext,
): string | null {
  const hasContext = context.declared || context.lang || context.domain;
  if (marker?.symbol?.text === '¥' && !hasContext && /\.\d*[1-9]/.test(amount)) return 'CNY';
  return null;
}

const SWEDISH_MARKER: MarkerToken = {
  start: 0,
  end: 0,
  codes: ['SEK'],
  iso: false,
  symbol: { text: ':-', codes: ['SEK'] },
  needsAdjacentNumber: false,
};

/**
 * Reads a price as shops print it: `{ amount, currency }`, or null when the text holds no
 * price. Ranges and "from" prices give their first (lowest) amount; "free" gives "0".
 */
export function parsePrice(text: string, context: PriceContext = {}): ParsedPrice | null {
  if (typeof text !== 'string' || text.length === 0) return null;
  const folded = foldText(text.slice(0, MAX_PRICE_TEXT));
  const declared = currencyFromHint(context.currencyHint);
  const currencyContext: CurrencyContext = {
    declared,
    lang: context.lang ?? null,
    domain: context.domain ?? null,
  };
  // "99p": British pence, the whole label being the amount.
  const pence = /^\s*(\d{1,2})p\s*$/.exec(folded);
  if (pence) return { amount: (Number(pence[1]) / 100).toFixed(2), currency: 'GBP' };
  const { numbers, markers } = tokenize(folded);
  const picked = pickNumber(folded, numbers, markers);
  if (!picked) {
    if (!FREE_WORDS.test(folded)) return null;
    const marker = markers.find((entry) => !entry.needsAdjacentNumber);
    const currency = marker
      ? markerCurrency(marker, currencyContext)
      : (declared ?? currencyFromLocale(currencyContext));
    return { amount: '0', currency };
  }
  const { number } = picked;
  // "199:-" is how Swedish shops write whole kronor.
  const marker =
    picked.marker ??
    (number.integerMarker && folded[number.end - 2] === ':' ? SWEDISH_MARKER : null);
  const cents = symbolAsDecimalPoint(folded, number, marker);
  let currency = marker
    ? markerCurrency(marker, currencyContext)
    : (declared ?? currencyFromLocale(currencyContext));
  let amount = toDecimal(number, currency);
  if (amount === null) return null;
  if (cents !== null) amount = `${amount}.${cents}`;
  currency = yenOrYuan(marker, amount, currencyContext) ?? currency;
  return { amount, currency };
}

/** Parses a machine-readable amount ("19.99", 19.99, "1,299.00") from structured data. */
export function parseAmount(value: unknown, currency: string | null): string | null {
  if (typeof value === 'number') {
    if (!Number.isFinite(value) || value < 0) return null;
    const text = String(value);
    return /^\d+(\.\d+)?$/.test(text) ? text : null;
  }
  if (typeof value !== 'string') return null;
  const trimmed = value.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed) && trimmed.length <= 40) return stripLeadingZeros(trimmed);
  const parsed = parsePrice(trimmed, { currencyHint: currency });
  return parsed?.amount ?? null;
}
