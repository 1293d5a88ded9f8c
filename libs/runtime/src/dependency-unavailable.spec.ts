import { isDependencyUnavailable } from './dependency-unavailable';

function withCode(message: string, code: string): Error {
  return Object.assign(new Error(message), { code });
}

describe('isDependencyUnavailable', () => {
  it.each([
    ['a refused connection', withCode('connect ECONNREFUSED 127.0.0.1:5432', 'ECONNREFUSED')],
    ['a Prisma pool timeout', withCode('Timed out fetching a new connection', 'P2024')],
    ['a statement timeout', withCode('canceling statement due to statement timeout', '57014')],
    [
      'a server shutting down',
      withCode('terminating connection due to administrator command', '57P01'),
    ],
    ['too many connections', withCode('sorry, too many clients already', '53300')],
    [
      'a driver-adapter error wrapped by Prisma',
      Object.assign(new Error('Invalid `prisma.product.findMany()` invocation'), {
        code: 'P2010',
        meta: { driverAdapterError: { cause: { kind: 'DatabaseNotReachable' } } },
      }),
    ],
    [
      'a cause chain',
      new Error('query failed', { cause: new Error('Connection terminated unexpectedly') }),
    ],
    ['every address refused', new AggregateError([withCode('refused', 'ECONNREFUSED')], 'connect')],
  ])('recognises %s', (_name, error) => {
    expect(isDependencyUnavailable(error)).toBe(true);
  });

  it.each([
    ['a plain bug', new TypeError("Cannot read properties of undefined (reading 'id')")],
    ['a unique violation', withCode('Unique constraint failed', 'P2002')],
    ['a syntax error in SQL', withCode('syntax error at or near "SELEC"', '42601')],
    ['a thrown string', 'boom'],
  ])('leaves %s to be a 500', (_name, error) => {
    expect(isDependencyUnavailable(error)).toBe(false);
  });
});
