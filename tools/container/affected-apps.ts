/**
 * Which apps have an image to build: all apps with a Dockerfile, or those Nx marks affected
 * between two commits for the `docker-build` target (the same answer `nx affected -t docker-build`
 * acts on).
 */
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { runCaptured } from './command';

export function appsWithDockerfile(root: string): string[] {
  return readdirSync(join(root, 'apps'))
    .filter((app) => existsSync(join(root, 'apps', app, 'Dockerfile')))
    .sort();
}

/** Projects with a `docker-build` target that Nx marks affected between `base` and `head`. */
export function affectedImageProjects(
  root: string,
  base: string,
  head: string,
  env: NodeJS.ProcessEnv = process.env,
): string[] {
  const result = runCaptured(
    join(root, 'node_modules/.bin/nx'),
    [
      'show',
      'projects',
      '--affected',
      '-t',
      'docker-build',
      `--base=${base}`,
      `--head=${head}`,
      '--json',
    ],
    { cwd: root, env: { NX_DAEMON: 'false', NX_NO_CLOUD: 'true', NX_TUI: 'false', ...env } },
  );
  if (result.status !== 0) {
    throw new Error(`nx show projects --affected failed:\n${result.stderr || result.stdout}`);
  }
  // Nx may print notices before the JSON array.
  return (JSON.parse(result.stdout.slice(result.stdout.indexOf('['))) as string[]).sort();
}

export interface AppSelection {
  apps: string[];
  reason: string;
}

/**
 * The apps a change since the previous commit affects, or every app when there is no previous
 * commit to compare with (a first commit, a shallow clone of depth 1).
 */
export function appsAffectedSincePreviousCommit(root: string): AppSelection {
  const parent = runCaptured('git', ['rev-parse', '--verify', '--quiet', 'HEAD~1^{commit}'], {
    cwd: root,
  });
  if (parent.status !== 0) {
    return {
      apps: appsWithDockerfile(root),
      reason: 'no previous commit to compare with: all apps',
    };
  }
  return {
    apps: affectedImageProjects(root, 'HEAD~1', 'HEAD'),
    reason: 'apps affected since the previous commit (HEAD~1..HEAD)',
  };
}
