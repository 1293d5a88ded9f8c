/**
 * Price points to what the chart draws: aligned columns for uPlot (x in Unix seconds), the
 * periods a product could not be bought (shaded), and the window of each range preset.
 */
import { isBuyable } from '../format';
import type { PricePoint } from '../api/types';

export interface PriceSeries {
  /** Observation times, Unix seconds, ascending. */
  x: number[];
  price: (number | null)[];
  listPrice: (number | null)[];
  /** [from, to] in Unix seconds where the product was out of stock (or otherwise not buyable). */
  stockGaps: Array<[number, number]>;
  currency: string | null;
}

export function priceSeries(points: readonly PricePoint[]): PriceSeries {
  const x: number[] = [];
  const price: (number | null)[] = [];
  const listPrice: (number | null)[] = [];
  const stockGaps: Array<[number, number]> = [];
  let currency: string | null = null;
  let gapStart: number | null = null;
  for (const point of points) {
    const at = Date.parse(point.observedAt) / 1000;
    x.push(at);
    price.push(point.price ? Number(point.price.amount) : null);
    listPrice.push(point.listPrice ? Number(point.listPrice.amount) : null);
    currency ??= point.price?.currency ?? point.listPrice?.currency ?? null;
    const buyable = isBuyable(point.availability);
    if (!buyable && gapStart === null) gapStart = at;
    if (buyable && gapStart !== null) {
      stockGaps.push([gapStart, at]);
      gapStart = null;
    }
  }
  // A gap still open runs to the newest observation.
  if (gapStart !== null) stockGaps.push([gapStart, x[x.length - 1] ?? gapStart]);
  return { x, price, listPrice, stockGaps, currency };
}

export const RANGE_PRESETS = ['7d', '30d', '1y', 'all'] as const;
export type RangePreset = (typeof RANGE_PRESETS)[number];

const presetSeconds: Record<Exclude<RangePreset, 'all'>, number> = {
  '7d': 7 * 86_400,
  '30d': 30 * 86_400,
  '1y': 365 * 86_400,
};

/**
 * The x window of a preset, ending at the newest point: "all" spans every point; a window with a
 * single point or none gets an hour around it so the chart has a width to draw.
 */
export function presetWindow(
  x: readonly number[],
  preset: RangePreset,
): { min: number; max: number } | null {
  if (x.length === 0) return null;
  const first = x[0]!;
  const last = x[x.length - 1]!;
  const min = preset === 'all' ? first : Math.max(first, last - presetSeconds[preset]);
  if (last - min < 60) return { min: min - 1800, max: last + 1800 };
  return { min, max: last };
}
