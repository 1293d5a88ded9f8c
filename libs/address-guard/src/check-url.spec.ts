import { AddressGuard, type Resolver } from './address-guard';
import { checkUrl } from './check-url';

const resolver: Resolver = async (hostname) => {
  if (hostname === 'shop.example.com') return [{ address: '93.184.215.14', family: 4 }];
  if (hostname === 'intranet.example.com') return [{ address: '10.1.2.3', family: 4 }];
  throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' });
};

describe('checking a URL up front', () => {
  const guard = new AddressGuard({ resolver });

  it('passes a public https URL with the addresses it resolved to', async () => {
    expect(await checkUrl(guard, 'https://shop.example.com/p/1')).toEqual({
      ok: true,
      host: 'shop.example.com',
      addresses: [{ address: '93.184.215.14', family: 4 }],
    });
  });

  it.each([
    ['http://127.0.0.1:8080/admin', 'loopback address', /127\.0\.0\.1: loopback address/],
    ['http://2130706433/', 'loopback address', /127\.0\.0\.1/],
    ['http://[::ffff:a9fe:a9fe]/latest', 'metadata address', /metadata address/],
    ['http://intranet.example.com/', 'private address', /intranet\.example\.com \(10\.1\.2\.3\)/],
    ['https://nowhere.example.com/', 'unresolvable host', /nowhere\.example\.com failed/],
    ['ftp://shop.example.com/file', 'not an http(s) URL', /http and https/],
    ['not a url', 'not an http(s) URL', /http and https/],
  ])('refuses %s as %s with a message naming it', async (url, reason, message) => {
    const check = await checkUrl(guard, url);
    expect(check).toMatchObject({ ok: false, reason, temporary: false });
    expect(check.ok === false && check.message).toMatch(message);
  });

  it('lets an allow-listed loopback host through', async () => {
    const local = new AddressGuard({ resolver, allowHosts: ['127.0.0.1'] });
    expect(await checkUrl(local, new URL('http://127.0.0.1:4010/p/1'))).toMatchObject({ ok: true });
  });
});
