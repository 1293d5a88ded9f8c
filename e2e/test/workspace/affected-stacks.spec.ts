import { appendFileSync } from 'node:fs';
import { join } from 'node:path';
import { WorkspaceClone } from '@shelfwatch/testing';

describe('tools/infra/affected-stacks.ts on a throwaway commit', () => {
  let clone: WorkspaceClone;

  /** What a deploy of the last commit touches: `--json` prints stacks and images at once. */
  function deployOfLastCommit(): { stacks: string[]; images: string[] } {
    const result = clone.run('tsx', [
      'tools/infra/affected-stacks.ts',
      '--base=HEAD~1',
      '--head=HEAD',
      '--json',
    ]);
    expect(result.status).toBe(0);
    return JSON.parse(result.output.slice(result.output.indexOf('{"stacks"')));
  }

  beforeAll(() => {
    clone = new WorkspaceClone();
  });

  afterAll(() => clone.remove());

  it('lists the stacks calling a changed module, and their apps as the images to push', () => {
    appendFileSync(
      join(clone.dir, 'infra/modules/cloud-run-service/main.tf'),
      '\n# touched by the affected-stacks test\n',
    );
    clone.git('commit', '--quiet', '-am', 'Touch the cloud-run-service module');

    // Their tf-plan runs the image tagged with this commit, so each app's image is pushed.
    expect(deployOfLastCommit()).toEqual({
      stacks: ['infra-analytics', 'infra-api', 'infra-notifier', 'infra-scraper'],
      images: ['analytics', 'api', 'notifier', 'scraper'],
    });
  });

  it('lists only infra-analytics, and only its image, when only apps/analytics changes', () => {
    appendFileSync(
      join(clone.dir, 'apps/analytics/src/main.ts'),
      '\n// touched by the affected-stacks test\n',
    );
    clone.git('commit', '--quiet', '-am', 'Touch analytics');

    expect(deployOfLastCommit()).toEqual({ stacks: ['infra-analytics'], images: ['analytics'] });
  });

  it('lists the platform stack alone, with no image, when only the platform changes', () => {
    appendFileSync(join(clone.dir, 'infra/platform/main.tf'), '\n# touched\n');
    clone.git('commit', '--quiet', '-am', 'Touch the platform');

    expect(deployOfLastCommit()).toEqual({ stacks: ['infra-platform'], images: [] });
  });
});
