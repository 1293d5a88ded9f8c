import { secretsInLogs } from './secret-scan';

describe('secretsInLogs', () => {
  const key = `sw_abcdefghijkl_${'A'.repeat(43)}`;
  const jwt = 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl';

  it.each([
    ['api key', `{"msg":"auth failed","key":"${key}"}`],
    ['json web token', `invalid token: Wrong number of segments in token: ${jwt}`],
    ['bearer or basic credential', 'authorization: Bearer abcdefghijklmnop'],
    ['password in a URL', 'connecting to postgresql://postgres:postgres@127.0.0.1:5432/db'],
    ['session cookie', 'cookie: sw_session=0123456789abcdef'],
  ])('finds a %s', (kind, line) => {
    expect(secretsInLogs([line])).toEqual([expect.objectContaining({ kind })]);
  });

  it('finds a known secret anywhere in a line', () => {
    expect(secretsInLogs(['password was hunter2hunter2!'], ['hunter2hunter2'])).toEqual([
      { kind: 'known secret', line: 'password was hunter2hunter2!' },
    ]);
  });

  it('passes redacted lines and harmless text', () => {
    const lines = [
      'authorization: Bearer [REDACTED]',
      'postgresql://postgres:[REDACTED]@127.0.0.1:5432/db',
      'sw_session=[REDACTED]',
      'key sw_abcdefghijkl_[REDACTED] was used',
      'Messaging started',
    ];
    expect(secretsInLogs(lines, ['short'])).toEqual([]);
  });
});
