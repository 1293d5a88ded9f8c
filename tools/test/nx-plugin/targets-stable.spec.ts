import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { nxWorkspace } from '../nx-workspace';
import { summarizeTargets, type TargetSummary } from './target-summary';

/**
 * targets-before-plugin.json was recorded from `nx show project <name> --json` for every
 * project on main at 25bb634, before the workspace plugin inferred any target (each app's
 * package.json and each infra/**\/project.json still spelled its targets out). It is a record
 * of that moment, not a snapshot to refresh: a README command that worked then must still run
 * the same thing now.
 */
const before = JSON.parse(
  readFileSync(join(__dirname, 'targets-before-plugin.json'), 'utf8'),
) as Record<string, Record<string, TargetSummary>>;

/**
 * Changes made on purpose since that moment, each with its reason; everything else must match.
 * The api image ships the dashboard, so its docker-build builds the web app first, and the e2e
 * suites drive that build in a browser (ADR 0019) and start the apps from their bundles (ADR 0035).
 */
const deliberateChanges: Record<string, Record<string, Partial<TargetSummary> | null>> = {
  api: { 'docker-build': { dependsOn: ['build', 'prune', 'web:build'] } },
  // The e2e suites are a tier of their own, run by npm test only where a change affects them and
  // by CI always (ADR 0037): `nx e2e e2e` runs what `nx test e2e` ran. `null` is a removed target.
  e2e: {
    test: null,
    e2e: {
      command: 'jest',
      cwd: 'e2e',
      dependsOn: ['^prisma-generate', 'prisma-generate', '^build'],
    },
  },
};

/**
 * `typecheck` still builds the project's tsconfig.json with `tsc --build`, now through the
 * workspace's executor, so that the typecheck tasks of one run share one build (ADR 0044, 0055).
 */
function typecheckThroughExecutor(
  recorded: TargetSummary | undefined,
): Partial<TargetSummary> | undefined {
  const config = /^tsc --build (\S+) --emitDeclarationOnly$/.exec(recorded?.command ?? '')?.[1];
  if (!recorded || !config) return undefined;
  return {
    command: undefined,
    cwd: undefined,
    executor: '@shelfwatch/nx-plugin:typecheck',
    options: { tsConfig: `${recorded.cwd}/${config}` },
  };
}

function expectedTargets(name: string): Record<string, TargetSummary> {
  const targets = { ...before[name] };
  const typecheck = typecheckThroughExecutor(targets['typecheck']);
  if (typecheck) targets['typecheck'] = { ...targets['typecheck'], ...typecheck };
  for (const [target, change] of Object.entries(deliberateChanges[name] ?? {})) {
    if (change === null) delete targets[target];
    else targets[target] = { ...targets[target], ...change };
  }
  return targets;
}

describe('nx show project lists the targets it listed before the workspace plugin', () => {
  it.each(Object.keys(before))('%s: same target names, commands and dependsOn', (name) => {
    const project = nxWorkspace().projects[name];
    if (!project) throw new Error(`Nx lists no project ${name}`);
    expect(summarizeTargets(project)).toEqual(expectedTargets(name));
  });
});
