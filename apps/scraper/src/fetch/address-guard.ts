import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import ipaddr from 'ipaddr.js';
import { ScrapeError } from './scrape-error';

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

/** IPv6 global unicast space; everything outside it (and special ranges inside) is not public. */
const GLOBAL_UNICAST_V6 = ipaddr.IPv6.parseCIDR('2000::/3');

/**
 * Why an address is not a public unicast address, or null when it is. ipaddr.js names every
 * special-purpose range (loopback, private, linkLocal, carrierGradeNat, multicast, reserved,
 * uniqueLocal, ipv4Mapped, 6to4, teredo, ...); only its `unicast` remainder is public.
 */
export function nonPublicReason(address: string): string | null {
  if (!ipaddr.isValid(address)) return 'not an IP address';
  const parsed = ipaddr.parse(address);
  const range = parsed.range();
  if (range !== 'unicast') return range;
  if (parsed.kind() === 'ipv6' && !parsed.match(GLOBAL_UNICAST_V6)) return 'reserved';
  return null;
}

/** Lower-cased host without IPv6 brackets or a trailing dot, as the WHATWG URL parser spells it. */
export function normalizeHost(host: string): string {
  let normalized = host.trim().toLowerCase();
  if (normalized.startsWith('[') && normalized.endsWith(']')) normalized = normalized.slice(1, -1);
  if (normalized.endsWith('.')) normalized = normalized.slice(0, -1);
  // The URL parser turns every numeric IPv4 spelling (decimal, octal, hex, short) into dotted quad.
  if (!isIP(normalized) && URL.canParse(`http://${normalized}/`)) {
    const canonical = new URL(`http://${normalized}/`).hostname;
    if (isIP(canonical)) return canonical;
  }
  return normalized;
}

interface AllowEntry {
  matches(host: string, address?: string): boolean;
}

function allowEntry(entry: string): AllowEntry {
  const text = entry.trim().toLowerCase();
  if (text.includes('/')) {
    const [network, prefix] = ipaddr.parseCIDR(text);
    return {
      matches: (_host, address) => {
        if (address === undefined || !ipaddr.isValid(address)) return false;
        const parsed = ipaddr.process(address);
        return parsed.kind() === network.kind() && parsed.match(network, prefix);
      },
    };
  }
  const host = normalizeHost(text);
  const asAddress = ipaddr.isValid(host) ? ipaddr.process(host).toString() : undefined;
  return {
    matches: (candidate, address) =>
      candidate === host ||
      (asAddress !== undefined &&
        address !== undefined &&
        ipaddr.isValid(address) &&
        ipaddr.process(address).toString() === asAddress),
  };
}

export interface AddressGuardOptions {
  /** Host names, addresses or CIDR ranges let through although not public. */
  allowHosts?: readonly string[];
  resolver?: Resolver;
}

/**
 * The SSRF guard. `resolve` runs inside the connector, on the exact address the socket then
 * connects to, so a DNS answer that changes between a check and the connection (rebinding) is
 * caught. Every address of a multi-address answer must pass.
 */
export class AddressGuard {
  private readonly allow: AllowEntry[];
  private readonly resolver: Resolver;

  constructor(options: AddressGuardOptions = {}) {
    this.allow = (options.allowHosts ?? []).map(allowEntry);
    this.resolver = options.resolver ?? systemResolver;
  }

  /** A copy with more allowed hosts (the CLI's `--allow-host`). */
  withAllowedHosts(hosts: readonly string[]): AddressGuard {
    const copy = new AddressGuard({ resolver: this.resolver });
    copy.allow.push(...this.allow, ...hosts.map(allowEntry));
    return copy;
  }

  private isAllowed(host: string, address?: string): boolean {
    return this.allow.some((entry) => entry.matches(host, address));
  }

  /** The address to connect to for `hostname`, or a `blocked_address` / `dns` ScrapeError. */
  async resolve(hostname: string): Promise<ResolvedAddress> {
    const host = normalizeHost(hostname);
    const literal = isIP(host);
    const addresses: ResolvedAddress[] = literal
      ? [{ address: host, family: literal === 6 ? 6 : 4 }]
      : await this.lookup(host);
    if (addresses.length === 0)
      throw new ScrapeError('dns', `DNS lookup for ${host} returned no address`);
    for (const { address } of addresses) {
      if (this.isAllowed(host, address)) continue;
      const reason = nonPublicReason(address);
      if (reason !== null)
        throw new ScrapeError(
          'blocked_address',
          `Refusing to connect to ${host}${literal ? '' : ` (${address})`}: ${reason} address`,
          { retryable: false },
        );
    }
    return addresses[0] as ResolvedAddress;
  }

  private async lookup(host: string): Promise<ResolvedAddress[]> {
    try {
      return await this.resolver(host);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      throw new ScrapeError('dns', `DNS lookup for ${host} failed: ${message}`, { cause: error });
    }
  }
}
