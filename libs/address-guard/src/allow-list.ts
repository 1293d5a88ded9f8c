import ipaddr from 'ipaddr.js';
import { z } from 'zod';
import { normalizeHost } from './address-ranges';

/**
 * The explicit exceptions to the guard: host names, addresses or CIDR ranges let through
 * although they are not public. Tests and the local demo shop on loopback use it; production
 * leaves it empty.
 */
export class AllowList {
  private readonly entries: Array<(host: string, address?: string) => boolean>;

  constructor(readonly source: readonly string[] = []) {
    this.entries = source.map(allowEntry);
  }

  /** A list with more entries; this one is unchanged. */
  with(more: readonly string[]): AllowList {
    return new AllowList([...this.source, ...more]);
  }

  /** Whether `host` (normalised) or the address it resolved to is on the list. */
  allows(host: string, address?: string): boolean {
    return this.entries.some((matches) => matches(host, address));
  }
}

function allowEntry(entry: string): (host: string, address?: string) => boolean {
  const text = entry.trim().toLowerCase();
  if (text.includes('/')) {
    const [network, prefix] = ipaddr.parseCIDR(text);
    return (_host, address) => {
      if (address === undefined || !ipaddr.isValid(address)) return false;
      const parsed = ipaddr.process(address);
      return parsed.kind() === network.kind() && parsed.match(network, prefix);
    };
  }
  const host = normalizeHost(text);
  const asAddress = ipaddr.isValid(host) ? ipaddr.process(host).toString() : undefined;
  return (candidate, address) =>
    candidate === host ||
    (asAddress !== undefined &&
      address !== undefined &&
      ipaddr.isValid(address) &&
      ipaddr.process(address).toString() === asAddress);
}

const HOST_NAME = /^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*\.?$/i;

function isAllowEntry(entry: string): boolean {
  if (entry.includes('/')) {
    try {
      ipaddr.parseCIDR(entry);
      return true;
    } catch {
      return false;
    }
  }
  const host = normalizeHost(entry);
  return ipaddr.isValid(host) || HOST_NAME.test(host);
}

/**
 * An environment setting holding an allow-list: comma-separated host names, IP addresses or
 * CIDR ranges, e.g. `127.0.0.1,localhost,10.0.0.0/8`; empty by default. An entry that is none
 * of these fails the config at start, naming it.
 */
export const allowHostsSetting = z
  .string()
  .default('')
  .transform((value) =>
    value
      .split(',')
      .map((entry) => entry.trim())
      .filter((entry) => entry !== ''),
  )
  .pipe(
    z.array(
      z.string().refine(isAllowEntry, {
        error: (issue) =>
          `expected a host name, IP address or CIDR range, got ${JSON.stringify(issue.input)}`,
      }),
    ),
  );
