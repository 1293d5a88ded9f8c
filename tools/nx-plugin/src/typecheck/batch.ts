/**
 * The batch implementation of `@shelfwatch/nx-plugin:typecheck` (ADR 0044, 0055): every typecheck
 * task Nx hands over at once is built by one native `tsc --build`, and each task gets the result that
 * `tsc --build` of its own tsconfig would have given.
 */
import type { ExecutorContext, TaskGraph } from '@nx/devkit';
import { resolve } from 'node:path';
import type { TypecheckOptions } from './executor';
import { typecheckSolution } from './solution';

interface BatchTaskResult {
  success: boolean;
  terminalOutput: string;
  startTime: number;
  endTime: number;
}

export default async function typecheckBatch(
  taskGraph: TaskGraph,
  inputs: Record<string, TypecheckOptions>,
  _overrides: unknown,
  context: ExecutorContext,
): Promise<Record<string, BatchTaskResult>> {
  const startTime = Date.now();
  const configByTask = new Map(
    Object.keys(taskGraph.tasks).map((taskId) => [
      taskId,
      resolve(context.root, inputs[taskId].tsConfig),
    ]),
  );
  const { results, output } = typecheckSolution([...new Set(configByTask.values())]);
  // Nx shows a batch's own output, not each task's terminalOutput: each diagnostic once.
  if (output) process.stdout.write(output);
  const endTime = Date.now();
  const byTask: Record<string, BatchTaskResult> = {};
  for (const [taskId, config] of configByTask) {
    const result = results.get(config);
    const terminalOutput = result?.output ?? '';
    byTask[taskId] = { success: result?.success ?? false, terminalOutput, startTime, endTime };
  }
  return byTask;
}
