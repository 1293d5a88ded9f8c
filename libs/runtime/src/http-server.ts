import http from 'node:http';
import net, { type AddressInfo } from 'node:net';
import type { Logger } from '@shelfwatch/logging';
import type { Express } from 'express';
import { lifecycleOf } from './lifecycle';

export interface HttpServerOptions {
  port: number;
  /** Interface to bind; defaults to all interfaces (what Cloud Run needs). */
  host?: string;
  logger: Logger;
  /** Run in order after in-flight requests have finished: close pools, flush publishers. */
  onShutdown?: Array<() => Promise<void>>;
  /** Deadline for the whole shutdown; default 9000 ms, under Cloud Run's 10 s before SIGKILL. */
  shutdownTimeoutMs?: number;
  /** Signals that start a graceful shutdown and then exit the process; default SIGTERM and SIGINT. */
  signals?: NodeJS.Signals[];
  /**
   * Ends the work of requests still running `cancelLeadMs` before the deadline (the database
   * statements they wait on: `cancelStatementsOf` from the db library), so they fail with an answer
   * (503) instead of a reset, and nothing commits behind a client that was cut off. Called again
   * every 250 ms while requests remain, for statements started after the previous call.
   */
  cancelInFlight?: () => Promise<unknown>;
  /** How long before the deadline `cancelInFlight` is first called; default 2000 ms. */
  cancelLeadMs?: number;
}

/**
 * While draining, idle keep-alive connections are closed only after no request has been running
 * for this long: a client that sends on one in that time gets an answer with `Connection: close`
 * rather than a reset.
 */
export const IDLE_CONNECTION_GRACE_MS = 500;
const CANCEL_REPEAT_MS = 250;

export interface RunningHttpServer {
  server: http.Server;
  /** Base URL of the server, e.g. `http://127.0.0.1:8080`. */
  url: string;
  /**
   * Stops taking work, waits for in-flight requests, then runs the `onShutdown` closers. Rejects if
   * that exceeds the shutdown timeout (connections are then force-closed). Never exits the process.
   */
  shutdown(reason?: string): Promise<void>;
}

export class ShutdownTimeoutError extends Error {
  constructor(timeoutMs: number) {
    super(`Graceful shutdown did not finish within ${timeoutMs} ms`);
    this.name = 'ShutdownTimeoutError';
  }
}

/**
 * Serves `app` on `port` (0 picks a free one) and shuts down gracefully on the given signals:
 * `/ready` starts answering 503, the listener closes, idle keep-alive connections are dropped,
 * in-flight requests finish, the closers run, and the process exits 0 — or 1 after the deadline.
 */
export async function startHttpServer(
  app: Express,
  options: HttpServerOptions,
): Promise<RunningHttpServer> {
  const { logger } = options;
  const shutdownTimeoutMs = options.shutdownTimeoutMs ?? 9000;
  const signals = options.signals ?? ['SIGTERM', 'SIGINT'];
  const lifecycle = lifecycleOf(app);
  const server = http.createServer();
  const inFlight = new Set<http.ServerResponse>();

  let idleTimer: NodeJS.Timeout | undefined;
  /** While draining: closes the idle connections once nothing has run for the grace period. */
  const closeIdleWhenQuiet = () => {
    clearTimeout(idleTimer);
    if (inFlight.size === 0)
      idleTimer = setTimeout(() => server.closeIdleConnections(), IDLE_CONNECTION_GRACE_MS);
  };

  // Registered before the app so headers can still be set when a request arrives mid-drain.
  server.on('request', (_req: http.IncomingMessage, res: http.ServerResponse) => {
    inFlight.add(res);
    // While draining, no connection is kept alive past its current response.
    if (lifecycle.draining) {
      clearTimeout(idleTimer);
      res.setHeader('Connection', 'close');
    }
    res.once('close', () => {
      inFlight.delete(res);
      if (lifecycle.draining) closeIdleWhenQuiet();
    });
  });

  server.on('request', app);

  await listen(server, options.port, options.host);
  const url = baseUrl(server.address() as AddressInfo, options.host);
  logger.info(`Listening on ${url}`, { port: (server.address() as AddressInfo).port });

  let shutdownPromise: Promise<void> | undefined;

  async function drainAndClose(reason: string): Promise<void> {
    logger.info(
      `Shutting down (${reason}): no longer ready, draining ${inFlight.size} in-flight request(s)`,
    );
    lifecycle.beginDrain();
    // http.Server#close would also drop every idle keep-alive connection at once, resetting a
    // client that is sending on one right then; net.Server#close only stops listening.
    const closed = new Promise<void>((resolve) =>
      net.Server.prototype.close.call(server, () => resolve()),
    );
    for (const res of inFlight) if (!res.headersSent) res.setHeader('Connection', 'close');
    closeIdleWhenQuiet();
    logger.info('Stopped accepting connections');
    await closed;
    logger.info('In-flight requests finished');
    for (const [index, closer] of (options.onShutdown ?? []).entries()) {
      try {
        await closer();
        logger.info(`Shutdown step ${index + 1} of ${options.onShutdown?.length} done`);
      } catch (error) {
        logger.error(`Shutdown step ${index + 1} failed`, { err: error });
      }
    }
    logger.info('Shutdown complete');
  }

  function shutdown(reason = 'requested'): Promise<void> {
    if (shutdownPromise) return shutdownPromise;
    let timer: NodeJS.Timeout | undefined;
    let cancelTimer: NodeJS.Timeout | undefined;
    let finished = false;
    const cancelInFlight = options.cancelInFlight;
    if (cancelInFlight) {
      const cancelRound = () => {
        if (inFlight.size === 0) return;
        logger.warn(`Cancelling the work of ${inFlight.size} request(s) still running`);
        // The next round waits for this one, so a database that does not answer (an outage during
        // shutdown) does not pile up connection attempts.
        cancelInFlight()
          .then(
            () => undefined,
            (error: unknown) =>
              logger.warn('Could not cancel the work of running requests', {
                error: (error as Error).message,
              }),
          )
          .finally(() => {
            if (!finished) cancelTimer = setTimeout(cancelRound, CANCEL_REPEAT_MS);
          });
      };
      cancelTimer = setTimeout(
        cancelRound,
        Math.max(0, shutdownTimeoutMs - (options.cancelLeadMs ?? 2000)),
      );
    }
    const deadline = new Promise<never>((_resolve, reject) => {
      timer = setTimeout(() => {
        logger.error(`Shutdown exceeded ${shutdownTimeoutMs} ms; closing remaining connections`);
        server.closeAllConnections();
        reject(new ShutdownTimeoutError(shutdownTimeoutMs));
      }, shutdownTimeoutMs);
    });
    shutdownPromise = Promise.race([drainAndClose(reason), deadline]).finally(() => {
      finished = true;
      clearTimeout(timer);
      clearTimeout(cancelTimer);
      clearTimeout(idleTimer);
      for (const signal of signals) process.off(signal, onSignal);
    });
    return shutdownPromise;
  }

  function onSignal(signal: NodeJS.Signals): void {
    if (shutdownPromise) {
      logger.warn(`Received ${signal} while already shutting down`);
      return;
    }
    logger.info(`Received ${signal}`);
    shutdown(signal).then(
      () => exitSoon(0),
      () => exitSoon(1),
    );
  }

  for (const signal of signals) process.on(signal, onSignal);
  return { server, url, shutdown };
}

function listen(server: http.Server, port: number, host: string | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
}

function baseUrl(address: AddressInfo, host: string | undefined): string {
  const wildcard = !host || host === '0.0.0.0' || host === '::';
  const shownHost = wildcard
    ? 'localhost'
    : address.family === 'IPv6'
      ? `[${address.address}]`
      : address.address;
  return `http://${shownHost}:${address.port}`;
}

function exitSoon(code: number): void {
  // Lets the final log lines reach stdout before the process ends.
  setImmediate(() => process.exit(code));
}
