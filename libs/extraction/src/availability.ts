import type { Availability, OfferCondition } from '@shelfwatch/contracts';
import { textMemo } from './text-memo';

const SCHEMA_NAMES: Readonly<Record<string, Availability>> = {
  instock: 'InStock',
  instoreonly: 'InStock',
  onlineonly: 'InStock',
  outofstock: 'OutOfStock',
  soldout: 'OutOfStock',
  preorder: 'PreOrder',
  presale: 'PreOrder',
  backorder: 'BackOrder',
  limitedavailability: 'LimitedAvailability',
  discontinued: 'Discontinued',
  // Google Merchant / Facebook catalogue spellings.
  'in stock': 'InStock',
  'out of stock': 'OutOfStock',
  'available for order': 'BackOrder',
  available: 'InStock',
  in_stock: 'InStock',
  out_of_stock: 'OutOfStock',
  'pre-order': 'PreOrder',
  pre_order: 'PreOrder',
  'back-order': 'BackOrder',
  back_order: 'BackOrder',
  'available for preorder': 'PreOrder',
};

type Phrases = readonly [Availability, RegExp];

/*
 * Phrases per state in the languages shops mostly write in. Negative and future states are
 * listed before InStock because their phrases often contain an in-stock phrase ("nicht
 * lieferbar", "not available", "disponible bientôt").
 */
const PHRASES: readonly Phrases[] = [
  [
    'Discontinued',
    /discontinued|no longer (available|sold|produced)|nicht mehr (erhältlich|lieferbar|verfügbar)|auslaufartikel|plus fabriqué|n'est plus disponible|descatalogado|fuori produzione|niet meer leverbaar|wycofan|fora de linha|utgått|ukončen[ýa] prodej|снят с производства|販売終了|생산 ?중단|판매 ?종료|已停产|停售/iu,
  ],
  [
    'PreOrder',
    /pre-?order|pre-?sale|vorbestell|précommande|pré-commande|precommande|reserva(r)? ya|preventa|pre-?ordina|prenota(zione)?|pre-?bestel|przedsprzedaż|zamów w przedsprzedaży|pré-?venda|förbeställ|předprodej|předobjednávk|предзаказ|予約(受付|注文|販売)?|예약 ?(판매|주문)|预售|預購|预订/iu,
  ],
  [
    'BackOrder',
    /back-?order|on backorder|nachbestellt|nachlieferung|en réapprovisionnement|sur commande|bajo pedido|en reposición|su ordinazione|in riassortimento|nabestelling|na zamówienie|sob encomenda|restnoterad|beställningsvara|na objednávku|под заказ|取り寄せ|入荷待ち|주문 ?후 ?제작|입고 ?예정|缺货登记|订货/iu,
  ],
  [
    'OutOfStock',
    /notify me when|email me when|benachrichtig|me prévenir|m'avertir|avísame|avise-me|avisar quando|сообщить о поступлении|入荷お知らせ|到货通知|out[ -]of[ -]stock|sold[ -]?out|not (currently )?(in stock|available)|unavailable|currently unavailable|no stock|ausverkauft|nicht (auf lager|vorrätig|verfügbar|lieferbar)|derzeit nicht|vergriffen|rupture de stock|épuisé|epuise|indisponible|non disponible|plus en stock|agotado|sin stock|no disponible|agotada|esaurito|non disponibile|esaurita|uitverkocht|niet (op voorraad|leverbaar|beschikbaar)|tijdelijk uitverkocht|niedostępn|wyprzedan|brak (w magazynie|towaru|na stanie)|esgotado|indisponível|fora de estoque|sem estoque|slutsåld|slut i lager|tillfälligt slut|ej i lager|finns ej i lager|není skladem|nie je skladom|vypredané|vypredaný|stoc epuizat|nu este în stoc|indisponibil|epuizat|vyprodáno|nedostupn|нет в наличии|распродан|отсутствует|недоступ|在庫切れ|在庫なし|売り切れ|完売|品切れ|품절|재고 ?없음|일시 ?품절|缺货|缺貨|售罄|无货|無貨|已售完|暂时无货/iu,
  ],
  [
    'LimitedAvailability',
    /limited (stock|availability|quantity)|only \d+ left|few left|low stock|almost gone|nur noch \d+|wenige (artikel|exemplare)|geringer bestand|plus que \d+|stock limité|últimas unidades|pocas unidades|quedan \d+|ultimi (pezzi|\d+)|disponibilità limitata|nog maar \d+|beperkte voorraad|ostatnie sztuki|últimas peças|få i lager|endast \d+ kvar|poslední kusy|осталось мало|заканчивается|残りわずか|残り\d+点|재고 ?부족|품절 ?임박|库存紧张|仅剩/iu,
  ],
  [
    'InStock',
    /in[ -]stock|available (now|to ship|for (immediate )?(delivery|dispatch|shipping))|ships (today|within|in)|ready to ship|add to (cart|bag|basket)|auf lager|sofort lieferbar|lieferbar|vorrätig|verfügbar|en stock|disponible|en existencia|disponibile|in magazzino|op voorraad|leverbaar|beschikbaar|dostępn|w magazynie|na stanie|em estoque|disponível|i lager|finns i lager|skladem|skladom|na sklade|dostupné|în stoc|in stoc|disponibil|в наличии|есть в наличии|在庫あり|在庫有り|在庫有|即納|재고 ?있음|구매 ?가능|有货|有貨|现货|現貨/iu,
  ],
];

const FUTURE_STOCK =
  /(be |is |comes? )?back in stock|wieder (auf lager|verfügbar|lieferbar)|de nouveau (en stock|disponible)|de nuevo en stock|di nuovo disponibile|weer op voorraad|novamente em estoque|снова в наличии|再入荷/giu;

const GLOBAL_PHRASES: readonly Phrases[] = PHRASES.map(([state, pattern]) => [
  state,
  new RegExp(pattern.source, 'giu'),
]);

function schemaKey(value: string): string {
  let text = value.trim();
  const slash = text.lastIndexOf('/');
  if (/^https?:/i.test(text) || /^schema:/i.test(text) || /^\/\/schema\.org\//i.test(text)) {
    text = text.slice(Math.max(slash, text.indexOf(':')) + 1);
  }
  return text.toLowerCase();
}

/**
 * Maps a stock value to a schema.org availability: the schema.org names in any spelling
 * ("https://schema.org/InStock", "instock", "OutOfStock", "in_stock"), and stock phrases in
 * many languages. Says Unknown when the text is not about stock or says two different things;
 * it never guesses out-of-stock.
 */
export function normalizeAvailability(value: string, _lang?: string): Availability {
  if (typeof value !== 'string') return 'Unknown';
  const text = value.slice(0, 300);
  return readingOf(text);
}

/**
 * Stock texts already read: reading one runs seven large case-insensitive Unicode patterns, and
 * a shop prints the same few ("In stock", its buy button's label) on every page (ADR 0047).
 */
const readingOf = textMemo(readAvailability, 1024);

function readAvailability(text: string): Availability {
  const key = schemaKey(text);
  const direct = SCHEMA_NAMES[key] ?? SCHEMA_NAMES[key.replace(/[\s_-]+/g, '')];
  if (direct) return direct;
  const found = new Set<Availability>();
  // "back in stock" talks about a future the product is not in yet.
  let remaining = text.toLowerCase().replace(FUTURE_STOCK, ' ');
  for (const [state, pattern] of GLOBAL_PHRASES) {
    pattern.lastIndex = 0;
    if (pattern.test(remaining)) {
      found.add(state);
      // Blank out what matched so "nicht lieferbar" does not also read as "lieferbar".
      pattern.lastIndex = 0;
      remaining = remaining.replace(pattern, ' ');
    }
  }
  if (found.size === 1) return [...found][0] as Availability;
  // "Only 2 left in stock": limited availability is the more precise reading of in stock.
  if (found.size === 2 && found.has('LimitedAvailability') && found.has('InStock')) {
    return 'LimitedAvailability';
  }
  return 'Unknown';
}

const CONDITIONS: readonly [OfferCondition, RegExp][] = [
  [
    'Refurbished',
    /refurbished|renewed|reconditioned|generalüberholt|reconditionné|reacondicionado|ricondizionato|odnowion|recondicionado/i,
  ],
  ['Damaged', /damaged|beschädigt|endommagé|dañado|danneggiato/i],
  [
    'Used',
    /used|pre-?owned|second[- ]?hand|gebraucht|d'occasion|occasion|usado|usato|używan|použit|б\/у|中古/i,
  ],
  ['New', /new|neu|neuf|nuevo|nuovo|nieuw|nowy|novo|ny|nový|новый|新品/i],
];

/** schema.org OfferItemCondition (any spelling) or a condition word to the contracts enum. */
export function normalizeCondition(value: string): OfferCondition | undefined {
  if (typeof value !== 'string') return undefined;
  const key = schemaKey(value).replace(/condition$/, '');
  for (const [condition, pattern] of CONDITIONS) {
    if (pattern.test(key)) return condition;
  }
  return undefined;
}
