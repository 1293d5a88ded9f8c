/**
 * Writes the deployable `package.json` and `package-lock.json` for one app next to its bundle,
 * and copies the scripts its Dockerfile runs (tools/container/trim-node-modules.cjs after `npm ci`,
 * tools/container/fill-compile-cache.cjs for the image's compile cache).
 *
 * The app bundle inlines our workspace libraries, so the deployable needs only the third-party
 * packages that the app and every workspace library it reaches declare in their own
 * `dependencies`, pinned to the versions installed at the root, and a lockfile pruned from
 * the root one (Nx computes it from the project graph, offline).
 *
 * Usage: tsx tools/scripts/prune-deployable.ts <project> <outputDir>
 */
import {
  createProjectGraphAsync,
  readJsonFile,
  workspaceRoot,
  type ProjectGraph,
} from '@nx/devkit';
import { createLockFile } from '@nx/devkit/internal';
import { IMAGE_BUILD_SCRIPTS } from '@shelfwatch/nx-plugin';
import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';

interface Manifest {
  name: string;
  version?: string;
  dependencies?: Record<string, string>;
}

/**
 * Test-only projects: the graph links them from spec files and `test/` folders, and lint keeps
 * production code from importing them, so a deployable never needs what they declare.
 */
function isTestOnly(graph: ProjectGraph, project: string): boolean {
  return graph.nodes[project]?.data.tags?.includes('type:testing') ?? false;
}

function workspaceProjectsReachedFrom(graph: ProjectGraph, start: string): string[] {
  const seen = new Set<string>([start]);
  const queue = [start];
  while (queue.length > 0) {
    const current = queue.shift() as string;
    for (const edge of graph.dependencies[current] ?? []) {
      if (graph.nodes[edge.target] && !seen.has(edge.target) && !isTestOnly(graph, edge.target)) {
        seen.add(edge.target);
        queue.push(edge.target);
      }
    }
  }
  return [...seen];
}

/** The version of `dependency` that code under `projectRoot` loads, if it is installed. */
function installedVersion(dependency: string, projectRoot: string): string | undefined {
  try {
    const manifest = require.resolve(`${dependency}/package.json`, {
      paths: [join(workspaceRoot, projectRoot)],
    });
    return readJsonFile<{ version: string }>(manifest).version;
  } catch {
    return undefined;
  }
}

export async function pruneDeployable(project: string, outputDir: string): Promise<Manifest> {
  const graph = await createProjectGraphAsync({ exitOnError: true });
  const node = graph.nodes[project];
  if (!node) throw new Error(`Unknown project "${project}"`);
  const projects = workspaceProjectsReachedFrom(graph, project);
  const workspacePackages = new Set(
    projects.map(
      (name) =>
        readJsonFile<Manifest>(join(workspaceRoot, graph.nodes[name].data.root, 'package.json'))
          .name,
    ),
  );
  const rootManifest = readJsonFile<{ engines?: Record<string, string> }>(
    join(workspaceRoot, 'package.json'),
  );

  const dependencies: Record<string, string> = {};
  for (const name of projects) {
    const manifest = readJsonFile<Manifest>(
      join(workspaceRoot, graph.nodes[name].data.root, 'package.json'),
    );
    for (const dependency of Object.keys(manifest.dependencies ?? {})) {
      if (workspacePackages.has(dependency)) continue;
      const external = graph.externalNodes?.[`npm:${dependency}`];
      if (!external) {
        throw new Error(
          `${manifest.name} depends on ${dependency}, which is not installed at the root`,
        );
      }
      // The image installs the root's version; a project resolving its own nested copy would
      // run against another one in production than in its tests.
      const resolved = installedVersion(dependency, graph.nodes[name].data.root);
      if (resolved !== undefined && resolved !== external.data.version) {
        throw new Error(
          `${manifest.name} resolves ${dependency} ${resolved}, but the root has ${external.data.version}: ` +
            `declare ${dependency} at the root so that version is installed there`,
        );
      }
      dependencies[dependency] = external.data.version;
    }
  }

  const appManifest = readJsonFile<Manifest>(join(workspaceRoot, node.data.root, 'package.json'));
  const deployable = {
    name: appManifest.name,
    version: appManifest.version ?? '0.0.0',
    private: true,
    main: 'main.js',
    engines: rootManifest.engines,
    scripts: { start: 'node main.js' },
    dependencies: Object.fromEntries(
      Object.entries(dependencies).sort(([a], [b]) => a.localeCompare(b)),
    ),
  };
  const lockfile = createLockFile(deployable, graph, 'npm');

  const target = join(workspaceRoot, outputDir);
  mkdirSync(target, { recursive: true });
  writeFileSync(join(target, 'package.json'), JSON.stringify(deployable, null, 2) + '\n');
  writeFileSync(join(target, 'package-lock.json'), lockfile);
  for (const script of IMAGE_BUILD_SCRIPTS)
    copyFileSync(join(workspaceRoot, script), join(target, basename(script)));
  return deployable;
}

if (require.main === module) {
  const [project, outputDir] = process.argv.slice(2);
  if (!project || !outputDir) {
    console.error('usage: prune-deployable <project> <outputDir>');
    process.exit(2);
  }
  pruneDeployable(project, outputDir).then(
    (manifest) =>
      console.log(
        `${outputDir}/package.json: ${Object.keys(manifest.dependencies ?? {}).length} production dependencies`,
      ),
    (error: unknown) => {
      console.error(error instanceof Error ? error.message : error);
      process.exit(1);
    },
  );
}
