/**
 * `@shelfwatch/nx-plugin:typecheck`: `tsc --build` of one project's tsconfig (ADR 0044, 0055). Nx runs
 * the batch implementation (`batch.ts`) whenever it can, so all typecheck tasks that are ready at
 * once share one build; this one runs a task alone (`--batch=false`).
 */
import type { ExecutorContext } from '@nx/devkit';
import { resolve } from 'node:path';
import { typecheckSolution } from './solution';

export interface TypecheckOptions {
  tsConfig: string;
}

export default async function typecheckExecutor(
  options: TypecheckOptions,
  context: ExecutorContext,
): Promise<{ success: boolean }> {
  const config = resolve(context.root, options.tsConfig);
  const { results, output } = typecheckSolution([config]);
  if (output) process.stdout.write(output);
  const result = results.get(config);
  return { success: result?.success ?? false };
}
