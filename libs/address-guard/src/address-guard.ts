import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import { normalizeHost, refusalReason, type AddressRefusalReason } from './address-ranges';
import { AllowList } from './allow-list';

export interface ResolvedAddress {
  address: string;
  family: 4 | 6;
}

/** Resolves a host name to every address it has; injectable so tests can script DNS answers. */
export type Resolver = (hostname: string) => Promise<ResolvedAddress[]>;

export const systemResolver: Resolver = async (hostname) => {
  const answers = await lookup(hostname, { all: true });
  return answers.map(({ address, family }) => ({ address, family: family === 6 ? 6 : 4 }));
};

/** Every reason the guard gives for refusing a host. */
export type RefusalReason = AddressRefusalReason | 'unresolvable host';

/** Resolver error codes that say the name may resolve on a later try. */
const TEMPORARY_DNS_CODES = new Set(['EAI_AGAIN', 'ETIMEOUT', 'ESERVFAIL', 'ECONNREFUSED']);

/**
 * The guard said no: the host resolves (or is) a non-public address, or does not resolve.
 * `temporary` is true only for a DNS failure that may heal (a timeout, a server failure).
 */
export class AddressRefusedError extends Error {
  override readonly name = 'AddressRefusedError';
  /** The refused address, when a name resolved to it. */
  readonly address?: string;
  readonly temporary: boolean;

  constructor(
    readonly reason: RefusalReason,
    readonly host: string,
    message: string,
    init: { address?: string; temporary?: boolean; cause?: unknown } = {},
  ) {
    super(message, init.cause === undefined ? undefined : { cause: init.cause });
    this.address = init.address;
    this.temporary = init.temporary ?? false;
  }
}

/** Duck-typed, as errors may cross a realm (a Jest sandbox, a worker). */
export function isAddressRefusal(error: unknown): error is AddressRefusedError {
  return (
    error instanceof AddressRefusedError ||
    (error instanceof Error && error.name === 'AddressRefusedError' && 'reason' in error)
  );
}

export interface AddressGuardOptions {
  /** Host names, addresses or CIDR ranges let through although not public. */
  allowHosts?: readonly string[];
  resolver?: Resolver;
}

/**
 * The SSRF guard. `resolve` is meant to run inside a connector, on the exact address the socket
 * then connects to (see `createGuardedAgent`, `createGuardedLookup`), so a DNS answer that
 * changes between an up-front check and the connection (rebinding) is caught. Every address of
 * a multi-address answer must pass.
 */
export class AddressGuard {
  private readonly allow: AllowList;
  private readonly resolver: Resolver;

  constructor(options: AddressGuardOptions = {}) {
    this.allow = new AllowList(options.allowHosts ?? []);
    this.resolver = options.resolver ?? systemResolver;
  }

  /** A copy with more allowed hosts (the scraper CLI's `--allow-host`). */
  withAllowedHosts(hosts: readonly string[]): AddressGuard {
    return new AddressGuard({
      allowHosts: this.allow.with(hosts).source,
      resolver: this.resolver,
    });
  }

  /** The address to connect to for `hostname`; throws AddressRefusedError. */
  async resolve(hostname: string): Promise<ResolvedAddress> {
    return (await this.resolveAll(hostname))[0] as ResolvedAddress;
  }

  /** Every address of `hostname`, each one checked; throws AddressRefusedError. */
  async resolveAll(hostname: string): Promise<ResolvedAddress[]> {
    const host = normalizeHost(hostname);
    const literal = isIP(host);
    const addresses: ResolvedAddress[] = literal
      ? [{ address: host, family: literal === 6 ? 6 : 4 }]
      : await this.lookup(host);
    if (addresses.length === 0)
      throw new AddressRefusedError(
        'unresolvable host',
        host,
        `DNS lookup for ${host} returned no address`,
      );
    for (const { address } of addresses) {
      if (this.allow.allows(host, address)) continue;
      const reason = refusalReason(address);
      if (reason !== null)
        throw new AddressRefusedError(
          reason,
          host,
          `Refusing to connect to ${host}${literal ? '' : ` (${address})`}: ${reason}`,
          { address },
        );
    }
    return addresses;
  }

  private async lookup(host: string): Promise<ResolvedAddress[]> {
    try {
      return await this.resolver(host);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      const code = (error as { code?: unknown } | null)?.code;
      throw new AddressRefusedError(
        'unresolvable host',
        host,
        `DNS lookup for ${host} failed: ${message}`,
        { cause: error, temporary: typeof code === 'string' && TEMPORARY_DNS_CODES.has(code) },
      );
    }
  }
}
