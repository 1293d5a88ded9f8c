import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { WorkspaceClone } from '@shelfwatch/testing';

/** The pruned images install what package.json files declare, so lint holds them to the code. */
describe('lint of a library whose package.json forgets a runtime dependency', () => {
  let clone: WorkspaceClone;

  beforeAll(() => {
    clone = new WorkspaceClone();
  });

  afterAll(() => clone.remove());

  it('fails, naming the package the code imports', () => {
    const manifestFile = join(clone.dir, 'libs/logging/package.json');
    const manifest = JSON.parse(readFileSync(manifestFile, 'utf8'));
    expect(manifest.dependencies.winston).toBeDefined();
    delete manifest.dependencies.winston;
    writeFileSync(manifestFile, `${JSON.stringify(manifest, null, 2)}\n`);

    const result = clone.run('nx', ['run', 'logging:lint', '--outputStyle=static']);

    expect(result.status).not.toBe(0);
    // eslint-disable-next-line no-control-regex -- ESLint colours its output when FORCE_COLOR is set
    const plain = result.output.replace(/\u001b\[[0-9;]*m/g, '');
    expect(plain).toMatch(/missing from "dependencies":\s+- winston\s+@nx\/dependency-checks/);
  });
});
