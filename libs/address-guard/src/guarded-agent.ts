import { isIP } from 'node:net';
import type { Agent, Dispatcher } from 'undici';
import type { AddressGuard } from './address-guard';

export interface GuardedAgentOptions {
  connectTimeoutMs?: number;
  headersTimeoutMs?: number;
  bodyTimeoutMs?: number;
  /** Extra trusted CA certificates (PEM), on top of Node's bundle; verification stays on. */
  ca?: string | string[];
  /** Connections per origin. */
  connections?: number;
}

/**
 * An undici Agent (a dispatcher for `request`, `fetch`, ...) whose every new socket goes
 * through the guard: the host is resolved here, the answer checked, and the socket opened to
 * that very address, so a DNS answer that changed since an up-front check is caught. TLS still
 * verifies the certificate against the original host name (SNI/servername). A refusal fails the
 * request with the guard's AddressRefusedError. Redirects are the caller's: each hop opens its
 * own connection and so is checked again.
 */
export function createGuardedAgent(guard: AddressGuard, options: GuardedAgentOptions = {}): Agent {
  // Loaded here (ADR 0021): the api only checks URLs up front and never opens a guarded socket.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { Agent, buildConnector } = require('undici') as typeof import('undici');
  const connect = buildConnector({
    timeout: options.connectTimeoutMs ?? 10_000,
    rejectUnauthorized: true,
    ...(options.ca === undefined ? {} : { ca: options.ca }),
  });
  return new Agent({
    connections: options.connections ?? 16,
    headersTimeout: options.headersTimeoutMs ?? 30_000,
    bodyTimeout: options.bodyTimeoutMs ?? 30_000,
    connect: (connectOptions, callback) => {
      guard.resolve(connectOptions.hostname).then(
        ({ address }) => {
          const servername =
            connectOptions.protocol === 'https:' && !isIP(connectOptions.hostname)
              ? connectOptions.hostname
              : undefined;
          connect({ ...connectOptions, hostname: address, servername }, callback);
        },
        (error: Error) => callback(error, null),
      );
    },
  });
}

/** What a caller sends requests through: an undici Agent's `request`, `dispatch` and `close`. */
export interface RequestSender {
  request(options: Dispatcher.RequestOptions): Promise<Dispatcher.ResponseData>;
  dispatch(options: Dispatcher.DispatchOptions, handler: Dispatcher.DispatchHandler): boolean;
  /** Makes the agent now (loading undici), so that the first request does not wait for it. */
  prepare(): void;
  close(): Promise<void>;
}

/**
 * `createGuardedAgent`, made by the first request rather than now: undici takes tens of
 * milliseconds to load, which a start that has sent nothing yet need not wait for (ADR 0021, 0034).
 * `prepare` makes it ahead of the first request, for a caller that has started and is idle;
 * `close` closes the agent if one was made.
 */
export function guardedAgentOnFirstUse(
  guard: AddressGuard,
  options: GuardedAgentOptions = {},
): RequestSender {
  let agent: Agent | undefined;
  const made = () => (agent ??= createGuardedAgent(guard, options));
  return {
    request: (requestOptions) => made().request(requestOptions),
    dispatch: (dispatchOptions, handler) => made().dispatch(dispatchOptions, handler),
    prepare: () => void made(),
    close: async () => agent?.close(),
  };
}
