import { FIELDS, type Field, type LabelledPage, type Truth } from './corpora';

/** What an extractor said about a page's primary offer, in the labels' terms. */
export type Prediction = Truth;

export interface FieldScore {
  readonly precision: number;
  readonly recall: number;
  readonly f1: number;
  /** Pages where the field is predicted. */
  readonly predicted: number;
  /** Pages labelled with a value for the field. */
  readonly labelled: number;
  readonly correct: number;
}

export interface PageFailure {
  readonly id: string;
  readonly field: Field;
  readonly expected: string;
  readonly got: string;
}

export interface CorpusScore {
  readonly pages: number;
  readonly fields: Record<Field, FieldScore>;
  readonly failures: PageFailure[];
}

interface OfferLike {
  price?: { amount: string; currency: string } | null;
  availability?: string;
  sku?: string;
}

interface ResultLike {
  offers: OfferLike[];
  primaryOffer?: number;
}

const IN_STOCK = new Set(['InStock', 'LimitedAvailability']);
const NOT_BUYABLE = new Set(['OutOfStock', 'Discontinued', 'PreOrder', 'BackOrder']);

/**
 * The primary offer of a result: the one it names, else the first (how results read before
 * they named one). Availability folds onto the labels' two states.
 */
export function predictionOf(result: ResultLike): Prediction {
  const offer = result.offers[result.primaryOffer ?? 0];
  if (!offer) return { price: null, availability: null, sku: null };
  const state = offer.availability ?? 'Unknown';
  return {
    price: offer.price ? { amount: offer.price.amount, currency: offer.price.currency } : null,
    availability: IN_STOCK.has(state) ? 'InStock' : NOT_BUYABLE.has(state) ? 'OutOfStock' : null,
    sku: offer.sku ?? null,
  };
}

const normalizedSku = (sku: string) => sku.trim().toLowerCase();

function agrees(field: Field, expected: Truth[Field], got: Truth[Field]): boolean {
  if (expected === null || got === null || expected === undefined) return false;
  if (field === 'price') {
    const [a, b] = [expected as Truth['price'], got as Truth['price']];
    return (
      !!a &&
      !!b &&
      Number(a.amount) === Number(b.amount) &&
      (a.currency === null || a.currency === b.currency)
    );
  }
  if (field === 'sku') return normalizedSku(expected as string) === normalizedSku(got as string);
  return expected === got;
}

function show(value: Truth[Field] | undefined): string {
  if (value === null || value === undefined) return '-';
  if (typeof value === 'object') return `${value.amount} ${value.currency ?? ''}`.trim();
  return value;
}

const round = (value: number) => Math.round(value * 1000) / 1000;

/**
 * Precision over the pages where a value was predicted, recall over the pages labelled with
 * one; predicting a value where the page shows none costs precision only.
 */
export function scoreCorpus(
  pages: readonly LabelledPage[],
  predict: (page: LabelledPage) => Prediction,
): CorpusScore {
  const counts = Object.fromEntries(
    FIELDS.map((field) => [field, { predicted: 0, labelled: 0, correct: 0 }]),
  ) as Record<Field, { predicted: number; labelled: number; correct: number }>;
  const failures: PageFailure[] = [];
  for (const page of pages) {
    const prediction = predict(page);
    for (const field of FIELDS) {
      if (!(field in page.truth)) continue;
      const expected = page.truth[field] as Truth[Field];
      const got = prediction[field];
      const count = counts[field];
      if (got !== null) count.predicted++;
      if (expected !== null) count.labelled++;
      if (agrees(field, expected, got)) count.correct++;
      else if (expected !== null || got !== null)
        failures.push({ id: page.id, field, expected: show(expected), got: show(got) });
    }
  }
  const fields = Object.fromEntries(
    FIELDS.map((field) => {
      const { predicted, labelled, correct } = counts[field];
      const precision = predicted === 0 ? 0 : correct / predicted;
      const recall = labelled === 0 ? 0 : correct / labelled;
      const f1 = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
      return [
        field,
        {
          precision: round(precision),
          recall: round(recall),
          f1: round(f1),
          predicted,
          labelled,
          correct,
        },
      ];
    }),
  ) as Record<Field, FieldScore>;
  return { pages: pages.length, fields, failures };
}
