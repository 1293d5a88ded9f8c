/**
 * The workspace plugin's project inference. One glob finds both kinds of project this
 * repository deploys:
 *
 * - `apps/<app>/Dockerfile` next to `apps/<app>/src/main.ts`: a deployable app, which gets
 *   build, prune, serve, docker-build and docker-push (the app itself is a project through its
 *   package.json; these targets are added to it).
 * - `infra/<folder>/main.tf`: a Terraform stack or module, which becomes a project of its own
 *   with tf-* targets and graph edges to its app and the modules it calls.
 */
import {
  createNodesFromFiles,
  type CreateNodesContext,
  type CreateNodesResult,
  type CreateNodesV2,
} from '@nx/devkit';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { appTargets, workspaceDependencies } from './apps/app-targets';
import { bundledPackages, START_PACKAGES, type Lockfile } from './apps/bundled-packages';
import { terraformProject } from './terraform/terraform-targets';

export const PROJECT_FILES = '{apps/*/Dockerfile,infra/**/main.tf}';

async function projectsFor(file: string, context: CreateNodesContext): Promise<CreateNodesResult> {
  const root = dirname(file);
  if (file.startsWith('infra/'))
    return { projects: { [root]: await terraformProject(context.workspaceRoot, root) } };

  const dir = join(context.workspaceRoot, root);
  const manifestFile = join(dir, 'package.json');
  if (!existsSync(join(dir, 'src/main.ts')) || !existsSync(manifestFile)) return {};
  const manifest = JSON.parse(readFileSync(manifestFile, 'utf8')) as {
    name: string;
    dependencies?: Record<string, string>;
    nx?: { name?: string };
  };
  const app = manifest.nx?.name ?? root.slice('apps/'.length);
  const lockfile = JSON.parse(
    readFileSync(join(context.workspaceRoot, 'package-lock.json'), 'utf8'),
  ) as Lockfile;
  const bundled = [
    ...workspaceDependencies(manifest),
    ...bundledPackages(lockfile, START_PACKAGES),
  ];
  return { projects: { [root]: { targets: appTargets(app, root, bundled) } } };
}

export const createNodesV2: CreateNodesV2 = [
  PROJECT_FILES,
  (files, options, context) =>
    createNodesFromFiles((file, _options, ctx) => projectsFor(file, ctx), files, options, context),
];

/** Nx 23 names the same pair `createNodes`; `createNodesV2` stays for Nx 22 and earlier. */
export const createNodes = createNodesV2;
