import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { preparedWriterOf, projectIdOf, type Logger } from './create-logger';
import { redactString } from './redact';
import { parseTraceContext, traceLogFields, type TraceContext } from './trace-context';

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace Express {
    interface Request {
      /** Request-scoped logger: every entry carries the request's trace context. */
      log: Logger;
    }
  }
}

/** Cloud Logging's `HttpRequest` shape (google.logging.type.HttpRequest). */
export interface HttpRequestLog {
  requestMethod: string;
  requestUrl: string;
  /** Absent when the connection closed before a status was sent. */
  status?: number;
  requestSize?: string;
  responseSize?: string;
  userAgent?: string;
  remoteIp?: string;
  referer?: string;
  latency: string;
  protocol: string;
}

export interface RequestLoggingOptions {
  /** Project for `projects/<id>/traces/<trace>`; defaults to the logger's, then `GOOGLE_CLOUD_PROJECT`. */
  projectId?: string;
}

/** A child logger whose every entry carries the given trace context. */
export function withTraceContext(logger: Logger, context: TraceContext): Logger {
  return logger.child(traceLogFields(context));
}

/**
 * Attaches a request-scoped logger carrying the caller's trace context (`req.log`, `res.locals.log`)
 * and logs one entry per finished request with Cloud Logging's `httpRequest` fields, at error for
 * 5xx, warn for 4xx and info otherwise.
 */
export function requestLogging(
  logger: Logger,
  options: RequestLoggingOptions = {},
): RequestHandler {
  const projectId = options.projectId ?? projectIdOf(logger) ?? process.env.GOOGLE_CLOUD_PROJECT;
  return (req: Request, res: Response, next: NextFunction) => {
    const startedAt = process.hrtime.bigint();
    // The request's child logger is made when first used: most requests log nothing but their
    // summary line, and at a level above info not even that.
    let log: Logger | undefined;
    const requestLog = (): Logger =>
      (log ??= withTraceContext(logger, parseTraceContext(req.headers, projectId)));
    Object.defineProperty(req, 'log', { get: requestLog, configurable: true, enumerable: true });
    Object.defineProperty(res.locals, 'log', {
      get: requestLog,
      configurable: true,
      enumerable: true,
    });
    // 'close' fires once for completed and aborted requests alike; `on` with a flag rather than
    // `once`, whose wrapper and removal cost a simple GET more than the flag (ADR 0042).
    let closed = false;
    res.on('close', () => {
      if (closed) return;
      closed = true;
      const aborted = !res.writableFinished;
      const level =
        aborted || isServerFault(res.statusCode)
          ? 'error'
          : res.statusCode >= 400
            ? 'warn'
            : 'info';
      // Describing the request costs more than the rest of a simple GET's logging: skip it when
      // the line would not be written.
      if (!logger.isLevelEnabled(level)) return;
      const seconds = Number(process.hrtime.bigint() - startedAt) / 1e9;
      const httpRequest = describeRequest(req, res, seconds);
      const summary = `${httpRequest.requestMethod} ${httpRequest.requestUrl} ${httpRequest.status ?? '-'} ${(seconds * 1000).toFixed(1)}ms`;
      const message = aborted
        ? `${summary} (connection closed before the response finished)`
        : summary;
      // In Cloud Logging's json format the line goes straight to the transport: every field of
      // it is redacted in describeRequest already, and winston's pipeline (stream hops and a
      // deep redaction of each field) cost more than the line itself.
      const write = preparedWriterOf(logger);
      if (write) {
        write({
          level,
          message,
          httpRequest,
          ...traceLogFields(parseTraceContext(req.headers, projectId)),
          timestamp: new Date(),
        });
        return;
      }
      requestLog().log(level, message, { httpRequest });
    });
    next();
  };
}

/**
 * The request's `httpRequest` fields, safe to log as they are: the URL, user agent and referer,
 * the caller's own text, are redacted (the rest are numbers, the method, the address and the
 * protocol).
 */
function describeRequest(req: Request, res: Response, seconds: number): HttpRequestLog {
  const httpRequest: HttpRequestLog = {
    requestMethod: req.method,
    requestUrl: redactString(req.originalUrl),
    latency: `${seconds.toFixed(3)}s`,
    protocol: `HTTP/${req.httpVersion}`,
  };
  if (res.headersSent) httpRequest.status = res.statusCode;
  const requestSize = req.headers['content-length'];
  if (requestSize !== undefined) httpRequest.requestSize = requestSize;
  const responseSize = res.getHeader('content-length');
  if (responseSize !== undefined) httpRequest.responseSize = String(responseSize);
  const userAgent = req.headers['user-agent'];
  if (userAgent !== undefined) httpRequest.userAgent = redactString(userAgent);
  const remoteIp = req.ip ?? req.socket.remoteAddress;
  if (remoteIp !== undefined) httpRequest.remoteIp = remoteIp;
  const referer = req.headers.referer ?? req.headers.referrer;
  if (referer !== undefined) httpRequest.referer = redactString(String(referer));
  return httpRequest;
}

/**
 * Whether a status is the service's own fault. 502, 503 and 504 say a dependency is unavailable or
 * slow (the answer the service is designed to give then, with `Retry-After`): a warning, like 4xx.
 */
function isServerFault(status: number): boolean {
  return status >= 500 && status !== 502 && status !== 503 && status !== 504;
}
