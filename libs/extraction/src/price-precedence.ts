import type { ExtractionSource, Money, Offer } from '@shelfwatch/contracts';
import { sameAmount } from './draft';
import type { PageEvidence } from './heuristics';
import type { ParsedPrice } from './price/parse-price';

const STRUCTURED: ReadonlySet<ExtractionSource> = new Set(['json-ld', 'microdata', 'opengraph']);
/** Below this the visible reading is a guess (no heading, buy button or price markup near it). */
const MIN_VISIBLE_SCORE = 4;

export interface PreferredPrice {
  readonly offer: Offer;
  readonly sources: { source: ExtractionSource; price: Money }[];
}

/**
 * Structured data is usually right, but not when the page no longer shows its price: a stale
 * feed value, another country's VAT, a net price beside the gross one a buyer pays. Then the
 * visible main price wins, and both readings are kept. Returns null when structured data stands.
 */
export function preferVisiblePrice(
  offer: Offer,
  visible: ParsedPrice | undefined,
  evidence: PageEvidence,
  fallbackCurrency: string | null,
): PreferredPrice | null {
  const source = offer.sources?.['price'];
  const current = offer.price;
  if (!current || !source || !STRUCTURED.has(source) || !visible) return null;
  if (evidence.mainPriceScore < MIN_VISIBLE_SCORE) return null;
  const currency = visible.currency ?? fallbackCurrency;
  if (!currency || sameAmount(visible.amount, current.amount)) return null;
  const shown = evidence.visibleAmounts.some((amount) => sameAmount(amount, current.amount));
  const shownAsNet = evidence.netAmounts.some((amount) => sameAmount(amount, current.amount));
  if (shown && !shownAsNet) return null;
  const price: Money = { amount: visible.amount, currency };
  const replaced: Offer = { ...offer, price, sources: { ...offer.sources, price: 'heuristic' } };
  if (
    replaced.listPrice &&
    (replaced.listPrice.currency !== currency ||
      Number(replaced.listPrice.amount) <= Number(price.amount))
  ) {
    delete replaced.listPrice;
    const sources = { ...replaced.sources };
    delete sources['listPrice'];
    replaced.sources = sources;
  }
  return {
    offer: replaced,
    sources: [
      { source: 'heuristic', price },
      { source, price: current },
    ],
  };
}
