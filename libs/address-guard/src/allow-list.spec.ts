import { allowHostsSetting } from './allow-list';

describe('the allow-list setting', () => {
  it('splits comma-separated hosts, addresses and ranges, dropping blanks', () => {
    expect(allowHostsSetting.parse(' 127.0.0.1, localhost ,,10.0.0.0/8,[::1]')).toEqual([
      '127.0.0.1',
      'localhost',
      '10.0.0.0/8',
      '[::1]',
    ]);
  });

  it('is empty when unset', () => {
    expect(allowHostsSetting.parse(undefined)).toEqual([]);
  });

  it.each(['10.0.0.0/99', 'not a host!', 'http://127.0.0.1/'])('rejects %s, naming it', (entry) => {
    const result = allowHostsSetting.safeParse(`127.0.0.1,${entry}`);
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.message).toContain(JSON.stringify(entry));
  });
});
