/**
 * What a deploy of a range of commits has to touch, from Nx's affected projects and graph.
 *
 * Usage: tsx tools/infra/affected-stacks.ts [--base=<sha>] [--head=<sha>] [--images | --json]
 *
 * Without --images: the affected Terraform stacks (projects with a tf-apply target), one per
 * line, in the order to apply them: infra-platform first (topics, database and secrets the app
 * stacks look up), then the app stacks.
 *
 * With --images: the apps whose image this deploy pushes: every affected app, plus the app of
 * every affected stack, because that stack's tf-plan runs the image tagged with this commit.
 *
 * With --json: both, as `{ "stacks": [...], "images": [...] }`.
 *
 * Base and head default to NX_BASE and NX_HEAD (set by nrwl/nx-set-shas), then to Nx's defaults.
 */
import { createProjectGraphAsync, type ProjectGraph } from '@nx/devkit';
import { execFileSync } from 'node:child_process';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';

export const PLATFORM_STACK = 'infra-platform';

/** Stacks in apply order: the platform before the app stacks, the rest by name. */
export function inApplyOrder(stacks: string[]): string[] {
  return [...new Set(stacks)].sort((a, b) =>
    a === PLATFORM_STACK ? -1 : b === PLATFORM_STACK ? 1 : a.localeCompare(b),
  );
}

export function isStack(graph: ProjectGraph, project: string): boolean {
  return Boolean(graph.nodes[project]?.data.targets?.['tf-apply']);
}

function isApp(graph: ProjectGraph, project: string): boolean {
  return graph.nodes[project]?.data.tags?.includes('type:app') ?? false;
}

/** The apps a stack deploys: its dependencies tagged type:app (its implicitDependencies). */
export function appsOfStack(graph: ProjectGraph, stack: string): string[] {
  return (graph.dependencies[stack] ?? [])
    .map((edge) => edge.target)
    .filter((project) => isApp(graph, project));
}

export function affectedStacks(graph: ProjectGraph, affected: string[]): string[] {
  return inApplyOrder(affected.filter((project) => isStack(graph, project)));
}

export function imagesToPush(graph: ProjectGraph, affected: string[]): string[] {
  const apps = new Set(affected.filter((project) => isApp(graph, project)));
  for (const stack of affectedStacks(graph, affected))
    for (const app of appsOfStack(graph, stack)) apps.add(app);
  return [...apps].sort();
}

const workspaceRoot = resolve(__dirname, '../..');

/** `nx show projects --affected` of the workspace this script lives in. */
export function affectedProjects(range: { base?: string; head?: string }): string[] {
  const nx = require.resolve('nx/bin/nx', { paths: [workspaceRoot] });
  const args = ['show', 'projects', '--affected', '--json'];
  if (range.base) args.push(`--base=${range.base}`);
  if (range.head) args.push(`--head=${range.head}`);
  const output = execFileSync(process.execPath, [nx, ...args], {
    cwd: workspaceRoot,
    encoding: 'utf8',
    env: { ...process.env, NX_DAEMON: 'false', NX_TUI: 'false' },
  });
  return JSON.parse(output.slice(output.indexOf('['))) as string[];
}

async function main(argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: {
      base: { type: 'string', default: process.env.NX_BASE },
      head: { type: 'string', default: process.env.NX_HEAD },
      images: { type: 'boolean', default: false },
      json: { type: 'boolean', default: false },
    },
  });
  const affected = affectedProjects(values);
  // Run from the workspace root: @nx/devkit finds the workspace from the working directory.
  const graph = await createProjectGraphAsync({ exitOnError: true });
  const stacks = affectedStacks(graph, affected);
  const images = imagesToPush(graph, affected);
  if (values.json) process.stdout.write(`${JSON.stringify({ stacks, images })}\n`);
  else {
    const lines = values.images ? images : stacks;
    if (lines.length > 0) process.stdout.write(`${lines.join('\n')}\n`);
  }
}

if (require.main === module)
  main(process.argv.slice(2)).catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  });
