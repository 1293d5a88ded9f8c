import express from 'express';
import fc from 'fast-check';
import { weakEtag } from './weak-etag';

type EtagFn = (body: Buffer | string, encoding?: BufferEncoding) => string;

describe('weakEtag', () => {
  // What Express computes when the `etag` setting is left at its default (weak).
  const expressEtag = express().get('etag fn') as EtagFn;

  it("gives Express's default ETag for any body, empty, ASCII or not, as a string or bytes", () => {
    expect(weakEtag(Buffer.alloc(0))).toBe(expressEtag(Buffer.alloc(0)));
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 3000 }), (text) => {
        expect(weakEtag(text, 'utf8')).toBe(expressEtag(text, 'utf8'));
        expect(weakEtag(Buffer.from(text))).toBe(expressEtag(Buffer.from(text)));
      }),
      { numRuns: 500 },
    );
    const large = Buffer.alloc(100_000, 'price history ');
    expect(weakEtag(large)).toBe(expressEtag(large));
  });
});
