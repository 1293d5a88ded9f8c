import fc from 'fast-check';
import { collapse } from './dom';

/** What `collapse` is defined to give. */
const byRegex = (text: string): string => text.replace(/\s+/g, ' ').trim();

/** Every character `\s` matches, some that look like it but are not, and ordinary ones. */
const CHARACTERS = [
  ...' \t\n\v\f\r\u00a0\u1680\u2000\u2005\u200a\u2028\u2029\u202f\u205f\u3000\ufeff',
  ...'\u200b\u180e\u0085\u2060',
  ...'ab€9,.-',
];

describe('collapse', () => {
  it('gives what replacing whitespace runs with one space and trimming gives', () => {
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom(...CHARACTERS), { maxLength: 40 }).map((chars) => chars.join('')),
        (text) => {
          expect(collapse(text)).toBe(byRegex(text));
        },
      ),
      { numRuns: 5000 },
    );
  });

  it('treats every UTF-16 code unit as the regular expression does', () => {
    const differing: number[] = [];
    for (let code = 0; code <= 0xffff; code++) {
      const text = ` a${String.fromCharCode(code)}${String.fromCharCode(code)}b `;
      if (collapse(text) !== byRegex(text)) differing.push(code);
    }
    expect(differing).toEqual([]);
  });

  it('keeps text that needs no change and reads any string', () => {
    expect(collapse('19,99 €')).toBe('19,99 €');
    expect(collapse('   ')).toBe('');
    expect(collapse('')).toBe('');
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (text) => collapse(text) === byRegex(text)),
    );
  });
});
