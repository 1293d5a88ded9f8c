import http from 'node:http';
import type { AddressInfo } from 'node:net';
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
}

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

  // Registered before the app so headers can still be set when a request arrives mid-drain.
  server.on('request', (_req: http.IncomingMessage, res: http.ServerResponse) => {
    inFlight.add(res);
    // While draining, no connection is kept alive past its current response.
    if (lifecycle.draining) res.setHeader('Connection', 'close');
    res.once('close', () => {
      inFlight.delete(res);
      if (lifecycle.draining) setImmediate(() => server.closeIdleConnections());
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
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    for (const res of inFlight) if (!res.headersSent) res.setHeader('Connection', 'close');
    server.closeIdleConnections();
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
    const deadline = new Promise<never>((_resolve, reject) => {
      timer = setTimeout(() => {
        logger.error(`Shutdown exceeded ${shutdownTimeoutMs} ms; closing remaining connections`);
        server.closeAllConnections();
        reject(new ShutdownTimeoutError(shutdownTimeoutMs));
      }, shutdownTimeoutMs);
    });
    shutdownPromise = Promise.race([drainAndClose(reason), deadline]).finally(() => {
      clearTimeout(timer);
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
