import { batchedTypecheck, TYPECHECK_EXECUTOR } from './plugin';

describe('batchedTypecheck', () => {
  const inferred = {
    command: 'tsc --build tsconfig.json',
    options: { cwd: 'libs/logging' },
    inputs: ['production', '^production'],
    cache: true,
  };

  it('runs the workspace executor on the project tsconfig the inferred command built', () => {
    const target = batchedTypecheck(inferred);
    expect(target.executor).toBe(TYPECHECK_EXECUTOR);
    expect(target.options).toEqual({ tsConfig: 'libs/logging/tsconfig.json' });
    expect(target).not.toHaveProperty('command');
    expect(target.cache).toBe(true);
  });

  it('refuses a command that is not a tsc --build', () => {
    expect(() => batchedTypecheck({ ...inferred, command: 'tsc --noEmit' })).toThrow(
      /Not a tsc --build typecheck command: "tsc --noEmit" in libs\/logging/,
    );
  });
});
