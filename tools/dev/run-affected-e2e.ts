/**
 * The e2e step of `npm test`: the end-to-end suites only when the change reaches them (ADR 0037).
 * "The change" is everything since the merge base with `main`, uncommitted and untracked files
 * included, as `nx affected` counts it. A clone without a local `main` (a clone of a branch) has
 * `origin/main`; with neither there is nothing to compare against, so every suite runs rather than
 * none.
 *
 * Usage (from the workspace root): tsx tools/dev/run-affected-e2e.ts
 */
import { spawnSync } from 'node:child_process';
import { workspaceRoot } from './app-process';

const CANDIDATE_BASES = ['main', 'origin/main'];

/** The base to compare with: NX_BASE when set, else the first candidate branch that exists. */
export function affectedBase(
  env: NodeJS.ProcessEnv,
  refExists: (ref: string) => boolean,
): string | undefined {
  if (env.NX_BASE) return env.NX_BASE;
  return CANDIDATE_BASES.find(refExists);
}

/** The nx arguments for that base: affected e2e, or every e2e suite when there is no base. */
export function e2eCommand(base: string | undefined): string[] {
  const output = '--outputStyle=stream-without-prefixes';
  return base === undefined
    ? ['run-many', '-t', 'e2e', output]
    : ['affected', '-t', 'e2e', `--base=${base}`, output];
}

function gitRefExists(ref: string): boolean {
  const result = spawnSync('git', ['rev-parse', '--verify', '--quiet', `${ref}^{commit}`], {
    cwd: workspaceRoot,
    stdio: 'ignore',
  });
  return result.status === 0;
}

function main(): void {
  const base = affectedBase(process.env, gitRefExists);
  if (base === undefined)
    console.log(`no ${CANDIDATE_BASES.join(' or ')} to compare with: running every e2e suite`);
  const nx = require.resolve('nx/bin/nx', { paths: [workspaceRoot] });
  const result = spawnSync(process.execPath, [nx, ...e2eCommand(base)], {
    cwd: workspaceRoot,
    stdio: 'inherit',
  });
  if (result.error) throw result.error;
  process.exitCode = result.status ?? 1;
}

if (require.main === module) main();
