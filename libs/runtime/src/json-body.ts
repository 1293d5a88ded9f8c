import express, { type RequestHandler } from 'express';
import { HttpProblem } from './http-problem';

const METHODS_WITH_BODY = new Set(['POST', 'PUT', 'PATCH']);
const JSON_MEDIA_TYPES = ['application/json', 'application/*+json'];

/**
 * Accepts JSON request bodies up to `limit`: a body of another media type on POST/PUT/PATCH is
 * answered 415; malformed and oversized bodies surface as body-parser errors for the error handler.
 */
export function jsonBody(limit: string): RequestHandler[] {
  const requireJson: RequestHandler = (req, _res, next) => {
    if (METHODS_WITH_BODY.has(req.method) && hasBody(req.headers) && !req.is(JSON_MEDIA_TYPES)) {
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
  return [requireJson, express.json({ limit, type: JSON_MEDIA_TYPES })];
}

function hasBody(headers: Record<string, string | string[] | undefined>): boolean {
  const length = headers['content-length'];
  return headers['transfer-encoding'] !== undefined || (length !== undefined && length !== '0');
}
