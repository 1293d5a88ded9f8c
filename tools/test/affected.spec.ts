import { appendFileSync } from 'node:fs';
import { join } from 'node:path';
import { WorkspaceClone } from './workspace-clone';

function affectedProjects(clone: WorkspaceClone): string[] {
  const result = clone.run('nx', [
    'show',
    'projects',
    '--affected',
    '--base=HEAD~1',
    '--head=HEAD',
    '--json',
  ]);
  expect(result.status).toBe(0);
  return (JSON.parse(result.output.slice(result.output.indexOf('['))) as string[]).sort();
}

describe('nx affected on a throwaway commit', () => {
  let clone: WorkspaceClone;

  beforeAll(() => {
    clone = new WorkspaceClone();
  });

  afterAll(() => clone.remove());

  it('marks contracts and exactly the projects that import it when only libs/contracts changes', () => {
    appendFileSync(
      join(clone.dir, 'libs/contracts/src/index.ts'),
      '\n// touched by the affected test\n',
    );
    clone.git('commit', '--quiet', '-am', 'Touch contracts');

    // tools imports messaging and extraction (benchmarks), which import contracts.
    expect(affectedProjects(clone)).toEqual([
      'analytics',
      'api',
      'contracts',
      'extraction',
      'messaging',
      'runtime',
      'scraper',
      'tools',
    ]);
  });

  it('marks only the scraper when only apps/scraper changes', () => {
    appendFileSync(
      join(clone.dir, 'apps/scraper/src/main.ts'),
      '\n// touched by the affected test\n',
    );
    clone.git('commit', '--quiet', '-am', 'Touch scraper');

    expect(affectedProjects(clone)).toEqual(['scraper']);
  });
});
