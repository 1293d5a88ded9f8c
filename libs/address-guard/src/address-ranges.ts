import { isIP } from 'node:net';
import ipaddr from 'ipaddr.js';

/** IPv6 global unicast space; everything outside it (and special ranges inside) is not public. */
const GLOBAL_UNICAST_V6 = ipaddr.IPv6.parseCIDR('2000::/3');

/**
 * Cloud instance-metadata endpoints (GCP, AWS, Azure, OpenStack: 169.254.169.254; AWS IPv6:
 * fd00:ec2::254; Alibaba: 100.100.100.200). They hold credentials, so they are named apart from
 * the link-local or private range they sit in.
 */
const METADATA_ADDRESSES = new Set(['169.254.169.254', 'fd00:ec2::254', '100.100.100.200']);

/** Why a refused address is refused, in words a person reading a 422 or a run's error understands. */
export type AddressRefusalReason =
  | 'loopback address'
  | 'private address'
  | 'link-local address'
  | 'metadata address'
  | 'unspecified address'
  | 'multicast address'
  | 'broadcast address'
  | 'shared address space (carrier-grade NAT)'
  | 'IPv4-mapped or translated address'
  | 'reserved address'
  | 'not an IP address';

const REASON_BY_RANGE: Record<string, AddressRefusalReason> = {
  loopback: 'loopback address',
  private: 'private address',
  uniqueLocal: 'private address',
  linkLocal: 'link-local address',
  unspecified: 'unspecified address',
  multicast: 'multicast address',
  broadcast: 'broadcast address',
  carrierGradeNat: 'shared address space (carrier-grade NAT)',
  ipv4Mapped: 'IPv4-mapped or translated address',
  rfc6145: 'IPv4-mapped or translated address',
  rfc6052: 'IPv4-mapped or translated address',
  '6to4': 'IPv4-mapped or translated address',
  teredo: 'IPv4-mapped or translated address',
};

/**
 * The special-purpose range an address is in, as ipaddr.js names it (loopback, private,
 * linkLocal, carrierGradeNat, multicast, reserved, uniqueLocal, ipv4Mapped, 6to4, teredo, ...),
 * or null when it is public unicast. Only ipaddr.js's `unicast` remainder is public.
 */
export function nonPublicRange(address: string): string | null {
  if (!ipaddr.isValid(address)) return 'not an IP address';
  const parsed = ipaddr.parse(address);
  const range = parsed.range();
  if (range !== 'unicast') return range;
  if (parsed.kind() === 'ipv6' && !parsed.match(GLOBAL_UNICAST_V6)) return 'reserved';
  return null;
}

/**
 * Why an address may not be connected to, or null when it is public. An IPv4-mapped IPv6
 * address is refused whatever it maps to (a public host needs no such spelling), but is named
 * after the IPv4 address inside when that one is not public either, so `::ffff:169.254.169.254`
 * reads as the metadata address it is.
 */
export function refusalReason(address: string): AddressRefusalReason | null {
  const range = nonPublicRange(address);
  if (range === null) return null;
  if (range === 'not an IP address') return range;
  const parsed = ipaddr.parse(address);
  if (parsed.kind() === 'ipv6' && (parsed as ipaddr.IPv6).isIPv4MappedAddress()) {
    const inner = (parsed as ipaddr.IPv6).toIPv4Address().toString();
    const innerReason = refusalReason(inner);
    if (innerReason !== null) return innerReason;
  }
  // toString() is the canonical spelling: dotted quad, or compressed lower-case IPv6.
  if (METADATA_ADDRESSES.has(parsed.toString())) return 'metadata address';
  return REASON_BY_RANGE[range] ?? 'reserved address';
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
