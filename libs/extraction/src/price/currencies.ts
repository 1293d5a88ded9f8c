/** Active ISO 4217 alphabetic codes (plus a few still printed by shops, e.g. HRK). */
const ISO_CODES = new Set(
  (
    'AED AFN ALL AMD ANG AOA ARS AUD AWG AZN BAM BBD BDT BGN BHD BIF BMD BND BOB BRL BSD BTN BWP ' +
    'BYN BZD CAD CDF CHF CLP CNY COP CRC CUP CVE CZK DJF DKK DOP DZD EGP ERN ETB EUR FJD FKP GBP ' +
    'GEL GHS GIP GMD GNF GTQ GYD HKD HNL HRK HTG HUF IDR ILS INR IQD IRR ISK JMD JOD JPY KES KGS ' +
    'KHR KMF KPW KRW KWD KYD KZT LAK LBP LKR LRD LSL LYD MAD MDL MGA MKD MMK MNT MOP MRU MUR MVR ' +
    'MWK MXN MYR MZN NAD NGN NIO NOK NPR NZD OMR PAB PEN PGK PHP PKR PLN PYG QAR RON RSD RUB RWF ' +
    'SAR SBD SCR SDG SEK SGD SHP SLE SOS SRD SSP STN SYP SZL THB TJS TMT TND TOP TRY TTD TWD TZS ' +
    'UAH UGX USD UYU UZS VES VND VUV WST XAF XCD XOF XPF YER ZAR ZMW ZWL'
  ).split(' '),
);

/** Currencies whose prices are normally written without decimals. */
const ZERO_DECIMAL = new Set([
  'JPY',
  'KRW',
  'VND',
  'CLP',
  'ISK',
  'HUF',
  'IDR',
  'COP',
  'PYG',
  'UGX',
  'XAF',
  'XOF',
  'KMF',
  'RWF',
  'GNF',
  'BIF',
  'DJF',
  'VUV',
  'XPF',
  'TWD',
]);

/** Currencies with three minor digits, where "1.250" really is one and a quarter. */
const THREE_DECIMAL = new Set(['BHD', 'IQD', 'JOD', 'KWD', 'LYD', 'OMR', 'TND']);

export function isCurrencyCode(code: string): boolean {
  return ISO_CODES.has(code);
}

export function decimalsOf(code: string | null): number | null {
  if (code === null) return null;
  if (ZERO_DECIMAL.has(code)) return 0;
  if (THREE_DECIMAL.has(code)) return 3;
  return 2;
}

/**
 * A currency marker as printed on pages. `codes[0]` is the reading when nothing on the page
 * says otherwise; the others are what the same marker means elsewhere (resolved by context).
 */
export interface CurrencySymbol {
  readonly text: string;
  readonly codes: readonly string[];
  /** Markers that are ordinary letters/words must touch a number to count (e.g. "R", "kr"). */
  readonly needsAdjacentNumber?: boolean;
}

const DOLLAR_CODES = [
  'USD',
  'CAD',
  'AUD',
  'NZD',
  'MXN',
  'SGD',
  'HKD',
  'ARS',
  'CLP',
  'COP',
  'TWD',
  'UYU',
  'DOP',
  'JMD',
  'TTD',
  'BSD',
  'BBD',
  'FJD',
  'NAD',
  'BND',
  'LRD',
  'XCD',
  'KYD',
  'BZD',
  'GYD',
  'SRD',
];

const SYMBOL_TABLE: readonly CurrencySymbol[] = [
  { text: 'US$', codes: ['USD'] },
  { text: 'U$S', codes: ['USD'] },
  { text: 'CA$', codes: ['CAD'] },
  { text: 'C$', codes: ['CAD', 'NIO'] },
  { text: 'AU$', codes: ['AUD'] },
  // Some shops put a space between the country prefix and the dollar sign.
  { text: 'AU $', codes: ['AUD'] },
  { text: 'US $', codes: ['USD'] },
  { text: 'CA $', codes: ['CAD'] },
  { text: 'NZ $', codes: ['NZD'] },
  { text: 'HK $', codes: ['HKD'] },
  { text: 'A$', codes: ['AUD'] },
  { text: 'NZ$', codes: ['NZD'] },
  { text: 'HK$', codes: ['HKD'] },
  { text: 'SG$', codes: ['SGD'] },
  { text: 'S$', codes: ['SGD'] },
  { text: 'NT$', codes: ['TWD'] },
  { text: 'MX$', codes: ['MXN'] },
  { text: 'R$', codes: ['BRL'] },
  { text: 'RD$', codes: ['DOP'] },
  { text: 'COL$', codes: ['COP'] },
  { text: 'CLP$', codes: ['CLP'] },
  { text: 'AR$', codes: ['ARS'] },
  { text: '$U', codes: ['UYU'] },
  { text: '$', codes: DOLLAR_CODES },
  { text: '€', codes: ['EUR'] },
  { text: '£', codes: ['GBP', 'EGP', 'GIP', 'FKP', 'SHP'] },
  { text: 'E£', codes: ['EGP'] },
  { text: '¥', codes: ['JPY', 'CNY'] },
  { text: '円', codes: ['JPY'] },
  { text: '元', codes: ['CNY'] },
  { text: '人民币', codes: ['CNY'] },
  { text: 'RMB', codes: ['CNY'] },
  { text: '₹', codes: ['INR'] },
  { text: 'Rs.', codes: ['INR', 'PKR', 'LKR', 'NPR', 'MUR'], needsAdjacentNumber: true },
  { text: 'Rs', codes: ['INR', 'PKR', 'LKR', 'NPR', 'MUR'], needsAdjacentNumber: true },
  { text: '₨', codes: ['INR', 'PKR', 'LKR', 'NPR'] },
  { text: '₩', codes: ['KRW'] },
  { text: '원', codes: ['KRW'] },
  { text: '₽', codes: ['RUB'] },
  { text: 'руб.', codes: ['RUB'] },
  { text: 'руб', codes: ['RUB'] },
  { text: 'р.', codes: ['RUB', 'BYN'], needsAdjacentNumber: true },
  { text: '₺', codes: ['TRY'] },
  { text: 'TL', codes: ['TRY'], needsAdjacentNumber: true },
  { text: '₴', codes: ['UAH'] },
  { text: 'грн.', codes: ['UAH'] },
  { text: 'грн', codes: ['UAH'] },
  { text: '₫', codes: ['VND'] },
  { text: 'đ', codes: ['VND'], needsAdjacentNumber: true },
  { text: 'VNĐ', codes: ['VND'] },
  { text: '฿', codes: ['THB'] },
  { text: 'บาท', codes: ['THB'] },
  { text: '₱', codes: ['PHP'] },
  { text: '₪', codes: ['ILS'] },
  { text: 'ש"ח', codes: ['ILS'] },
  { text: 'ש״ח', codes: ['ILS'] },
  { text: 'Kč', codes: ['CZK'] },
  { text: 'zł', codes: ['PLN'] },
  { text: 'Ft', codes: ['HUF'], needsAdjacentNumber: true },
  { text: 'kr.', codes: ['DKK', 'SEK', 'NOK', 'ISK'], needsAdjacentNumber: true },
  { text: 'kr', codes: ['SEK', 'NOK', 'DKK', 'ISK'], needsAdjacentNumber: true },
  { text: ':-', codes: ['SEK'], needsAdjacentNumber: true },
  { text: 'lei', codes: ['RON', 'MDL'], needsAdjacentNumber: true },
  { text: 'Lei', codes: ['RON', 'MDL'], needsAdjacentNumber: true },
  { text: 'LEI', codes: ['RON', 'MDL'], needsAdjacentNumber: true },
  { text: 'Tk', codes: ['BDT'], needsAdjacentNumber: true },
  { text: 'лв.', codes: ['BGN'] },
  { text: 'лв', codes: ['BGN'] },
  { text: 'SFr.', codes: ['CHF'] },
  { text: 'Fr.', codes: ['CHF'], needsAdjacentNumber: true },
  { text: 'د.إ', codes: ['AED'] },
  { text: 'درهم', codes: ['AED', 'MAD'] },
  { text: 'ر.س', codes: ['SAR'] },
  { text: 'ريال', codes: ['SAR', 'QAR', 'OMR'] },
  { text: '﷼', codes: ['SAR', 'IRR', 'QAR', 'OMR', 'YER'] },
  { text: 'ر.ق', codes: ['QAR'] },
  { text: 'د.ك', codes: ['KWD'] },
  { text: 'ج.م', codes: ['EGP'] },
  { text: 'RM', codes: ['MYR'], needsAdjacentNumber: true },
  { text: 'Rp', codes: ['IDR'], needsAdjacentNumber: true },
  { text: 'R', codes: ['ZAR'], needsAdjacentNumber: true },
  { text: '₦', codes: ['NGN'] },
  { text: '₵', codes: ['GHS'] },
  { text: 'KSh', codes: ['KES'], needsAdjacentNumber: true },
  { text: 'Ksh', codes: ['KES'], needsAdjacentNumber: true },
  { text: '₡', codes: ['CRC'] },
  { text: '₲', codes: ['PYG'] },
  { text: 'S/.', codes: ['PEN'], needsAdjacentNumber: true },
  { text: 'S/', codes: ['PEN'], needsAdjacentNumber: true },
  { text: '₸', codes: ['KZT'] },
  { text: '₾', codes: ['GEL'] },
  { text: '₼', codes: ['AZN'] },
  { text: '৳', codes: ['BDT'] },
  { text: '₮', codes: ['MNT'] },
  { text: 'дин.', codes: ['RSD'] },
  { text: 'din.', codes: ['RSD'], needsAdjacentNumber: true },
  { text: 'kn', codes: ['HRK'], needsAdjacentNumber: true },
  { text: 'ден', codes: ['MKD'] },
  { text: 'KM', codes: ['BAM'], needsAdjacentNumber: true },
  { text: 'Q', codes: ['GTQ'], needsAdjacentNumber: true },
  { text: 'euro', codes: ['EUR'], needsAdjacentNumber: true },
  { text: 'euros', codes: ['EUR'], needsAdjacentNumber: true },
  { text: 'dollars', codes: ['USD'], needsAdjacentNumber: true },
  { text: 'yen', codes: ['JPY'], needsAdjacentNumber: true },
];

/** Longest first, so "US$" wins over "$" and "kr." over "kr". */
export const CURRENCY_SYMBOLS: readonly CurrencySymbol[] = [...SYMBOL_TABLE].sort(
  (a, b) => b.text.length - a.text.length,
);

export interface CurrencyContext {
  /** ISO code the page or caller declared; wins whenever the marker allows it. */
  readonly declared?: string | null;
  /** BCP 47 language tag of the page, e.g. "en-CA". */
  readonly lang?: string | null;
  /** Host name or bare domain of the page, e.g. "shop.example.com.au". */
  readonly domain?: string | null;
}

/** Region (ISO 3166 alpha-2, upper case) to the currency used there. */
const REGION_CURRENCY: Readonly<Record<string, string>> = {
  US: 'USD',
  CA: 'CAD',
  AU: 'AUD',
  NZ: 'NZD',
  MX: 'MXN',
  SG: 'SGD',
  HK: 'HKD',
  AR: 'ARS',
  CL: 'CLP',
  CO: 'COP',
  TW: 'TWD',
  UY: 'UYU',
  DO: 'DOP',
  JP: 'JPY',
  CN: 'CNY',
  GB: 'GBP',
  UK: 'GBP',
  IE: 'EUR',
  DE: 'EUR',
  AT: 'EUR',
  FR: 'EUR',
  BE: 'EUR',
  NL: 'EUR',
  LU: 'EUR',
  IT: 'EUR',
  ES: 'EUR',
  PT: 'EUR',
  FI: 'EUR',
  GR: 'EUR',
  SK: 'EUR',
  SI: 'EUR',
  EE: 'EUR',
  LV: 'EUR',
  LT: 'EUR',
  HR: 'EUR',
  MT: 'EUR',
  CY: 'EUR',
  CH: 'CHF',
  LI: 'CHF',
  SE: 'SEK',
  NO: 'NOK',
  DK: 'DKK',
  IS: 'ISK',
  PL: 'PLN',
  CZ: 'CZK',
  HU: 'HUF',
  RO: 'RON',
  BG: 'BGN',
  RU: 'RUB',
  UA: 'UAH',
  BY: 'BYN',
  TR: 'TRY',
  IL: 'ILS',
  AE: 'AED',
  SA: 'SAR',
  QA: 'QAR',
  KW: 'KWD',
  EG: 'EGP',
  IN: 'INR',
  PK: 'PKR',
  LK: 'LKR',
  NP: 'NPR',
  KR: 'KRW',
  VN: 'VND',
  TH: 'THB',
  PH: 'PHP',
  MY: 'MYR',
  ID: 'IDR',
  BR: 'BRL',
  PE: 'PEN',
  ZA: 'ZAR',
  NG: 'NGN',
  KE: 'KES',
  GH: 'GHS',
  RS: 'RSD',
  KZ: 'KZT',
  GE: 'GEL',
  MA: 'MAD',
};

/** Language without region, where the language alone names the currency it is mostly paid in. */
const LANGUAGE_CURRENCY: Readonly<Record<string, string>> = {
  ja: 'JPY',
  zh: 'CNY',
  ko: 'KRW',
  sv: 'SEK',
  nb: 'NOK',
  nn: 'NOK',
  no: 'NOK',
  da: 'DKK',
  is: 'ISK',
  pl: 'PLN',
  cs: 'CZK',
  hu: 'HUF',
  ro: 'RON',
  bg: 'BGN',
  ru: 'RUB',
  uk: 'UAH',
  tr: 'TRY',
  he: 'ILS',
  vi: 'VND',
  th: 'THB',
  id: 'IDR',
  ms: 'MYR',
  ka: 'GEL',
  kk: 'KZT',
  sr: 'RSD',
  de: 'EUR',
  fr: 'EUR',
  it: 'EUR',
  es: 'EUR',
  nl: 'EUR',
  fi: 'EUR',
  el: 'EUR',
  sk: 'EUR',
  sl: 'EUR',
  et: 'EUR',
  lv: 'EUR',
  lt: 'EUR',
  hr: 'EUR',
  pt: 'EUR',
};

function regionOfLang(lang: string | null | undefined): string | null {
  if (!lang) return null;
  const parts = lang.replace(/_/g, '-').split('-');
  const region = parts.slice(1).find((part) => /^[A-Za-z]{2}$/.test(part));
  return region ? region.toUpperCase() : null;
}

function regionOfDomain(domain: string | null | undefined): string | null {
  if (!domain) return null;
  let host = domain.toLowerCase();
  if (URL.canParse(host)) host = new URL(host).hostname;
  const labels = host.replace(/\.$/, '').split('.');
  const tld = labels[labels.length - 1] ?? '';
  if (tld.length !== 2) return null;
  return tld.toUpperCase();
}

/**
 * The last answer of `currencyFromLocale`: a page asks it about the same language and domain for
 * every price text without a marker, and reading a domain tries to parse it as a URL.
 */
let lastLocale:
  | { lang: string | null | undefined; domain: string | null | undefined; currency: string | null }
  | undefined;

/** The currency a language tag or domain points at, strongest signal first. */
export function currencyFromLocale(context: CurrencyContext): string | null {
  const { lang, domain } = context;
  if (lastLocale && lastLocale.lang === lang && lastLocale.domain === domain)
    return lastLocale.currency;
  const currency = localCurrency(context);
  lastLocale = { lang, domain, currency };
  return currency;
}

function localCurrency(context: CurrencyContext): string | null {
  const langRegion = regionOfLang(context.lang);
  if (langRegion && REGION_CURRENCY[langRegion]) return REGION_CURRENCY[langRegion];
  const domainRegion = regionOfDomain(context.domain);
  if (domainRegion && REGION_CURRENCY[domainRegion]) return REGION_CURRENCY[domainRegion];
  const language = context.lang?.split(/[-_]/)[0]?.toLowerCase();
  if (language && LANGUAGE_CURRENCY[language]) return LANGUAGE_CURRENCY[language];
  return null;
}

/** Picks the reading of an ambiguous marker that the page's own context supports. */
export function resolveSymbol(symbol: CurrencySymbol, context: CurrencyContext): string {
  const { codes } = symbol;
  if (codes.length === 1) return codes[0] as string;
  if (context.declared && codes.includes(context.declared)) return context.declared;
  const local = currencyFromLocale(context);
  if (local && codes.includes(local)) return local;
  return codes[0] as string;
}

/** Reads a hint that may be an ISO code ("cad") or a marker ("C$", "zł"). */
export function currencyFromHint(hint: string | null | undefined): string | null {
  if (!hint) return null;
  const trimmed = hint.trim();
  const upper = trimmed.toUpperCase();
  if (isCurrencyCode(upper)) return upper;
  const symbol = CURRENCY_SYMBOLS.find((entry) => entry.text === trimmed);
  return symbol ? (symbol.codes[0] as string) : null;
}
