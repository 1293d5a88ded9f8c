import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { workspaceRoot } from '@shelfwatch/testing';
import { appsWithDockerfile } from '../container/affected-apps';

/** The commands `.ci/run` runs, comments and blank lines left out. */
function ciCommands(): string[] {
  return readFileSync(join(workspaceRoot, '.ci/run'), 'utf8')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line && !line.startsWith('#'));
}

describe('.ci/run', () => {
  it('runs every end-to-end suite after npm test, which runs only the affected ones', () => {
    const commands = ciCommands();
    expect(commands.indexOf('npm test')).toBeGreaterThanOrEqual(0);
    expect(commands.indexOf('npm run e2e')).toBeGreaterThan(commands.indexOf('npm test'));
    const scripts = JSON.parse(readFileSync(join(workspaceRoot, 'package.json'), 'utf8')).scripts;
    expect(scripts.e2e).toMatch(/^nx run-many -t e2e\b/);
    expect(scripts.test).toMatch(/tsx tools\/dev\/run-affected-e2e\.ts$/);
  });

  it('smoke-tests every app image after npm test, not only those the last commit touched', () => {
    const commands = ciCommands();
    const smoke = commands.filter((line) => line.includes('tools/container/smoke-test.ts'));

    expect(smoke).toEqual(['npx tsx tools/container/smoke-test.ts']);
    expect(commands.indexOf('npm test')).toBeGreaterThanOrEqual(0);
    expect(commands.indexOf('npm test')).toBeLessThan(commands.indexOf(smoke[0]!));
    // Without app names or --affected the smoke test takes every app with a Dockerfile.
    expect(appsWithDockerfile(workspaceRoot)).toEqual(
      expect.arrayContaining(['analytics', 'api', 'notifier', 'scraper']),
    );
  });
});
