/**
 * The dashboard (apps/web's production build) served from the api's own origin, so the page
 * uses the session cookie and X-CSRF-Token with no CORS (ADR 0019). Hashed assets are cached
 * for a year; every other GET that asks for HTML and is not an api route gets index.html, so a
 * deep link such as /products/<id> opens the app, which routes it.
 */
import express, { Router, type RequestHandler } from 'express';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';

/** Paths the api itself answers: never the app's, even for a browser asking for HTML. */
const API_PATHS = /^\/(v1|internal|pubsub|openapi\.json$|health$|ready$)/;

/**
 * Only our own scripts and styles; images from any https or loopback shop (product pictures);
 * uPlot styles its canvas through the CSSOM, which style-src does not restrict.
 */
export const WEB_CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "img-src 'self' data: https: http://127.0.0.1:* http://localhost:*",
  "style-src 'self'",
  "script-src 'self'",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

const securityHeaders: RequestHandler = (_req, res, next) => {
  res.set('Content-Security-Policy', WEB_CONTENT_SECURITY_POLICY);
  res.set('X-Content-Type-Options', 'nosniff');
  res.set('Referrer-Policy', 'same-origin');
  next();
};

/** Routes serving the built app in `dir`; fails at start when the build is missing. */
export function webAppRouter(dir: string): Router {
  const root = resolve(dir);
  const indexFile = join(root, 'index.html');
  if (!existsSync(indexFile))
    throw new Error(
      `WEB_DIST_DIR ${root} has no index.html: build the dashboard (nx run web:build)`,
    );
  const router = Router();
  router.use(
    '/assets',
    securityHeaders,
    express.static(join(root, 'assets'), {
      immutable: true,
      maxAge: '365d',
      index: false,
      fallthrough: false,
    }),
  );
  router.get(/.*/, (req, res, next) => {
    if (API_PATHS.test(req.path) || !req.accepts('html')) {
      next();
      return;
    }
    securityHeaders(req, res, () => {
      res.set('Cache-Control', 'no-cache');
      res.sendFile(indexFile);
    });
  });
  return router;
}
