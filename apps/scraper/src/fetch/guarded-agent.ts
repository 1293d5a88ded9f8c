import { isIP } from 'node:net';
import { Agent, buildConnector } from 'undici';
import type { AddressGuard } from './address-guard';

export interface GuardedAgentOptions {
  connectTimeoutMs: number;
  headersTimeoutMs: number;
  bodyTimeoutMs: number;
  /** Extra trusted CA certificates (PEM), on top of Node's bundle; verification stays on. */
  ca?: string | string[];
  connections?: number;
}

/**
 * An undici Agent whose every new socket goes through the SSRF guard: the host is resolved
 * here, the answer checked, and the socket opened to that very address (TLS still verifies the
 * certificate against the original host name through SNI/servername).
 */
export function createGuardedAgent(guard: AddressGuard, options: GuardedAgentOptions): Agent {
  const connect = buildConnector({
    timeout: options.connectTimeoutMs,
    rejectUnauthorized: true,
    ...(options.ca === undefined ? {} : { ca: options.ca }),
  });
  return new Agent({
    connections: options.connections ?? 16,
    headersTimeout: options.headersTimeoutMs,
    bodyTimeout: options.bodyTimeoutMs,
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
