import { parseDocument } from 'htmlparser2';
import { dropInertContent, limitNesting, parseHtml, type DomNode } from './dom';

/** A parsed tree as plain data: names, attributes, text, nesting. */
function shape(node: DomNode): unknown {
  return {
    type: node.type,
    name: node.name,
    attribs: node.attribs,
    data: node.data,
    children: node.children?.map(shape),
  };
}

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

  it('empties inline SVG, nested or not, but keeps the element and its attributes', () => {
    const html =
      '<button class="add"><SVG class="icon" viewBox="0 0 9 9"><path d="M0 0"/><svg><use/></svg><text>x</text></svg>Buy</button>' +
      '<svg class="dot"/><p>19.99</p>';
    expect(dropInertContent(html)).toBe(
      '<button class="add"><SVG class="icon" viewBox="0 0 9 9"></svg>Buy</button>' +
        '<svg class="dot"/><p>19.99</p>',
    );
  });

  it('leaves an unclosed script or comment and everything after it as it was', () => {
    expect(dropInertContent('<p>x</p><script>var a = "</p>')).toBe('<p>x</p><script>var a = "</p>');
    expect(dropInertContent('<p>x</p><!-- open')).toBe('<p>x</p><!-- open');
    expect(dropInertContent('<p>x</p><svg><path d="M0')).toBe('<p>x</p><svg><path d="M0');
  });

  it('returns a page without inert content unchanged', () => {
    const html = '<html><body><h1>Lamp</h1></body></html>';
    expect(dropInertContent(html)).toBe(html);
  });
});

describe('limitNesting', () => {
  it('cuts the document at the first element deeper than the limit', () => {
    const html = '<div><DIV><section><p>deep</p></section></DIV></div>';
    expect(limitNesting(html, 2)).toBe('<div><DIV>');
  });

  it('does not count void, implicitly closed or self-closed elements', () => {
    const html = '<div><br><img src=x><li>one<li>two<x-icon/><span>in</span></div>';
    expect(limitNesting(html, 2)).toBe(html);
  });

  it('counts closing tags back down, whatever their case', () => {
    const html = '<div></DIV><div></div><div><span>x</span></div>';
    expect(limitNesting(html, 2)).toBe(html);
  });

  it('reads no tags inside raw text or comments', () => {
    const html =
      '<div><textarea><b><b><b></TEXTAREA><!-- <i><i><i> --><script type="application/ld+json">"<u><u>"</script></div>';
    expect(limitNesting(html, 1)).toBe(html);
  });

  it('leaves an unterminated raw-text element and what follows it alone', () => {
    const html = '<div><title><a><a><a>';
    expect(limitNesting(html, 1)).toBe(html);
  });
});

describe('parseHtml', () => {
  it('decodes character references exactly as htmlparser2 does while tokenizing', () => {
    const html =
      '<html><head><title>Tom &amp; Jerry&#39;s</title>' +
      '<meta property="og:title" content="A &quot;B&quot; &amp C &copy"></head><body>' +
      '<h1 title="x&lt;y">Caf&eacute; &euro;12&comma;99 &notanentity; &amp &#x20AC;5 &#8364;6</h1>' +
      '<a href="/p?a=1&copy=2&amp;b=3">link</a><textarea>&amp; kept</textarea>' +
      '<script type="application/ld+json">{"name":"A &amp; B"}</script>' +
      '<xmp>&amp;</xmp><p data-x=&lt;unquoted&gt;>&lt;&gt;&nbsp;x</p><p>5 &lt; 6 &amp< 7 &gt; &am< p;</p>' +
      '</body></html>';
    const reference = parseDocument(limitNesting(dropInertContent(html)));
    expect(shape(parseHtml(html))).toEqual(shape(reference as unknown as DomNode));
  });

  it('leaves raw text as written: JSON-LD keeps its "&amp;"', () => {
    const root = parseHtml('<script type="application/ld+json">{"n":"A &amp; B"}</script>');
    const script = root.children?.[0] as DomNode;
    expect(script.children?.[0]?.data).toBe('{"n":"A &amp; B"}');
  });
});
