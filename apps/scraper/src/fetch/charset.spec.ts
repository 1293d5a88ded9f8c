import iconv from 'iconv-lite';
import { charsetFromContentType, charsetFromMarkup, decodeText } from './charset';

describe('decodeText', () => {
  it('uses the charset the header names', () => {
    expect(
      decodeText(iconv.encode('Grüße', 'iso-8859-15'), 'text/html; charset="ISO-8859-15"'),
    ).toEqual({
      text: 'Grüße',
      charset: 'iso-8859-15',
    });
  });

  it('lets a BOM win over the header', () => {
    const bytes = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('naïve', 'utf8')]);
    expect(decodeText(bytes, 'text/html; charset=windows-1252')).toEqual({
      text: 'naïve',
      charset: 'utf-8',
    });
  });

  it('falls back to <meta charset> when the header has none or names an unknown one', () => {
    const page = '<html><head><meta charset="koi8-r"></head><body>Привет</body></html>';
    expect(decodeText(iconv.encode(page, 'koi8-r'), 'text/html').text).toContain('Привет');
    expect(decodeText(iconv.encode(page, 'koi8-r'), 'text/html; charset=x-made-up').text).toContain(
      'Привет',
    );
  });

  it('reads the http-equiv form and treats latin1 as windows-1252', () => {
    const page =
      '<meta http-equiv="Content-Type" content="text/html; charset=iso-8859-1"><p>“quoted”</p>';
    expect(decodeText(iconv.encode(page, 'windows-1252'))).toEqual({
      text: page,
      charset: 'windows-1252',
    });
  });

  it('falls back to windows-1252 for undeclared bytes that are not UTF-8', () => {
    expect(decodeText(Buffer.from([0x63, 0x61, 0x66, 0xe9])).text).toBe('café');
  });

  it('parses charset parameters and markup declarations', () => {
    expect(charsetFromContentType('text/html;charset=UTF-8')).toBe('UTF-8');
    expect(charsetFromContentType('text/html')).toBeUndefined();
    expect(
      charsetFromMarkup(Buffer.from('<?xml version="1.0" encoding="ISO-8859-2"?><urlset/>')),
    ).toBe('ISO-8859-2');
    expect(charsetFromMarkup(Buffer.from('<meta charset="utf-16">'))).toBe('utf-8');
  });
});
