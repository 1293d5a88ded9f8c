import { HttpUrlSchema } from './url';

const messageFor = (value: unknown) => {
  const result = HttpUrlSchema.safeParse(value);
  return result.success ? null : result.error.issues.map((issue) => issue.message).join('; ');
};

describe('HttpUrlSchema', () => {
  it.each([
    'http://shop.example.com/p/1',
    'https://shop.example.com/products/espresso?colour=red#reviews',
    'https://127.0.0.1:8080/p',
    'https://xn--bcher-kva.example/p',
  ])('accepts %s', (url) => {
    expect(messageFor(url)).toBeNull();
  });

  it.each([
    ['/products/1', 'must be an absolute URL'],
    ['shop.example.com/p/1', 'must be an absolute URL'],
    ['', 'must be an absolute URL'],
    ['ftp://shop.example.com/file', 'must use http or https'],
    ['javascript:alert(1)', 'must use http or https'],
    ['file:///etc/passwd', 'must use http or https'],
    ['https://user:secret@shop.example.com/p', 'must not contain credentials'],
    ['https://user@shop.example.com/p', 'must not contain credentials'],
    [' https://shop.example.com/p', 'must not have leading or trailing whitespace'],
  ])('rejects %j: %s', (url, message) => {
    expect(messageFor(url)).toBe(message);
  });

  it('rejects URLs longer than 2048 characters and accepts exactly 2048', () => {
    const base = 'https://shop.example.com/';
    expect(messageFor(base + 'a'.repeat(2048 - base.length))).toBeNull();
    expect(messageFor(base + 'a'.repeat(2049 - base.length))).toBe(
      'must be at most 2048 characters',
    );
  });

  it('rejects non-strings', () => {
    expect(messageFor(42)).toBe('must be a string');
  });
});
