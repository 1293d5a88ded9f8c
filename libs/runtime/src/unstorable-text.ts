import { isStorableText } from '@shelfwatch/contracts';
import type { NextFunction, Request, RequestHandler } from 'express';
import { HttpProblem } from './http-problem';

function decoded(component: string): string | undefined {
  try {
    return decodeURIComponent(component.replace(/\+/g, ' '));
  } catch {
    return undefined;
  }
}

/** The JSON path of the first string (or key) in `value` that holds unstorable text. */
function findUnstorable(value: unknown, path: string, depth = 0): string | undefined {
  if (typeof value === 'string') return !isStorableText(value) ? path : undefined;
  if (typeof value !== 'object' || value === null || depth > 64) return undefined;
  for (const [key, item] of Object.entries(value)) {
    const at = Array.isArray(value) ? `${path}[${key}]` : `${path}.${key}`;
    if (!isStorableText(key)) return at;
    const found = findUnstorable(item, at, depth + 1);
    if (found) return found;
  }
  return undefined;
}

/**
 * Rejects, as 400 problem+json, a request whose path or query holds malformed percent-encoding,
 * NUL or a lone surrogate, and a JSON body with NUL or a lone surrogate in any string: no handler
 * or schema sees text that could never be stored, and the caller learns which part to fix.
 */
export const rejectUnstorableText: RequestHandler = (req, _res, next) => {
  // Without percent-encoding no part decodes to anything but itself (a "+" is a space), and the
  // parts are split at ASCII characters, so the URL holds unstorable text exactly when one of its
  // parts does: one test instead of one per part. Otherwise each part is tested, to say which.
  if (!req.originalUrl.includes('%') && isStorableText(req.originalUrl))
    return bodyCheck(req, next);
  const queryStart = req.originalUrl.indexOf('?');
  const rawPath = queryStart < 0 ? req.originalUrl : req.originalUrl.slice(0, queryStart);
  const rawQuery = queryStart < 0 ? '' : req.originalUrl.slice(queryStart + 1);
  for (const segment of rawPath.split('/')) {
    const text = decoded(segment);
    if (text === undefined || !isStorableText(text))
      return next(
        HttpProblem.of('badRequest', {
          detail:
            text === undefined
              ? 'The request path holds malformed percent-encoding.'
              : 'The request path holds a NUL character or an unpaired surrogate.',
        }),
      );
  }
  for (const pair of rawQuery.split('&').filter(Boolean)) {
    const equals = pair.indexOf('=');
    const name = equals < 0 ? pair : pair.slice(0, equals);
    const value = equals < 0 ? '' : pair.slice(equals + 1);
    const decodedName = decoded(name);
    const decodedValue = decoded(value);
    if (
      decodedName === undefined ||
      decodedValue === undefined ||
      !isStorableText(decodedName) ||
      !isStorableText(decodedValue)
    )
      return next(
        HttpProblem.of('badRequest', {
          detail: `Query parameter "${decodedName === undefined ? 'unknown' : isStorableText(decodedName) ? decodedName : 'unprintable'}" holds malformed percent-encoding, a NUL character or an unpaired surrogate.`,
        }),
      );
  }
  bodyCheck(req, next);
};

function bodyCheck(req: Request, next: NextFunction): void {
  const field = findUnstorable(req.body, '$');
  if (field)
    return next(
      HttpProblem.of('badRequest', {
        detail: `The request body holds a NUL character or an unpaired surrogate at ${field}.`,
      }),
    );
  next();
}
