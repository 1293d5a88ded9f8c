import express, { type RequestHandler } from 'express';
import { HttpProblem } from './http-problem';

const METHODS_WITH_BODY = new Set(['POST', 'PUT', 'PATCH']);
const JSON_MEDIA_TYPES = ['application/json', 'application/*+json'];
const FORM_MEDIA_TYPE = 'application/x-www-form-urlencoded';

/**
 * Accepts JSON request bodies up to `limit`: a body of another media type on POST/PUT/PATCH is
 * answered 415, except an HTML form posted to one of `formPaths` (mail clients' one-click
 * unsubscribe, RFC 8058, posts `List-Unsubscribe=One-Click` as a form); malformed and oversized bodies surface as body-parser errors for the error handler.
 */
export function jsonBody(limit: string, formPaths: readonly string[] = []): RequestHandler {
  const formPathSet = new Set(formPaths);
  const acceptsForm = (req: express.Request) =>
    formPathSet.has(req.path) && req.is(FORM_MEDIA_TYPE) !== false;
  const requireJson: RequestHandler = (req, _res, next) => {
    if (
      METHODS_WITH_BODY.has(req.method) &&
      hasBody(req.headers) &&
      !req.is(JSON_MEDIA_TYPES) &&
      !acceptsForm(req)
    ) {
      const received = req.get('content-type') ?? 'no Content-Type';
      next(
        HttpProblem.of('unsupportedMediaType', {
          detail: `Request bodies must be JSON (Content-Type: application/json); got ${received}.`,
          headers: { 'Accept-Post': 'application/json', 'Accept-Patch': 'application/json' },
        }),
      );
      return;
    }
    next();
  };
  const forms = express.urlencoded({ limit, extended: false, type: FORM_MEDIA_TYPE });
  const json = express.json({ limit, type: JSON_MEDIA_TYPES });
  // One handler rather than three: a request without a body (every GET) needs none of them and
  // passes on at once, as each of them would pass it (ADR 0042).
  return (req, res, next) => {
    if (
      req.headers['transfer-encoding'] === undefined &&
      req.headers['content-length'] === undefined
    ) {
      // What body-parser leaves on a request it has nothing to read from.
      if (!Reflect.has(req, 'body')) req.body = undefined;
      next();
      return;
    }
    requireJson(req, res, (error?: unknown) => {
      if (error !== undefined) return next(error);
      json(req, res, (jsonError?: unknown) => {
        if (jsonError !== undefined) return next(jsonError);
        if (acceptsForm(req)) return forms(req, res, next);
        next();
      });
    });
  };
}

function hasBody(headers: Record<string, string | string[] | undefined>): boolean {
  const length = headers['content-length'];
  return headers['transfer-encoding'] !== undefined || (length !== undefined && length !== '0');
}
