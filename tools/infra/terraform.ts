/**
 * What the tf-* Nx targets run for one Terraform folder (a stack under infra/ or a module).
 *
 * Usage: tsx tools/infra/terraform.ts <fmt|validate|plan|apply> <dir> [--env dev|prod] [--var name=value]...
 *
 * - fmt: `terraform fmt -check -recursive`.
 * - validate: `terraform init -backend=false` then `terraform validate`.
 * - plan: the same init (so a missing provider is found before credentials are needed), then
 *   `terraform init` on the GCS backend (bucket from TF_STATE_BUCKET, prefix shelfwatch/<folder>) and
 *   `terraform plan -var-file=env/<env>.tfvars`, saving the plan for apply. A stack that
 *   declares `image_tag` gets it from `--var image_tag=...` or else IMAGE_TAG, the tag docker-push
 *   pushed the app's image with.
 * - apply: applies the plan tf-plan saved for the same environment, nothing else.
 *
 * Terraform's data folder (TF_DATA_DIR: providers, modules, saved plans) lives under
 * node_modules/.cache/shelfwatch-terraform, not in the stack.
 *
 * validate, plan and apply never pass without doing their work: when a provider cannot be
 * downloaded here (no network to the Terraform registry) they say so in one line on stderr and
 * exit 4; any other failure exits with terraform's own status. Offline, `terraform fmt` and the
 * policy tests (tools/test/infra) are the checks that can run.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { blocksOf, parseTerraform } from '@shelfwatch/nx-plugin';
import { dataDirFor, initWithoutBackend, runTerraform, terraformEnv } from './terraform-init';

const USAGE =
  'Usage: tsx tools/infra/terraform.ts <fmt|validate|plan|apply> <dir> [--env dev|prod] [--var name=value]...';
const ENVIRONMENTS = ['dev', 'prod'];

class UsageError extends Error {}

/** Exit status of validate, plan and apply when terraform could not install the providers. */
export const PROVIDERS_UNAVAILABLE = 4;

/** Runs terraform with the terminal attached (plans and applies are long and worth streaming). */
function terraformAttached(args: string[], cwd: string): number {
  const result = spawnSync('terraform', args, {
    cwd,
    stdio: 'inherit',
    env: terraformEnv(cwd),
  });
  if (result.error) throw new Error(`terraform could not be started: ${result.error.message}`);
  return result.status ?? 1;
}

async function declaredVariables(dir: string): Promise<string[]> {
  const files = await Promise.all(
    readdirSync(dir)
      .filter((name) => name.endsWith('.tf'))
      .map((name) => parseTerraform(name, readFileSync(join(dir, name), 'utf8'))),
  );
  return blocksOf(files, 'variable').map((block) => block.name);
}

/** Init without a backend; returns the exit code to stop with, or undefined to go on. */
function prepare(dir: string, label: string, action: string): number | undefined {
  const init = initWithoutBackend(dir);
  if (init.ok) return undefined;
  if (init.providersUnavailable) {
    // Nothing was checked, so this must not read as success (exit 0) to Nx, CI or a person.
    console.error(
      `${label}: terraform ${action} did not run: the ${init.providersUnavailable.join(', ')} provider${init.providersUnavailable.length > 1 ? 's' : ''} cannot be downloaded here (no network to the Terraform registry)`,
    );
    return PROVIDERS_UNAVAILABLE;
  }
  process.stderr.write(init.output);
  return 1;
}

function requireEnvironment(env: string | undefined): string {
  if (!env || !ENVIRONMENTS.includes(env))
    throw new UsageError(`--env must be one of ${ENVIRONMENTS.join(', ')} (got ${env ?? 'none'})`);
  return env;
}

function initBackend(dir: string): number {
  const bucket = process.env.TF_STATE_BUCKET;
  if (!bucket)
    throw new UsageError('TF_STATE_BUCKET must name the GCS bucket that holds the state');
  return terraformAttached(
    [
      'init',
      '-input=false',
      '-reconfigure',
      `-backend-config=bucket=${bucket}`,
      // One state per stack, named after its folder (infra/api => shelfwatch/api).
      `-backend-config=prefix=shelfwatch/${basename(dir)}`,
    ],
    dir,
  );
}

async function plan(dir: string, env: string, vars: string[]): Promise<number> {
  const given = new Map(vars.map((pair) => [pair.split('=')[0], pair]));
  if ((await declaredVariables(dir)).includes('image_tag') && !given.has('image_tag')) {
    const tag = process.env.IMAGE_TAG;
    if (!tag)
      throw new UsageError(
        'this stack runs an image: pass --var image_tag=<tag> or set IMAGE_TAG (the tag docker-push pushed)',
      );
    given.set('image_tag', `image_tag=${tag}`);
  }
  const varFile = join('env', `${env}.tfvars`);
  if (!existsSync(join(dir, varFile))) throw new UsageError(`${dir}/${varFile} does not exist`);
  const status = initBackend(dir);
  if (status !== 0) return status;
  return terraformAttached(
    [
      'plan',
      '-input=false',
      `-var-file=${varFile}`,
      ...[...given.values()].flatMap((pair) => ['-var', pair]),
      `-out=${planFile(dir, env)}`,
    ],
    dir,
  );
}

function planFile(dir: string, env: string): string {
  return join(dataDirFor(dir), `${env}.tfplan`);
}

function apply(dir: string, env: string): number {
  if (!existsSync(planFile(dir, env)))
    throw new UsageError(`no saved plan for ${env} in ${dir}: run tf-plan for ${env} first`);
  const status = initBackend(dir);
  if (status !== 0) return status;
  return terraformAttached(['apply', '-input=false', planFile(dir, env)], dir);
}

async function main(argv: string[]): Promise<number> {
  const { positionals, values } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      env: { type: 'string' },
      var: { type: 'string', multiple: true },
    },
  });
  const [command, folder] = positionals;
  if (!command || !folder || positionals.length > 2) throw new UsageError(USAGE);
  const dir = resolve(folder);
  if (!existsSync(dir)) throw new UsageError(`${folder} does not exist`);
  const vars = values.var ?? [];
  for (const pair of vars)
    if (!/^[A-Za-z_][\w-]*=/.test(pair))
      throw new UsageError(`--var takes name=value, got ${pair}`);

  switch (command) {
    case 'fmt': {
      const result = runTerraform(['fmt', '-check', '-diff', '-recursive', '-no-color'], dir);
      if (result.status === null) throw new Error(`terraform is not installed: ${result.output}`);
      if (result.status !== 0)
        process.stderr.write(`${result.output}\nRun: terraform fmt -recursive ${folder}\n`);
      return result.status;
    }
    case 'validate': {
      const stop = prepare(dir, folder, 'validate');
      if (stop !== undefined) return stop;
      return terraformAttached(['validate', '-no-color'], dir);
    }
    case 'plan': {
      const env = requireEnvironment(values.env);
      const stop = prepare(dir, folder, 'plan');
      if (stop !== undefined) return stop;
      return plan(dir, env, vars);
    }
    case 'apply': {
      const env = requireEnvironment(values.env);
      const stop = prepare(dir, folder, 'apply');
      if (stop !== undefined) return stop;
      return apply(dir, env);
    }
    default:
      throw new UsageError(USAGE);
  }
}

if (require.main === module)
  main(process.argv.slice(2)).then(
    (status) => {
      process.exitCode = status;
    },
    (error: unknown) => {
      console.error(error instanceof UsageError ? error.message : error);
      process.exitCode = error instanceof UsageError ? 2 : 1;
    },
  );
