import { STATUS_CODES } from 'node:http';
import type { Logger } from '@shelfwatch/logging';
import type { ErrorRequestHandler, Request, RequestHandler, Response } from 'express';
import { z } from 'zod';
import { DEPENDENCY_RETRY_AFTER_SECONDS, isDependencyUnavailable } from './dependency-unavailable';
import { HttpProblem, validationFailed } from './http-problem';
import { PROBLEM_CONTENT_TYPE } from './problems';

/** Answers requests that matched no route with a route-not-found problem. */
export const routeNotFound: RequestHandler = (req, _res, next) => {
  next(HttpProblem.of('routeNotFound', { detail: `No route matches ${req.method} ${req.path}.` }));
};

/** How long repeats of one outage's warning stay out of the log after it was written. */
export const OUTAGE_WARNING_INTERVAL_MS = 30_000;

/**
 * Turns anything thrown into an RFC 9457 problem: `HttpProblem`s as they are, zod errors as 400,
 * body-parser failures as 400/413/415, a database that is down, saturated or timing out as 503 with
 * `Retry-After`, and everything else as a generic 500 whose details (and stack) go to the log only.
 *
 * Only a 500 is a bug, logged at ERROR with its stack. An unavailable dependency (a 503, 502 or
 * 504, whether recognised here or thrown as an `HttpProblem`) is logged at WARN with its reason,
 * once per reason and `OUTAGE_WARNING_INTERVAL_MS`, counting the repeats left out: an outage
 * answers every request with the same problem and must not flood the log.
 */
export function problemErrorHandler(
  fallbackLogger: Logger,
  clock: () => number = Date.now,
): ErrorRequestHandler {
  const warnOutage = outageWarnings(clock);
  return (error: unknown, req, res, next) => {
    const log = req.log ?? fallbackLogger;
    const problem = toProblem(error);
    if (problem.status === 500) {
      log.error(`Unhandled error in ${req.method} ${req.path}`, { err: asError(error) });
    } else if (problem.status > 500) {
      const reason =
        error instanceof HttpProblem ? (problem.detail ?? problem.title) : asError(error).message;
      warnOutage(log, `${problem.title} during ${req.method} ${req.path}: ${reason}`, reason);
    }
    if (res.headersSent) {
      // Too late for a problem document; Express's default handler aborts the connection.
      next(error);
      return;
    }
    sendProblem(req, res, problem);
  };
}

/** Logs a warning per reason at most once per interval, with how many were left out since. */
function outageWarnings(
  clock: () => number,
): (log: Logger, message: string, reason: string) => void {
  const quiet = new Map<string, { until: number; suppressed: number }>();
  return (log, message, reason) => {
    const now = clock();
    const entry = quiet.get(reason);
    if (entry && now < entry.until) {
      entry.suppressed++;
      return;
    }
    log.warn(message, {
      reason,
      ...(entry?.suppressed ? { repeatsNotLogged: entry.suppressed } : {}),
    });
    // Reasons are few (one per failing dependency); forget stale ones so the map stays small.
    for (const [key, value] of quiet) if (value.until <= now) quiet.delete(key);
    quiet.set(reason, { until: now + OUTAGE_WARNING_INTERVAL_MS, suppressed: 0 });
  };
}

export function sendProblem(req: Request, res: Response, problem: HttpProblem): void {
  for (const [name, value] of Object.entries(problem.headers ?? {})) res.setHeader(name, value);
  res
    .status(problem.status)
    .type(PROBLEM_CONTENT_TYPE)
    .json(problem.toDocument(req.originalUrl.split('?')[0]));
}

interface HttpLikeError {
  status?: unknown;
  statusCode?: unknown;
  expose?: unknown;
  type?: unknown;
  limit?: unknown;
  message?: unknown;
}

function toProblem(error: unknown): HttpProblem {
  if (error instanceof HttpProblem) return error;
  if (error instanceof z.ZodError) return validationFailed(error);
  // The router's decoding of a path parameter such as `%E0%A4%A` (its status is not marked exposable).
  if (error instanceof URIError)
    return HttpProblem.of('badRequest', {
      detail: 'The request path holds malformed percent-encoding.',
    });
  const httpError = (typeof error === 'object' && error !== null ? error : {}) as HttpLikeError;
  // body-parser (via http-errors) labels its failures with a `type`.
  switch (httpError.type) {
    case 'entity.parse.failed':
      return HttpProblem.of('malformedJson', {
        detail: `The request body is not valid JSON: ${String(httpError.message)}`,
      });
    case 'entity.too.large':
      return HttpProblem.of('payloadTooLarge', {
        detail: `The request body exceeds the limit of ${String(httpError.limit)} bytes.`,
      });
    case 'encoding.unsupported':
    case 'charset.unsupported':
      return HttpProblem.of('unsupportedMediaType', { detail: String(httpError.message) });
  }
  const status = Number(httpError.status ?? httpError.statusCode);
  if (status >= 400 && status < 500 && httpError.expose === true) {
    if (status === 404) return HttpProblem.of('notFound', { detail: String(httpError.message) });
    return new HttpProblem({
      type: 'about:blank',
      title: STATUS_CODES[status] ?? 'Client error',
      status,
      detail: String(httpError.message),
    });
  }
  if (isDependencyUnavailable(error))
    return HttpProblem.of('serviceUnavailable', {
      detail: 'The database is unavailable or overloaded right now; retry after the delay given.',
      headers: { 'Retry-After': String(DEPENDENCY_RETRY_AFTER_SECONDS) },
    });
  return HttpProblem.of('internal', {
    detail: 'The server failed to handle the request. It has been logged; please retry later.',
  });
}

function asError(error: unknown): Error {
  return error instanceof Error ? error : new Error(`Non-error thrown: ${String(error)}`);
}
