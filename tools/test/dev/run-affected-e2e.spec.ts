import { affectedBase, e2eCommand } from '../../dev/run-affected-e2e';

describe("npm test's e2e step", () => {
  const only =
    (...refs: string[]) =>
    (ref: string) =>
      refs.includes(ref);

  it('compares with main when the clone has it', () => {
    expect(affectedBase({}, only('main', 'origin/main'))).toBe('main');
  });

  it('compares with origin/main in a clone of a branch, which has no local main', () => {
    expect(affectedBase({}, only('origin/main'))).toBe('origin/main');
  });

  it('takes NX_BASE over either branch', () => {
    expect(affectedBase({ NX_BASE: 'abc123' }, only('main'))).toBe('abc123');
  });

  it('runs the affected e2e suites against the base it found', () => {
    expect(e2eCommand('main')).toEqual([
      'affected',
      '-t',
      'e2e',
      '--base=main',
      '--outputStyle=stream-without-prefixes',
    ]);
  });

  it('runs every e2e suite when there is nothing to compare with', () => {
    expect(affectedBase({}, only())).toBeUndefined();
    expect(e2eCommand(undefined)).toEqual([
      'run-many',
      '-t',
      'e2e',
      '--outputStyle=stream-without-prefixes',
    ]);
  });
});
