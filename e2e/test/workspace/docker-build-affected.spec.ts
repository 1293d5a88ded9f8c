import { appendFileSync } from 'node:fs';
import { join } from 'node:path';
import { affectedImageProjects, appsAffectedSincePreviousCommit } from '@shelfwatch/tools';
import { WorkspaceClone } from '@shelfwatch/testing';

/**
 * `nx affected -t docker-build` on throwaway commits in a clone: only the images a change touches
 * are built, and a shared library change rebuilds exactly the apps that import it.
 */
describe('docker-build on the affected apps of a throwaway commit', () => {
  let clone: WorkspaceClone;

  beforeAll(() => {
    clone = new WorkspaceClone();
  });

  afterAll(() => clone.remove());

  /**
   * The docker-build tasks `nx affected -t docker-build` would run (its task graph, nothing is run),
   * each with the tasks it waits for.
   */
  function plannedDockerBuilds(): Record<string, string[]> {
    const result = clone.run('nx', [
      'affected',
      '-t',
      'docker-build',
      '--base=HEAD~1',
      '--head=HEAD',
      '--graph=stdout',
    ]);
    expect(result.status).toBe(0);
    const graph = JSON.parse(result.output.slice(result.output.indexOf('{'))) as {
      tasks: { tasks: Record<string, unknown>; dependencies: Record<string, string[]> };
    };
    return Object.fromEntries(
      Object.keys(graph.tasks.tasks)
        .filter((task) => task.endsWith(':docker-build'))
        .sort()
        .map((task) => [
          task.slice(0, -':docker-build'.length),
          [...(graph.tasks.dependencies[task] ?? [])].sort(),
        ]),
    );
  }

  it('builds every app image when only libs/contracts changes, since all of them import it', () => {
    appendFileSync(
      join(clone.dir, 'libs/contracts/src/index.ts'),
      '\n// touched by the docker-build affected test\n',
    );
    clone.git('commit', '--quiet', '-am', 'Touch contracts');

    expect(affectedImageProjects(clone.dir, 'HEAD~1', 'HEAD')).toEqual([
      'analytics',
      'api',
      'notifier',
      'scraper',
    ]);
    expect(Object.keys(plannedDockerBuilds())).toEqual(['analytics', 'api', 'notifier', 'scraper']);
  });

  it('builds only the scraper image when only apps/scraper changes', () => {
    appendFileSync(
      join(clone.dir, 'apps/scraper/src/main.ts'),
      '\n// touched by the docker-build affected test\n',
    );
    clone.git('commit', '--quiet', '-am', 'Touch scraper');

    expect(affectedImageProjects(clone.dir, 'HEAD~1', 'HEAD')).toEqual(['scraper']);
    // The image is built from the bundle and the pruned manifest, so both run first.
    expect(plannedDockerBuilds()).toEqual({
      scraper: ['scraper:build:production', 'scraper:prune'],
    });
    expect(appsAffectedSincePreviousCommit(clone.dir)).toEqual({
      apps: ['scraper'],
      reason: 'apps affected since the previous commit (HEAD~1..HEAD)',
    });
  });

  it('builds only the api image when only its Dockerfile changes', () => {
    appendFileSync(join(clone.dir, 'apps/api/Dockerfile'), '\n# touched by the affected test\n');
    clone.git('commit', '--quiet', '-am', 'Touch the api Dockerfile');

    expect(affectedImageProjects(clone.dir, 'HEAD~1', 'HEAD')).toEqual(['api']);
  });
});
