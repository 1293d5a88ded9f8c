import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { WorkspaceClone } from '@shelfwatch/testing';

const BOUNDARY_RULE = '@nx/enforce-module-boundaries';

/**
 * The boundary lint rule on files added to a throwaway clone, as `nx lint` runs it.
 *
 * @long-running 45 (about the seconds it takes alone: the suites' order, ADR 0035)
 */
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
  it("fails lint when an app's production code imports the test helpers", () => {
    const result = lintNewFile(
      'apps/api/src/imports-testing.ts',
      "import { findFreeLoopbackPort } from '@shelfwatch/testing';\nexport const leaked = findFreeLoopbackPort;\n",
    );
    expect(result.status).not.toBe(0);
    expect(result.output).toContain(BOUNDARY_RULE);
  });

  it("fails lint when a library's production code imports the test helpers", () => {
    const result = lintNewFile(
      'libs/db/src/imports-testing.ts',
      "import { startEmbeddedPostgres } from '@shelfwatch/testing';\nexport const leaked = startEmbeddedPostgres;\n",
    );
    expect(result.status).not.toBe(0);
    expect(result.output).toContain(BOUNDARY_RULE);
  });

  it('passes lint when a spec file or a test/ folder imports the test helpers', () => {
    const spec = lintNewFile(
      'apps/api/src/uses-testing.spec.ts',
      "import { findFreeLoopbackPort } from '@shelfwatch/testing';\nexport const allowed = findFreeLoopbackPort;\n",
    );
    expect(spec.output).not.toContain(BOUNDARY_RULE);
    expect(spec.status).toBe(0);
    const testFolder = lintNewFile(
      'libs/messaging/test/uses-testing.ts',
      "import { localIssuer } from '@shelfwatch/testing';\nexport const allowed = localIssuer;\n",
    );
    expect(testFolder.output).not.toContain(BOUNDARY_RULE);
    expect(testFolder.status).toBe(0);
  });

  it('fails lint when the address guard imports another library', () => {
    const result = lintNewFile(
      'libs/address-guard/src/imports-logging.ts',
      "import { redact } from '@shelfwatch/logging';\nexport const leaked = redact;\n",
    );
    expect(result.status).not.toBe(0);
    expect(result.output).toContain(BOUNDARY_RULE);
  });

  it("fails lint when the test helpers import a workspace library (db's tests use them)", () => {
    const result = lintNewFile(
      'libs/testing/src/imports-db.ts',
      "import { applyMigrations } from '@shelfwatch/db';\nexport const cycle = applyMigrations;\n",
    );
    expect(result.status).not.toBe(0);
    expect(result.output).toContain(BOUNDARY_RULE);
  });
});
