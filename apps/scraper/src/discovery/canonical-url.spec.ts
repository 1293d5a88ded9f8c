import { UrlCollector, canonicalUrl } from './canonical-url';

describe('canonicalUrl', () => {
  it.each([
    ['HTTPS://Shop.Example.COM:443/p/1#reviews', undefined, 'https://shop.example.com/p/1'],
    [
      '/p/2?utm_source=x&color=red&gclid=1',
      'https://shop.example.com/c/',
      'https://shop.example.com/p/2?color=red',
    ],
    ['item?fbclid=abc', 'https://shop.example.com/c/', 'https://shop.example.com/c/item'],
    ['  https://shop.example.com/p/3  ', undefined, 'https://shop.example.com/p/3'],
  ])('canonicalizes %s', (href, base, expected) => {
    expect(canonicalUrl(href, base)).toBe(expected);
  });

  it.each([
    'mailto:a@b.example',
    'javascript:void(0)',
    'ftp://shop.example.com/x',
    'https://user:pw@shop.example.com/',
    '',
  ])('rejects %s', (href) => {
    expect(canonicalUrl(href, 'https://shop.example.com/')).toBeNull();
  });
});

describe('UrlCollector', () => {
  it('keeps first-seen order, drops duplicates and other hosts, and stops at the limit', () => {
    const collector = new UrlCollector('shop.example.com', 2);
    collector.add('https://shop.example.com/p/1#a');
    collector.add('https://other.example/p/1');
    collector.add('https://shop.example.com/p/1?utm_campaign=z');
    collector.add('https://shop.example.com/p/2');
    collector.add('https://shop.example.com/p/3');

    expect(collector.urls).toEqual([
      'https://shop.example.com/p/1',
      'https://shop.example.com/p/2',
    ]);
    expect(collector.full).toBe(true);
  });
});
