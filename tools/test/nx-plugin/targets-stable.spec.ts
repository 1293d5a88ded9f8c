import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { workspaceRoot } from '@shelfwatch/testing';
import { summarizeTargets, type ShownProject, type TargetSummary } from './target-summary';

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

function showProject(name: string): ShownProject {
  const nx = require.resolve('nx/bin/nx', { paths: [workspaceRoot] });
  const output = execFileSync(process.execPath, [nx, 'show', 'project', name, '--json'], {
    cwd: workspaceRoot,
    encoding: 'utf8',
    env: { ...process.env, NX_DAEMON: 'false', NX_TUI: 'false' },
  });
  return JSON.parse(output.slice(output.indexOf('{'))) as ShownProject;
}

/**
 * Changes made on purpose since that moment, each with its reason; everything else must match.
 * The api image ships the dashboard, so its docker-build builds the web app first, and the e2e
 * suites drive that build in a browser (ADR 0019).
 */
const deliberateChanges: Record<string, Record<string, Partial<TargetSummary>>> = {
  api: { 'docker-build': { dependsOn: ['build', 'prune', 'web:build'] } },
  e2e: { test: { dependsOn: ['^prisma-generate', 'prisma-generate', 'web:build'] } },
};

function expectedTargets(name: string): Record<string, TargetSummary> {
  const targets = { ...before[name] };
  for (const [target, change] of Object.entries(deliberateChanges[name] ?? {}))
    targets[target] = { ...targets[target], ...change };
  return targets;
}

describe('nx show project lists the targets it listed before the workspace plugin', () => {
  it.each(Object.keys(before))('%s: same target names, commands and dependsOn', (name) => {
    expect(summarizeTargets(showProject(name))).toEqual(expectedTargets(name));
  });
});
