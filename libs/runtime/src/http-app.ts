import { requestLogging, type Logger } from '@shelfwatch/logging';
import express from 'express';
import { problemErrorHandler, routeNotFound, sendProblem } from './error-handler';
import { HttpProblem } from './http-problem';
import { internalCallersOnly, type CallerVerifier } from './internal-callers';
import { jsonBody } from './json-body';
import { lifecycleOf } from './lifecycle';
import { runReadinessChecks, type ReadinessCheck } from './readiness';
import { rejectUnstorableText } from './unstorable-text';
import { weakEtag } from './weak-etag';

export interface HttpAppOptions {
  logger: Logger;
  /** Dependency checks for `GET /ready`, by name (e.g. `database`); each must settle within `readinessTimeoutMs`. */
  readiness?: Record<string, ReadinessCheck>;
  readinessTimeoutMs?: number;
  /** Largest accepted JSON body, in body-parser's notation; default `100kb`. */
  bodyLimit?: string;
  /** Paths that also accept `application/x-www-form-urlencoded` bodies (public HTML forms). */
  formBodyPaths?: readonly string[];
  /** Mounts the service's own routes. */
  routes: (app: express.Express) => void;
  /** Trust `X-Forwarded-*` from a proxy in front (Cloud Run's front end) for `req.ip` and `req.protocol`. */
  trustProxy?: boolean;
  /**
   * Who may call `/internal` routes: the verifier of their OIDC identity. Without one, loopback
   * callers only, and nobody on Cloud Run.
   */
  internalCallers?: CallerVerifier;
  /** Defaults to whether `K_SERVICE` is set. */
  cloudRun?: boolean;
  /** Milliseconds since the epoch; tests set it to step through the outage log's quiet interval. */
  clock?: () => number;
}

/**
 * An Express app with the conventions every service shares: request logging, JSON bodies with a
 * size limit, `GET /health` and `GET /ready`, `/internal` for authenticated (or, locally,
 * loopback) callers only, and RFC 9457 problem+json for every error.
 */
export function createHttpApp(options: HttpAppOptions): express.Express {
  const app = express();
  const lifecycle = lifecycleOf(app);
  const readiness = options.readiness ?? {};
  const readinessTimeoutMs = options.readinessTimeoutMs ?? 2000;

  app.disable('x-powered-by');
  // Express's own weak ETags, computed without a hash object per response.
  app.set('etag', weakEtag);
  app.set('trust proxy', options.trustProxy ?? false);
  app.use(requestLogging(options.logger));

  app.get('/health', (_req, res) => {
    res.json({ status: 'ok' });
  });
  app.get('/ready', async (req, res) => {
    if (lifecycle.draining) {
      sendProblem(
        req,
        res,
        HttpProblem.of('serviceUnavailable', { detail: 'The service is shutting down.' }),
      );
      return;
    }
    const report = await runReadinessChecks(readiness, readinessTimeoutMs);
    if (report.ready) {
      res.json({ status: 'ready', checks: report.checks });
      return;
    }
    for (const failure of report.failures) {
      req.log.warn(`Readiness check "${failure.name}" ${failure.outcome}`, { err: failure.error });
    }
    const failing = report.failures.map((failure) => failure.name);
    sendProblem(
      req,
      res,
      HttpProblem.of('serviceUnavailable', {
        detail: `Not ready: ${failing.join(', ')} ${failing.length === 1 ? 'is' : 'are'} unavailable.`,
        extensions: { checks: report.checks },
      }),
    );
  });

  // Before the body is parsed: an unauthorised caller's body is not worth reading.
  app.use(
    '/internal',
    internalCallersOnly({
      verify: options.internalCallers,
      cloudRun: options.cloudRun ?? Boolean(process.env.K_SERVICE),
      logger: options.logger,
    }),
  );
  app.use(jsonBody(options.bodyLimit ?? '100kb', options.formBodyPaths));
  app.use(rejectUnstorableText);
  options.routes(app);
  app.use(routeNotFound);
  app.use(problemErrorHandler(options.logger, options.clock));
  return app;
}
