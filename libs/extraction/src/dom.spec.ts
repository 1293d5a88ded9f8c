import { dropInertContent } from './dom';

describe('dropInertContent', () => {
  it('empties scripts, style sheets and comments but keeps JSON-LD', () => {
    const html =
      '<p>a<!-- note -->b</p><script>var price = 1;</script><STYLE>.x{}</STYLE>' +
      '<script type="application/ld+json">{"@type":"Product"}</script><p>SKU: <!-- -->12</p>';
    expect(dropInertContent(html)).toBe(
      '<p>ab</p><script></script><style></style>' +
        '<script type="application/ld+json">{"@type":"Product"}</script><p>SKU: 12</p>',
    );
  });

  it('leaves an unclosed script or comment and everything after it as it was', () => {
    expect(dropInertContent('<p>x</p><script>var a = "</p>')).toBe('<p>x</p><script>var a = "</p>');
    expect(dropInertContent('<p>x</p><!-- open')).toBe('<p>x</p><!-- open');
  });

  it('returns a page without inert content unchanged', () => {
    const html = '<html><body><h1>Lamp</h1></body></html>';
    expect(dropInertContent(html)).toBe(html);
  });
});
