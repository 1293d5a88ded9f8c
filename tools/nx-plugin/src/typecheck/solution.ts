/**
 * Type-checks several TypeScript projects in one `tsc --build` solution builder (ADR 0044).
 *
 * One builder parses each declaration file (`@types/node`, the Pub/Sub protos, Prisma's client,
 * …) once for every project it builds; a `tsc --build` process per Nx project parsed them again
 * in each process, which was two thirds of the typecheck CPU of a cold `npm test`. What counts as
 * a project's result is unchanged: `tsc --build <root>/tsconfig.json` fails when any project in
 * its reference closure has errors, and so does its entry here.
 */
import { dirname, resolve } from 'node:path';
import * as ts from 'typescript';

export interface TypecheckResult {
  success: boolean;
  /** The diagnostics of every project in the entry's reference closure, formatted as tsc does. */
  output: string;
}

const formatHost: ts.FormatDiagnosticsHost = {
  getCanonicalFileName: (fileName) => fileName,
  getCurrentDirectory: () => ts.sys.getCurrentDirectory(),
  getNewLine: () => ts.sys.newLine,
};

/** The config file a project reference names: a folder stands for its tsconfig.json. */
function referencedConfig(fromConfig: string, path: string): string {
  const target = resolve(dirname(fromConfig), path);
  return ts.sys.directoryExists(target) ? resolve(target, 'tsconfig.json') : target;
}

/** The configs `config` references; undefined when it cannot be read. */
function referencesOf(config: string): string[] | undefined {
  const { config: json, error } = ts.readConfigFile(config, ts.sys.readFile);
  if (error) return undefined;
  const references = (json?.references ?? []) as Array<{ path: string }>;
  return references.map((reference) => referencedConfig(config, reference.path));
}

/** `config` and every config it reaches through `references`, and whether all could be read. */
function referenceClosure(config: string): { members: string[]; readable: boolean } {
  const seen = new Set<string>();
  const pending = [config];
  let readable = true;
  while (pending.length > 0) {
    const next = pending.pop() as string;
    if (seen.has(next)) continue;
    seen.add(next);
    const references = referencesOf(next);
    if (references) pending.push(...references);
    else readable = false;
  }
  return { members: [...seen], readable };
}

/**
 * Builds every config in `configs` (absolute paths of solution or project tsconfig files) and
 * their references, each once, and returns a result per entry of `configs`.
 */
export function typecheckSolution(configs: string[]): {
  results: Map<string, TypecheckResult>;
  /** Every diagnostic of the build once, in build order. */
  output: string;
} {
  const everything: string[] = [];
  const diagnosticsByConfig = new Map<string, string[]>();
  const failed = new Set<string>();
  // Errors outside any one project's build (an unreadable or missing config) fail every entry.
  const unattributed: string[] = [];
  let unattributedError = false;
  let current: string | undefined;
  const record = (config: string, text: string) => {
    const list = diagnosticsByConfig.get(config) ?? [];
    list.push(text);
    diagnosticsByConfig.set(config, list);
  };
  const reportDiagnostic: ts.DiagnosticReporter = (diagnostic) => {
    const text = ts.formatDiagnosticsWithColorAndContext([diagnostic], formatHost);
    everything.push(text);
    const isError = diagnostic.category === ts.DiagnosticCategory.Error;
    if (current === undefined) {
      unattributed.push(text);
      unattributedError ||= isError;
      return;
    }
    if (isError) failed.add(current);
    record(current, text);
  };
  const host = ts.createSolutionBuilderHost(ts.sys, undefined, reportDiagnostic, () => undefined);
  const builder = ts.createSolutionBuilder(host, configs, {});
  // What the builder reports while choosing the next project (a config it cannot read) belongs
  // to no single project; what it reports in done() belongs to the project being built.
  for (;;) {
    current = undefined;
    const project = builder.getNextInvalidatedProject();
    if (!project) break;
    current = resolve(project.project);
    const status = project.done();
    if (status !== ts.ExitStatus.Success) failed.add(current);
  }
  current = undefined;

  const results = new Map<string, TypecheckResult>();
  for (const config of configs) {
    const { members: closure, readable } = referenceClosure(resolve(config));
    results.set(config, {
      success: readable && !unattributedError && closure.every((member) => !failed.has(member)),
      output: [
        ...unattributed,
        ...closure.flatMap((member) => diagnosticsByConfig.get(member) ?? []),
      ].join(''),
    });
  }
  return { results, output: everything.join('') };
}
