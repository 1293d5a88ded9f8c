import fc from 'fast-check';
import { parseDocument } from 'htmlparser2';
import type { DomNode } from './dom';
import { MAX_NESTING, parseHtml } from './html-parser';

interface Shape {
  type: string;
  name?: string;
  attribs?: Record<string, string>;
  data?: string;
  children?: Shape[];
}

/** A parsed tree as plain data: names, attributes, text, nesting. */
function shape(node: DomNode): Shape {
  return {
    type: node.type,
    name: node.name,
    attribs: node.attribs === undefined ? undefined : { ...node.attribs },
    data: node.data,
    children: node.children?.map(shape),
  };
}

const emptied = (node: Shape): boolean =>
  node.name === 'svg' ||
  node.name === 'style' ||
  (node.name === 'script' && !(node.attribs?.['type'] ?? '').toLowerCase().includes('ld+json'));

/**
 * What parseHtml promises, worked out the slow way from htmlparser2's own tree (decoding while
 * tokenizing): no comments, with the text around each one joined, and nothing inside scripts
 * other than JSON-LD, style sheets and SVG.
 */
function expected(node: Shape): Shape {
  if (!node.children) return node;
  const children: Shape[] = [];
  if (!emptied(node))
    for (const child of node.children.map(expected)) {
      if (child.type === 'comment') continue;
      const last = children[children.length - 1];
      if (child.type === 'text' && last?.type === 'text')
        children[children.length - 1] = { ...last, data: `${last.data ?? ''}${child.data ?? ''}` };
      else children.push(child);
    }
  return { ...node, children };
}

const reference = (html: string): Shape =>
  expected(shape(parseDocument(html) as unknown as DomNode));

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
    expect(shape(parseHtml(html))).toEqual(reference(html));
  });

  it('leaves raw text as written: JSON-LD keeps its "&amp;"', () => {
    const root = parseHtml('<script type="application/ld+json">{"n":"A &amp; B"}</script>');
    const script = root.children?.[0] as DomNode;
    expect(script.children?.[0]?.data).toBe('{"n":"A &amp; B"}');
  });

  it('keeps scripts, style sheets and inline SVG with their attributes but nothing inside', () => {
    const root = parseHtml(
      '<p>a<!-- note -->b</p><script src="/a.js">var price = "<p>1</p>";</script><STYLE>.x{}</STYLE>' +
        '<button class="add"><SVG class="icon" viewBox="0 0 9 9"><path d="M0 0"/><svg><use/></svg><text>x</text></svg>Buy</button>' +
        '<svg class="dot"/><p>19.99</p>',
    );
    expect(shape(root).children).toEqual([
      { type: 'tag', name: 'p', attribs: {}, children: [{ type: 'text', data: 'ab' }] },
      { type: 'script', name: 'script', attribs: { src: '/a.js' }, children: [] },
      { type: 'style', name: 'style', attribs: {}, children: [] },
      {
        type: 'tag',
        name: 'button',
        attribs: { class: 'add' },
        children: [
          {
            type: 'tag',
            name: 'svg',
            attribs: { class: 'icon', viewbox: '0 0 9 9' },
            children: [],
          },
          { type: 'text', data: 'Buy' },
        ],
      },
      { type: 'tag', name: 'svg', attribs: { class: 'dot' }, children: [] },
      { type: 'tag', name: 'p', attribs: {}, children: [{ type: 'text', data: '19.99' }] },
    ]);
  });

  it('drops what follows an unclosed script or svg, and an unclosed comment', () => {
    expect(shape(parseHtml('<p>x</p><script>var a = "</p>'))).toEqual(
      reference('<p>x</p><script>var a = "</p>'),
    );
    expect(shape(parseHtml('<p>x</p><svg><path d="M0'))).toEqual(
      reference('<p>x</p><svg><path d="M0'),
    );
    expect(shape(parseHtml('<p>x</p><!-- open <p>y</p>'))).toEqual(
      reference('<p>x</p><!-- open <p>y</p>'),
    );
  });

  it('ends a script where htmlparser2 does, whatever the case and spacing of its end tag', () => {
    for (const html of [
      '<script>a</scriptx>b</SCRIPT >c<p>d</p>',
      '<script>if (a </script>b<p>c</p>',
      '<script/><p>inside</p></script><p>after</p>',
      '<script type="application/ld+json"/><p>kept</p></script>',
      '<style>a{}</style\n><p>x</p>',
    ])
      expect(shape(parseHtml(html))).toEqual(reference(html));
  });

  it('stops at the first element nested deeper than the limit', () => {
    const html = `<body>${'<div>'.repeat(MAX_NESTING + 50)}deep`;
    let depth = 0;
    for (let node = parseHtml(html); node.children?.length; node = node.children[0] as DomNode)
      depth++;
    expect(depth).toBe(MAX_NESTING);
  });

  it('reads tag and attribute names as htmlparser2 does, however many names a page has', () => {
    // Short names from a few letters in both cases: many share a length and a slot of the
    // table of known names, so a name must never come back as another one seen before.
    const name = fc.stringMatching(/^[a-cA-CİK][a-cA-C0-9İ-]{0,3}$/);
    fc.assert(
      fc.property(
        fc.array(fc.tuple(name, fc.array(name, { maxLength: 6 })), { minLength: 1, maxLength: 60 }),
        (tags) => {
          const html = tags
            .map(
              ([tag, attributes]) => `<${tag} ${attributes.map((a) => `${a}="${a}"`).join(' ')}>`,
            )
            .join('');
          expect(shape(parseHtml(html))).toEqual(reference(html));
        },
      ),
      { numRuns: Number(process.env.FC_RUNS ?? 300) },
    );
  });

  it('builds the tree htmlparser2 builds, minus what it leaves out, for generated markup', () => {
    const fragment = fc.constantFrom(
      '<div class="a&amp;b">',
      '</div>',
      '<p>',
      '</p>',
      '<li>',
      '<ul>',
      '</ul>',
      '<table><tr><td>',
      '</td>',
      '<span id=x>',
      '</span>',
      '<br>',
      '</br>',
      '<img src="/i.png" alt=\'a "b"\'>',
      '<h1>',
      '</h1>',
      '<svg viewBox="0 0 1 1">',
      '<SVG>',
      '<svg/>',
      '<svg />',
      '</svg>',
      '</SVG >',
      '<path d="M0 0"/>',
      '<a title="</svg>">',
      "<a title='<svg>' b=c/>",
      '<a x=</svg>',
      '<p/ >',
      // Names in any case, repeated, without values, spaced out, not ASCII, cut off at the end.
      '<DIV Class="A" CLASS="b" id>',
      '<span\n\tdata-x = "1"  title=\'t\' \n>',
      '</DIV\n>',
      '<İmg Data-İ="1" dATA-k=2>',
      '<a hidden checked= >',
      '<div',
      '<a b',
      '<a b=',
      '</ svg>',
      '</svg/>',
      '</>',
      '<desc>',
      '</desc>',
      '<title/>',
      '<foreignObject>',
      '<image href="/i.png">',
      '<g>',
      '</g>',
      '<script>',
      '<script src="/x.js">',
      '<script type="application/ld+json">',
      '<script/>',
      '</script>',
      '</SCRIPT>',
      '</script >',
      '<style>',
      '</style>',
      '<textarea>',
      '</textarea>',
      '<title>',
      '</title>',
      '<xmp>',
      '</xmp>',
      '<noscript>',
      '</noscript>',
      '<template>',
      '</template>',
      '<select><option selected>',
      '<math>',
      '</math>',
      '<!-- note -->',
      '<!---->',
      '<!x>',
      '</ x>',
      '<?php echo 1 ?>',
      '<!DOCTYPE html>',
      '<![CDATA[c]]>',
      'text',
      ' ',
      '\n',
      '&amp;',
      '&lt;',
      '&copy',
      '&#x20AC;',
      '&notanentity;',
      '5 < 6',
      '"quoted"',
      '{"@type":"Product"}',
      'var a = "</p>";',
    );
    fc.assert(
      fc.property(fc.array(fragment, { maxLength: 40 }), (pieces) => {
        const html = pieces.join('');
        expect(shape(parseHtml(html))).toEqual(reference(html));
      }),
      { numRuns: Number(process.env.FC_RUNS ?? 3000) },
    );
  });
});
