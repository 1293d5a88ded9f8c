import type { Response } from 'express';

const quotedCache = new Map<string, string>();

/**
 * A string as JSON text, remembered for the few values a long list repeats on every row (a
 * currency, an availability): `JSON.stringify` on each is most of what printing them costs.
 */
export function quotedRepeating(value: string): string {
  let quoted = quotedCache.get(value);
  if (quoted === undefined) {
    quoted = JSON.stringify(value);
    // Bounded: the values come from the database, and a table may hold many distinct ones.
    if (quotedCache.size < 256) quotedCache.set(value, quoted);
  }
  return quoted;
}

/** Sends JSON text already printed (what `res.json` would send for the same value). */
export function sendJsonText(res: Response, text: string): void {
  if (!res.get('Content-Type')) res.set('Content-Type', 'application/json');
  res.send(text);
}
