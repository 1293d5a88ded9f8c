/**
 * The Nx project of a Terraform folder under infra/: a stack (infra/<name>, its own state) or a
 * module (infra/modules/<name>, called by stacks). Its graph edges are the local modules its
 * `module` blocks call (their `source` lines) and, for a stack named like an app, that app.
 */
import type { ProjectConfiguration, TargetConfiguration } from '@nx/devkit';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, posix } from 'node:path';
import { blocksOf, moduleSource, parseTerraform } from './hcl';

export const MODULES_FOLDER = 'infra/modules';

/** `infra/api` => `infra-api`, `infra/modules/service` => `infra-module-service`. */
export function terraformProjectName(root: string): string {
  return root.startsWith(`${MODULES_FOLDER}/`)
    ? `infra-module-${root.slice(MODULES_FOLDER.length + 1)}`
    : `infra-${root.slice('infra/'.length)}`;
}

export function isModule(root: string): boolean {
  return root.startsWith(`${MODULES_FOLDER}/`);
}

/** The local module folders (workspace-relative) the `.tf` files of `root` call. */
export async function calledModules(workspaceRoot: string, root: string): Promise<string[]> {
  const dir = join(workspaceRoot, root);
  const files = await Promise.all(
    readdirSync(dir)
      .filter((name) => name.endsWith('.tf'))
      .sort()
      .map((name) => parseTerraform(posix.join(root, name), readFileSync(join(dir, name), 'utf8'))),
  );
  const sources = blocksOf(files, 'module')
    .map(moduleSource)
    .filter((source): source is string => source !== undefined);
  return [...new Set(sources)].sort();
}

const terraformFiles = ['{projectRoot}/**/*.tf', '{projectRoot}/**/*.tfvars'];
/** The modules a folder calls count too: validating or planning it reads their files. */
const calledTerraformFiles = ['^{projectRoot}/**/*.tf'];
const terraformScripts = ['{workspaceRoot}/tools/infra/**/*.ts'];

function command(action: string, root: string): string {
  return `tsx tools/infra/terraform.ts ${action} ${root}`;
}

const perEnvironment = {
  defaultConfiguration: 'dev',
  configurations: { dev: { args: '--env=dev' }, prod: { args: '--env=prod' } },
};

export function terraformTargets(
  root: string,
  extras: { migrationScript: boolean },
): Record<string, TargetConfiguration> {
  const targets: Record<string, TargetConfiguration> = {
    'tf-fmt': {
      executor: 'nx:run-commands',
      cache: true,
      inputs: terraformFiles,
      outputs: [],
      options: { command: command('fmt', root) },
    },
    // Not cached: it needs providers from the network, and a run that could not get them
    // fails rather than passes (tools/infra/terraform.ts), so there is no result worth keeping.
    'tf-validate': {
      executor: 'nx:run-commands',
      cache: false,
      inputs: [...terraformFiles, ...calledTerraformFiles, ...terraformScripts],
      outputs: [],
      options: { command: command('validate', root) },
    },
  };
  if (isModule(root)) return targets;
  // Plans and applies talk to the cloud: never cached. The saved plan lives in Terraform's data
  // folder under node_modules/.cache, outside what Nx restores.
  targets['tf-plan'] = {
    executor: 'nx:run-commands',
    cache: false,
    inputs: [...terraformFiles, ...calledTerraformFiles, ...terraformScripts],
    outputs: [],
    options: { command: command('plan', root) },
    ...perEnvironment,
  };
  targets['tf-apply'] = {
    executor: 'nx:run-commands',
    cache: false,
    inputs: [...terraformFiles, ...calledTerraformFiles, ...terraformScripts],
    outputs: [],
    options: { command: command('apply', root) },
    ...perEnvironment,
  };
  if (extras.migrationScript)
    targets['migrate-job'] = {
      executor: 'nx:run-commands',
      cache: false,
      inputs: [`{projectRoot}/run-migrations.sh`],
      outputs: [],
      options: { command: `bash ${root}/run-migrations.sh` },
    };
  return targets;
}

/** The app a stack deploys: apps/<stack name>, when that folder is a deployable app. */
function appOfStack(workspaceRoot: string, root: string): string | undefined {
  if (isModule(root)) return undefined;
  const name = root.slice('infra/'.length);
  return existsSync(join(workspaceRoot, 'apps', name, 'Dockerfile')) ? name : undefined;
}

export async function terraformProject(
  workspaceRoot: string,
  root: string,
): Promise<Optional<ProjectConfiguration>> {
  const app = appOfStack(workspaceRoot, root);
  const modules = (await calledModules(workspaceRoot, root)).map(terraformProjectName);
  const scope = isModule(root) ? 'infra' : root.slice('infra/'.length);
  return {
    name: terraformProjectName(root),
    projectType: isModule(root) ? 'library' : 'application',
    tags: ['type:infra', `scope:${scope}`],
    implicitDependencies: [...(app ? [app] : []), ...modules],
    targets: terraformTargets(root, {
      migrationScript: existsSync(join(workspaceRoot, root, 'run-migrations.sh')),
    }),
  };
}

type Optional<T> = Omit<T, 'root'>;
