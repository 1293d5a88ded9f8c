import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { WorkspaceClone } from './workspace-clone';

const BOUNDARY_RULE = '@nx/enforce-module-boundaries';

describe('module boundaries', () => {
  let clone: WorkspaceClone;

  beforeAll(() => {
    clone = new WorkspaceClone();
    // The lint rule reads the project graph that nx caches; build it as `nx lint` would.
    expect(clone.run('nx', ['show', 'projects']).status).toBe(0);
  });

  afterAll(() => clone.remove());

  function lintNewFile(path: string, source: string) {
    writeFileSync(join(clone.dir, path), source);
    return clone.run('eslint', ['--no-warn-ignored', path]);
  }

  it('fails lint when a library imports an app', () => {
    const result = lintNewFile(
      'libs/runtime/src/imports-an-app.ts',
      "import * as api from '@shelfwatch/api';\nexport const leaked = api;\n",
    );
    expect(result.status).not.toBe(0);
    expect(result.output).toContain(BOUNDARY_RULE);
  });

  it('fails lint when db imports contracts', () => {
    const result = lintNewFile(
      'libs/db/src/imports-contracts.ts',
      "import { newId } from '@shelfwatch/contracts';\nexport const id = newId;\n",
    );
    expect(result.status).not.toBe(0);
    expect(result.output).toContain(BOUNDARY_RULE);
  });

  it('fails lint when one app imports another', () => {
    const result = lintNewFile(
      'apps/scraper/src/imports-api.ts',
      "import * as api from '@shelfwatch/api';\nexport const leaked = api;\n",
    );
    expect(result.status).not.toBe(0);
    expect(result.output).toContain(BOUNDARY_RULE);
  });

  it('passes lint when an app imports a library the design allows', () => {
    const result = lintNewFile(
      'apps/api/src/imports-runtime.ts',
      "import * as runtime from '@shelfwatch/runtime';\nexport const allowed = runtime;\n",
    );
    expect(result.output).not.toContain(BOUNDARY_RULE);
    expect(result.status).toBe(0);
  });
});
