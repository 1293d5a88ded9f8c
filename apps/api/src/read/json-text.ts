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

const JSON_TYPE = 'application/json; charset=utf-8';

/**
 * Sends JSON text already printed: the bytes and headers `res.json` sends for the same value.
 * As a Buffer with its final Content-Type, because `res.send` re-parses and re-formats the type
 * of every string body to add the charset (ADR 0042); it made the Buffer for Content-Length and
 * the ETag anyway.
 */
export function sendJsonText(res: Response, text: string): void {
  if (res.getHeader('Content-Type') !== undefined) {
    res.send(text);
    return;
  }
  res.setHeader('Content-Type', JSON_TYPE);
  res.send(Buffer.from(text));
}

/** `res.json(value)` for the hot reads: the same text (JSON.stringify), sent as `sendJsonText`. */
export function sendJson(res: Response, value: object): void {
  sendJsonText(res, JSON.stringify(value));
}
