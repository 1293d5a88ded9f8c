import type { RequestHandler } from 'express';

/**
 * Hands a request to `handler` (a route family's router) only when its path is `prefix` or below
 * it, compared without case as Express matches routes; other requests skip it without walking
 * its routes. With every family mounted so, a request walks its own family's routes only, not
 * every router's (ADR 0031). The router still sees the whole path: its routes are unchanged.
 */
export function servedUnder(prefix: string, handler: RequestHandler): RequestHandler {
  const exact = prefix.toLowerCase();
  const below = `${exact}/`;
  return (req, res, next) => {
    const path = req.path.toLowerCase();
    // Returned, so Express sees a handler's rejected promise and passes the error on.
    if (path === exact || path.startsWith(below)) return handler(req, res, next);
    return next();
  };
}
