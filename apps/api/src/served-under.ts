import type { RequestHandler } from 'express';

const SLASH = 0x2f;

/**
 * Hands a request to `handler` (a route family's router) only when its path is `prefix` or below
 * it, compared without case as Express matches routes; other requests skip it without walking
 * its routes. With every family mounted so, a request walks its own family's routes only, not
 * every router's (ADR 0031). The router still sees the whole path: its routes are unchanged.
 */
export function servedUnder(prefix: string, handler: RequestHandler): RequestHandler {
  const exact = prefix.toLowerCase();
  const length = exact.length;
  return (req, res, next) => {
    const path = req.path;
    // Only a path that ends or has a slash where the prefix ends is lower-cased and compared: a
    // request reaching the last family passes a dozen of these, and most end up copying nothing.
    const under =
      (path.length === length || path.charCodeAt(length) === SLASH) &&
      path.slice(0, length).toLowerCase() === exact;
    // Returned, so Express sees a handler's rejected promise and passes the error on.
    if (under) return handler(req, res, next);
    return next();
  };
}
