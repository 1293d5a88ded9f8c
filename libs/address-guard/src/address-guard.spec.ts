import { AddressGuard, isAddressRefusal, type Resolver } from './address-guard';
import { nonPublicRange, normalizeHost, refusalReason } from './address-ranges';

/** Scripted DNS: known names answer from the table, anything else does not exist. */
const tableResolver =
  (table: Record<string, string[]>): Resolver =>
  async (hostname) => {
    const answers = table[hostname];
    if (!answers)
      throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' });
    return answers.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));
  };

const dns = tableResolver({
  localhost: ['127.0.0.1', '::1'],
  'metadata.google.internal': ['169.254.169.254'],
  'six.example': ['::1'],
  'mixed.example': ['93.184.215.14', '10.0.0.7'],
  'shop.example.com': ['93.184.215.14'],
  'v6shop.example.com': ['2606:2800:21f:cb07:6820:80da:af6b:8b2c'],
});

/** The host part of `http://<form>/` as the WHATWG URL parser (and so undici) sees it. */
const hostOf = (form: string) => new URL(`http://${form}/`).hostname;

async function outcome(guard: AddressGuard, form: string): Promise<string> {
  try {
    const { address } = await guard.resolve(hostOf(form));
    return `allowed ${address}`;
  } catch (error) {
    return isAddressRefusal(error)
      ? error.reason === 'unresolvable host'
        ? 'unresolvable'
        : 'blocked'
      : String(error);
  }
}

describe('address guard', () => {
  const guard = new AddressGuard({ resolver: dns });

  const blocked: Array<[form: string, why: string]> = [
    ['127.0.0.1', 'loopback'],
    ['127.255.255.254', 'loopback, end of range'],
    ['0.0.0.0', 'unspecified'],
    ['0', 'unspecified, single number'],
    ['10.0.0.1', 'private 10/8'],
    ['10.255.255.255', 'private 10/8, end'],
    ['172.16.0.1', 'private 172.16/12'],
    ['172.31.255.254', 'private 172.16/12, end'],
    ['192.168.1.1', 'private 192.168/16'],
    ['169.254.169.254', 'link-local cloud metadata'],
    ['169.254.0.1', 'link-local'],
    ['100.64.0.1', 'CGNAT'],
    ['100.127.255.254', 'CGNAT, end'],
    ['224.0.0.1', 'multicast'],
    ['239.255.255.250', 'multicast SSDP'],
    ['255.255.255.255', 'broadcast'],
    ['240.0.0.1', 'reserved class E'],
    ['192.0.2.1', 'documentation TEST-NET-1'],
    ['198.51.100.7', 'documentation TEST-NET-2'],
    ['203.0.113.9', 'documentation TEST-NET-3'],
    ['198.18.0.1', 'benchmarking'],
    ['192.0.0.8', 'IETF protocol assignments'],
    ['2130706433', 'decimal 127.0.0.1'],
    ['017700000001', 'octal 127.0.0.1'],
    ['0x7f000001', 'hex 127.0.0.1'],
    ['0x7f.0.0.1', 'hex first octet'],
    ['0177.0.0.1', 'octal first octet'],
    ['127.1', 'short form a.b'],
    ['127.0.1', 'short form a.b.c'],
    ['0x7f.1', 'hex short form'],
    ['2852039166', 'decimal 169.254.169.254'],
    ['0xa9fea9fe', 'hex 169.254.169.254'],
    ['0251.0376.0251.0376', 'octal 169.254.169.254'],
    ['10.1', 'short form 10.0.0.1'],
    ['3232235777', 'decimal 192.168.1.1'],
    ['[::1]', 'IPv6 loopback'],
    ['[::]', 'IPv6 unspecified'],
    ['[fe80::1]', 'IPv6 link-local'],
    ['[fc00::1]', 'IPv6 ULA fc00::/7'],
    ['[fd12:3456:789a::1]', 'IPv6 ULA fd'],
    ['[ff02::1]', 'IPv6 multicast'],
    ['[fec0::1]', 'IPv6 deprecated site-local'],
    ['[::ffff:127.0.0.1]', 'IPv4-mapped loopback'],
    ['[::ffff:7f00:1]', 'IPv4-mapped loopback, hex'],
    ['[::ffff:169.254.169.254]', 'IPv4-mapped metadata'],
    ['[::ffff:10.0.0.1]', 'IPv4-mapped private'],
    ['[::ffff:8.8.8.8]', 'IPv4-mapped, even of a public address'],
    ['[::127.0.0.1]', 'IPv4-compatible (deprecated)'],
    ['[64:ff9b::a9fe:a9fe]', 'NAT64 of 169.254.169.254'],
    ['[2002:7f00:1::]', '6to4 of 127.0.0.1'],
    ['[2001::1]', 'Teredo'],
    ['[2001:db8::1]', 'IPv6 documentation'],
    ['localhost', 'name resolving to loopback'],
    ['LOCALHOST', 'upper-case name'],
    ['localhost.', 'fully qualified name with trailing dot'],
    ['metadata.google.internal', 'name resolving to cloud metadata'],
    ['six.example', 'name resolving to ::1'],
    ['mixed.example', 'name with one public and one private address'],
  ];

  it('covers at least 40 blocked forms', () => {
    expect(blocked.length).toBeGreaterThanOrEqual(40);
  });

  it.each(blocked)('blocks %s (%s)', async (form) => {
    expect(await outcome(guard, form)).toBe('blocked');
  });

  it.each([
    ['8.8.8.8', 'allowed 8.8.8.8'],
    ['1.1.1.1', 'allowed 1.1.1.1'],
    ['134744072', 'allowed 8.8.8.8'],
    ['[2606:4700:4700::1111]', 'allowed 2606:4700:4700::1111'],
    ['[2001:4860:4860::8888]', 'allowed 2001:4860:4860::8888'],
    ['shop.example.com', 'allowed 93.184.215.14'],
    ['SHOP.example.com.', 'allowed 93.184.215.14'],
    ['v6shop.example.com', 'allowed 2606:2800:21f:cb07:6820:80da:af6b:8b2c'],
  ])('lets public %s through', async (form, expected) => {
    expect(await outcome(guard, form)).toBe(expected);
  });

  it('reports a name that does not resolve as unresolvable, not as blocked', async () => {
    expect(await outcome(guard, 'no-such-host.example')).toBe('unresolvable');
  });

  it('lets allow-listed hosts, addresses and ranges reach non-public addresses', async () => {
    const allowing = new AddressGuard({
      resolver: dns,
      allowHosts: ['localhost', '127.0.0.1', '10.0.0.0/8'],
    });
    expect(await outcome(allowing, 'localhost')).toBe('allowed 127.0.0.1');
    expect(await outcome(allowing, '127.0.0.1')).toBe('allowed 127.0.0.1');
    expect(await outcome(allowing, '2130706433')).toBe('allowed 127.0.0.1');
    expect(await outcome(allowing, '10.20.30.40')).toBe('allowed 10.20.30.40');
    expect(await outcome(allowing, '169.254.169.254')).toBe('blocked');
    expect(await outcome(allowing, '[::1]')).toBe('blocked');
  });

  it('adds hosts to a copy without widening the original', async () => {
    const widened = guard.withAllowedHosts(['127.0.0.1']);
    expect(await outcome(widened, '127.0.0.1')).toBe('allowed 127.0.0.1');
    expect(await outcome(guard, '127.0.0.1')).toBe('blocked');
  });

  it('checks every lookup, so a name that rebinds to a private address is caught', async () => {
    const answers = [['93.184.215.14'], ['127.0.0.1']];
    let lookups = 0;
    const rebinding: Resolver = async () => {
      const answer = answers[Math.min(lookups, answers.length - 1)] as string[];
      lookups += 1;
      return answer.map((address) => ({ address, family: 4 }));
    };
    const rebindGuard = new AddressGuard({ resolver: rebinding });

    expect(await outcome(rebindGuard, 'rebind.example')).toBe('allowed 93.184.215.14');
    expect(await outcome(rebindGuard, 'rebind.example')).toBe('blocked');
    expect(lookups).toBe(2);
  });

  it.each([
    ['127.0.0.1', 'loopback address'],
    ['2130706433', 'loopback address'],
    ['0x7f.1', 'loopback address'],
    ['[::1]', 'loopback address'],
    ['[::ffff:127.0.0.1]', 'loopback address'],
    ['localhost', 'loopback address'],
    ['10.0.0.1', 'private address'],
    ['3232235777', 'private address'],
    ['[fd12:3456:789a::1]', 'private address'],
    ['[::ffff:10.0.0.1]', 'private address'],
    ['169.254.169.254', 'metadata address'],
    ['0xa9fea9fe', 'metadata address'],
    ['0251.0376.0251.0376', 'metadata address'],
    ['[::ffff:169.254.169.254]', 'metadata address'],
    ['[fd00:ec2::254]', 'metadata address'],
    ['metadata.google.internal', 'metadata address'],
    ['169.254.0.1', 'link-local address'],
    ['[fe80::1]', 'link-local address'],
    ['0.0.0.0', 'unspecified address'],
    ['[ff02::1]', 'multicast address'],
    ['255.255.255.255', 'broadcast address'],
    ['100.64.0.1', 'shared address space (carrier-grade NAT)'],
    ['[::ffff:8.8.8.8]', 'IPv4-mapped or translated address'],
    ['[2002:7f00:1::]', 'IPv4-mapped or translated address'],
    ['192.0.2.1', 'reserved address'],
    ['no-such-host.example', 'unresolvable host'],
  ])('refuses %s naming the reason %s', async (form, reason) => {
    const refusal = await guard.resolve(hostOf(form)).then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(isAddressRefusal(refusal) && refusal.reason).toBe(reason);
  });

  it('marks a DNS failure that may heal as temporary, a missing name as permanent', async () => {
    const flaky = new AddressGuard({
      resolver: async () => {
        throw Object.assign(new Error('queryA EAI_AGAIN shop.example'), { code: 'EAI_AGAIN' });
      },
    });
    const temporary = await flaky.resolve('shop.example').catch((error: unknown) => error);
    const missing = await guard.resolve('no-such-host.example').catch((error: unknown) => error);
    expect(isAddressRefusal(temporary) && temporary.temporary).toBe(true);
    expect(isAddressRefusal(missing) && missing.temporary).toBe(false);
  });

  it('checks every address of a multi-address answer and returns them all', async () => {
    const twoPublic = new AddressGuard({
      resolver: async () => [
        { address: '93.184.215.14', family: 4 },
        { address: '2606:2800:21f:cb07:6820:80da:af6b:8b2c', family: 6 },
      ],
    });
    expect(await twoPublic.resolveAll('shop.example')).toHaveLength(2);
  });

  it('names the range that made an address non-public', () => {
    expect(nonPublicRange('169.254.169.254')).toBe('linkLocal');
    expect(nonPublicRange('100.64.1.1')).toBe('carrierGradeNat');
    expect(nonPublicRange('fd00::1')).toBe('uniqueLocal');
    expect(nonPublicRange('8.8.8.8')).toBeNull();
    expect(refusalReason('8.8.8.8')).toBeNull();
    expect(refusalReason('::ffff:a9fe:a9fe')).toBe('metadata address');
  });

  it('spells numeric hosts the way the URL parser does', () => {
    expect(normalizeHost('0x7f.1')).toBe('127.0.0.1');
    expect(normalizeHost('[::1]')).toBe('::1');
    expect(normalizeHost('Shop.Example.com.')).toBe('shop.example.com');
  });
});
