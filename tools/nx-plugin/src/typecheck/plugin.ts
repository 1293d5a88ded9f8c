/**
 * Typecheck targets as `@nx/js/typescript` infers them (inputs, outputs, sync generator), run by
 * `@shelfwatch/nx-plugin:typecheck` instead of one `tsc --build` process per project, so the
 * typecheck tasks of a run share one TypeScript 7 build (ADR 0044, 0055). Registered in nx.json in place
 * of `@nx/js/typescript`, with the same options.
 */
import type { CreateNodesV2, TargetConfiguration } from '@nx/devkit';
import { createNodesV2 as typescriptNodes } from '@nx/js/typescript';

export const TYPECHECK_EXECUTOR = '@shelfwatch/nx-plugin:typecheck';

/** A run-commands target's command, written at the top level or in its options. */
function commandOf(target: TargetConfiguration): string {
  return String(target.command ?? target.options?.command ?? '');
}

/** The inferred target with its `tsc --build <config>` command replaced by our executor. */
export function batchedTypecheck(target: TargetConfiguration): TargetConfiguration {
  const { options, command: _command, ...rest } = target;
  const cwd = String(options?.cwd ?? '.');
  const command = commandOf(target);
  const config = /--build\s+(\S+)/.exec(command)?.[1];
  if (!config) throw new Error(`Not a tsc --build typecheck command: "${command}" in ${cwd}`);
  // Inputs stay as inferred: naming no external dependency, they hash every one in the lockfile
  // (the compiler and every @types package among them), as they must for a typecheck.
  return {
    ...rest,
    executor: TYPECHECK_EXECUTOR,
    options: { tsConfig: cwd === '.' ? config : `${cwd}/${config}` },
  };
}

type Options = Parameters<(typeof typescriptNodes)[1]>[1];

export const createNodesV2: CreateNodesV2<Options> = [
  typescriptNodes[0],
  async (files, options, context) => {
    const results = await typescriptNodes[1](files, options, context);
    return results.map(([file, result]) => {
      const projects = Object.fromEntries(
        Object.entries(result.projects ?? {}).map(([root, project]) => {
          const targets = Object.fromEntries(
            Object.entries(project.targets ?? {}).map(([name, target]) => [
              name,
              commandOf(target).startsWith('tsc --build') ? batchedTypecheck(target) : target,
            ]),
          );
          return [root, { ...project, targets }];
        }),
      );
      return [file, { ...result, projects }];
    });
  },
];

/** Nx 23 names the same pair `createNodes`; `createNodesV2` stays for Nx 22 and earlier. */
export const createNodes: CreateNodesV2<Options> = createNodesV2;
