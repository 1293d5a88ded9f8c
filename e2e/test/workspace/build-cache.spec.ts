import { appendFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { WorkspaceClone } from '@shelfwatch/testing';

/**
 * The inferred build reads the app's and its libraries' production files only (`production`,
 * `^production`), so a commit that touches nothing but specs builds nothing.
 */
describe('the inferred api:build target in a throwaway clone', () => {
  let clone: WorkspaceClone;

  /** How Nx reported api:build: from its cache, or run. */
  function buildApi(): 'cache' | 'ran' {
    const result = clone.run('nx', ['run', 'api:build', '--outputStyle=static']);
    expect(result.status).toBe(0);
    // eslint-disable-next-line no-control-regex -- Nx colours its output when FORCE_COLOR is set
    const plain = result.output.replace(/\u001b\[[0-9;]*m/g, '');
    const line = plain.split('\n').find((text) => /nx run api:build\b/.test(text)) ?? '';
    return /\[(local cache|existing outputs match the cache, left as is)\]/.test(line)
      ? 'cache'
      : 'ran';
  }

  beforeAll(() => {
    clone = new WorkspaceClone();
  });

  afterAll(() => clone.remove());

  it('builds once, then is a cache hit after a change to the api specs only', () => {
    expect(buildApi()).toBe('ran');
    appendFileSync(join(clone.dir, 'apps/api/test/targets.spec.ts'), '\n// spec-only change\n');
    writeFileSync(
      join(clone.dir, 'apps/api/src/cache-probe.spec.ts'),
      "it('is a spec the bundle never reads', () => expect(1).toBe(1));\n",
    );
    expect(buildApi()).toBe('cache');
  });

  it('builds again after a change to libs/contracts/src', () => {
    appendFileSync(join(clone.dir, 'libs/contracts/src/time.ts'), '\n// contracts change\n');
    expect(buildApi()).toBe('ran');
  });
});
