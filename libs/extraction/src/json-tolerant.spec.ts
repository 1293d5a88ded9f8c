import { parseJsonTolerant } from './json-tolerant';

describe('parseJsonTolerant', () => {
  it('parses valid JSON unchanged', () => {
    expect(parseJsonTolerant('{"a":[1,2]}')).toEqual({ a: [1, 2] });
  });

  it('drops comments, trailing commas and CDATA or HTML comment markers', () => {
    expect(parseJsonTolerant('<!-- {"a": 1, /* c */ "b": [1,2,],} // end\n -->')).toEqual({
      a: 1,
      b: [1, 2],
    });
    expect(parseJsonTolerant('//<![CDATA[\n{"a":"x // not a comment"}\n//]]>')).toEqual({
      a: 'x // not a comment',
    });
  });

  it('escapes raw control characters and bad escapes inside strings', () => {
    expect(parseJsonTolerant('{"a":"line\nbreak\ttab","b":"it\\\'s"}')).toEqual({
      a: 'line\nbreak\ttab',
      b: "it's",
    });
  });

  it('decodes a block written with HTML entities', () => {
    expect(parseJsonTolerant('{&quot;name&quot;:&quot;A &amp; B&quot;}')).toEqual({
      name: 'A & B',
    });
  });

  it('reads objects written one after another as an array', () => {
    expect(parseJsonTolerant('{"a":1}\n{"b":2}')).toEqual([{ a: 1 }, { b: 2 }]);
  });

  it('recovers what was complete in a cut-off block', () => {
    expect(
      parseJsonTolerant('{"name":"X","offers":{"price":"5"},"review":[{"body":"goo'),
    ).toMatchObject({
      name: 'X',
      offers: { price: '5' },
    });
  });

  it('gives undefined for text that is not JSON at all', () => {
    expect(parseJsonTolerant('window.dataLayer = [];')).toBeUndefined();
  });
});
