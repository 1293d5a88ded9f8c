/**
 * Running the terraform binary, and telling "the provider could not be downloaded" apart from
 * every other failure: only that one may turn tf-validate and tf-plan into a skip, since it
 * says nothing about the configuration (no network to the registry), while a syntax error, an
 * unknown provider version or a bad module path must still fail.
 */
import { spawnSync } from 'node:child_process';
import { join, resolve } from 'node:path';

export interface TerraformResult {
  /** Exit status; null when the binary could not be started at all. */
  status: number | null;
  output: string;
}

const workspaceRoot = resolve(__dirname, '../..');

/**
 * Terraform's working data (providers, modules, backend settings, saved plans) for one folder,
 * kept under node_modules/.cache rather than in the folder: out of git, Prettier and Nx inputs.
 */
export function dataDirFor(dir: string): string {
  const slug = resolve(dir)
    .replace(/[^A-Za-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');
  return join(workspaceRoot, 'node_modules/.cache/shelfwatch-terraform', slug);
}

/** The environment terraform runs with for the folder `dir`. */
export function terraformEnv(dir: string): NodeJS.ProcessEnv {
  return { ...process.env, TF_IN_AUTOMATION: '1', TF_INPUT: '0', TF_DATA_DIR: dataDirFor(dir) };
}

/** Runs `terraform <args>` in `cwd`, capturing stdout and stderr together. */
export function runTerraform(args: string[], cwd: string): TerraformResult {
  const result = spawnSync('terraform', args, {
    cwd,
    encoding: 'utf8',
    env: terraformEnv(cwd),
    maxBuffer: 64 * 1024 * 1024,
  });
  if (result.error) return { status: null, output: String(result.error.message) };
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

const INSTALL_FAILURE =
  /Failed to query available provider packages|Failed to install provider|Failed to download|could not retrieve the list of available versions/i;
const NO_NETWORK =
  /could not connect to [\w.-]+|failed to request discovery document|dial tcp|no such host|i\/o timeout|connection refused|network is unreachable|TLS handshake timeout|context deadline exceeded|Client\.Timeout exceeded/i;

/**
 * The providers `terraform init` could not download for want of network, e.g. `hashicorp/google`,
 * or undefined when the output shows any other failure (or none).
 */
export function providersUnavailable(initOutput: string): string[] | undefined {
  if (!INSTALL_FAILURE.test(initOutput) || !NO_NETWORK.test(initOutput)) return undefined;
  const named = [
    ...initOutput.matchAll(/provider\s+(?:registry\.terraform\.io\/)?([\w-]+\/[\w-]+)/g),
  ];
  const providers = [...new Set(named.map((match) => match[1]))];
  return providers.length > 0 ? providers : ['required'];
}

export type InitOutcome =
  { ok: true } | { ok: false; providersUnavailable?: string[]; output: string };

/** `terraform init -backend=false`: modules and providers only, no state, no credentials. */
export function initWithoutBackend(dir: string): InitOutcome {
  const result = runTerraform(['init', '-backend=false', '-input=false', '-no-color'], dir);
  if (result.status === 0) return { ok: true };
  const unavailable = result.status === null ? undefined : providersUnavailable(result.output);
  return unavailable
    ? { ok: false, providersUnavailable: unavailable, output: result.output }
    : { ok: false, output: result.output };
}
