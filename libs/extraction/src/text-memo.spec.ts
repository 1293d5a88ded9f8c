import { textMemo } from './text-memo';

describe('textMemo', () => {
  it('reads each text once while it is held, and gives the same answers as the reading', () => {
    const read: string[] = [];
    const memo = textMemo((text: string) => {
      read.push(text);
      return text.length;
    }, 2);
    expect([memo('ab'), memo('ab'), memo('abc'), memo('ab')]).toEqual([2, 2, 3, 2]);
    expect(read).toEqual(['ab', 'abc']);
  });

  it('forgets everything once it holds its capacity, so it stays bounded', () => {
    const read: string[] = [];
    const memo = textMemo((text: string) => read.push(text), 2);
    for (const text of ['a', 'b', 'c', 'a']) memo(text);
    // Full at "c": cleared, then "c" and "a" read again.
    expect(read).toEqual(['a', 'b', 'c', 'a']);
  });

  it('answers a text cut from a page and the same text made afresh alike', () => {
    const page = `${'x'.repeat(100_000)}In den Warenkorb`;
    const memo = textMemo((text: string) => text.toUpperCase(), 8);
    expect(memo(page.slice(100_000))).toBe('IN DEN WARENKORB');
    expect(memo('In den Warenkorb')).toBe('IN DEN WARENKORB');
  });
});
