import { appendFileSync } from 'node:fs';
import { join } from 'node:path';
import { WorkspaceClone } from '@shelfwatch/testing';

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

/**
 * `nx show projects --affected` on throwaway commits in a clone of the workspace.
 *
 * @long-running 40 (about the seconds it takes alone: the suites' order, ADR 0035)
 */
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

    // tools imports messaging and extraction (benchmarks), which import contracts; the
    // workspace plugin's service generator checks event types against contracts; each app's
    // Terraform stack depends on its app. The platform stack does not: its topic list is checked
    // against the registry by a test, so a topic change edits infra/platform in the same commit.
    expect(affectedProjects(clone)).toEqual([
      'analytics',
      'api',
      'contracts',
      'e2e',
      'extraction',
      'infra-analytics',
      'infra-api',
      'infra-notifier',
      'infra-scraper',
      'mail',
      'messaging',
      'notifier',
      'nx-plugin',
      'runtime',
      'scraper',
      'tools',
      // The dashboard's client types are generated from the OpenAPI document contracts builds.
      'web',
    ]);
  });

  it('marks the scraper, its stack and the end-to-end suites when only apps/scraper/src changes', () => {
    appendFileSync(
      join(clone.dir, 'apps/scraper/src/main.ts'),
      '\n// touched by the affected test\n',
    );
    clone.git('commit', '--quiet', '-am', 'Touch scraper');

    expect(affectedProjects(clone)).toEqual(['e2e', 'infra-scraper', 'scraper']);
  });

  it('marks analytics, infra/analytics and the end-to-end suites, and no other stack, when only apps/analytics changes', () => {
    appendFileSync(
      join(clone.dir, 'apps/analytics/src/main.ts'),
      '\n// touched by the affected test\n',
    );
    clone.git('commit', '--quiet', '-am', 'Touch analytics');

    expect(affectedProjects(clone)).toEqual(['analytics', 'e2e', 'infra-analytics']);
  });

  it("marks only the scraper's stack, not the end-to-end suites, when only infra/scraper changes", () => {
    appendFileSync(join(clone.dir, 'infra/scraper/main.tf'), '\n# touched by the affected test\n');
    clone.git('commit', '--quiet', '-am', 'Touch the scraper stack');

    expect(affectedProjects(clone)).toEqual(['infra-scraper']);
  });

  it('marks a Terraform module and exactly the stacks that call it when only the module changes', () => {
    appendFileSync(
      join(clone.dir, 'infra/modules/push-subscription/main.tf'),
      '\n# touched by the affected test\n',
    );
    clone.git('commit', '--quiet', '-am', 'Touch the push-subscription module');
    expect(affectedProjects(clone)).toEqual([
      'infra-analytics',
      'infra-api',
      'infra-module-push-subscription',
      // The app stacks call it through infra/modules/service.
      'infra-module-service',
      'infra-notifier',
      'infra-scraper',
    ]);

    appendFileSync(
      join(clone.dir, 'infra/modules/pubsub-topic/main.tf'),
      '\n# touched by the affected test\n',
    );
    clone.git('commit', '--quiet', '-am', 'Touch the pubsub-topic module');
    expect(affectedProjects(clone)).toEqual(['infra-module-pubsub-topic', 'infra-platform']);
  });
});
