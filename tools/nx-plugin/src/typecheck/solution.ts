/**
 * Type-checks TypeScript projects with TypeScript 7's native `tsc --build` (ADR 0055, which
 * replaces the shared solution builder of ADR 0044).
 *
 * One `tsc --build` of every config Nx hands over builds each project in their reference graph
 * once, on every core: a cold check of the workspace takes a fifth of TypeScript 6's time. What
 * counts as an entry's result is unchanged: `tsc --build <config>` of that entry alone, which
 * fails when any project in its reference closure has errors. When the whole build passes, every
 * entry passes; only when it fails is each entry built on its own, which finds the projects the
 * first build finished up to date and reports each entry's own errors.
 */
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';

export interface TypecheckResult {
  success: boolean;
  /** The diagnostics of every project in the entry's reference closure, formatted as tsc does. */
  output: string;
}

/** TypeScript 7's `tsc` script, by path: `node_modules/.bin/tsc` may name TypeScript 6's. */
function nativeTsc(): string {
  return join(dirname(require.resolve('typescript-native/package.json')), 'bin', 'tsc');
}

function build(configs: string[]): { success: boolean; output: string } {
  const run = spawnSync(process.execPath, [nativeTsc(), '--build', '--pretty', ...configs], {
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
  });
  if (run.error) return { success: false, output: `tsc could not run: ${run.error.message}\n` };
  const output = `${run.stdout}${run.stderr}`;
  if (run.status === 0) return { success: true, output };
  const reason = run.signal ? `tsc was stopped by ${run.signal}\n` : '';
  return { success: false, output: output || reason || `tsc exited with ${run.status}\n` };
}

/**
 * Builds every config in `configs` (absolute paths of solution or project tsconfig files) and
 * their references, and returns a result per entry of `configs`.
 */
export function typecheckSolution(configs: string[]): {
  results: Map<string, TypecheckResult>;
  /** Every diagnostic of the build once. */
  output: string;
} {
  const whole = build(configs);
  const results = new Map<string, TypecheckResult>();
  for (const config of configs) {
    results.set(config, whole.success ? { success: true, output: '' } : build([config]));
  }
  return { results, output: whole.output };
}
