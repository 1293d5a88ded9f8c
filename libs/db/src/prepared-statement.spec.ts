import { prepared } from './prepared-statement';

describe('prepared', () => {
  it('names a text the same way on every call, whatever its values', () => {
    const first = prepared('SELECT $1::int', [1]);
    const again = prepared('SELECT $1::int', [2]);
    expect(again.name).toBe(first.name);
    expect(first.name).toMatch(/^sw_[\w-]{22}$/);
    expect(again).toEqual({ name: first.name, text: 'SELECT $1::int', values: [2] });
  });

  it('gives two texts two names, even texts that differ in one character', () => {
    expect(prepared('SELECT $1::int', [1]).name).not.toBe(prepared('SELECT $1::text', [1]).name);
  });

  it("copies the values, so a caller's later change to its array does not reach the query", () => {
    const values = [1, 2];
    const config = prepared('SELECT $1::int, $2::int', values);
    values.push(3);
    expect(config.values).toEqual([1, 2]);
  });
});
