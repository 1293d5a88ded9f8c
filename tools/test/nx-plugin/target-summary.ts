/**
 * What `nx show project <name> --json` promises a person who types a README command: each
 * target's name, what it runs (command and working folder, or executor and its main options),
 * what it runs first, and its configurations. Inputs, outputs and caching are left out on
 * purpose: those are what the workspace plugin is allowed to improve.
 */

export interface TargetSummary {
  executor?: string;
  command?: string;
  cwd?: string;
  dependsOn?: unknown[];
  continuous?: boolean;
  defaultConfiguration?: string;
  configurations?: Record<string, unknown>;
  /** For executors other than run-commands: the options that decide what is built. */
  options?: Record<string, unknown>;
}

interface ShownTarget {
  executor?: string;
  command?: string;
  dependsOn?: unknown[];
  continuous?: boolean;
  defaultConfiguration?: string;
  options?: Record<string, unknown>;
  configurations?: Record<string, unknown>;
}

export interface ShownProject {
  name: string;
  targets?: Record<string, ShownTarget>;
}

const BUILD_OPTIONS = ['main', 'outputPath', 'tsConfig', 'platform', 'target', 'format', 'bundle'];

function summarizeTarget(target: ShownTarget): TargetSummary {
  const summary: TargetSummary = {};
  const options = target.options ?? {};
  if (target.executor === 'nx:run-commands') {
    summary.command = String(options.command ?? target.command ?? '');
    // `cwd: ""` and no cwd both mean the workspace root.
    if (options.cwd) summary.cwd = String(options.cwd);
  } else {
    summary.executor = target.executor;
    summary.options = Object.fromEntries(
      BUILD_OPTIONS.filter((key) => key in options).map((key) => [key, options[key]]),
    );
  }
  if (target.dependsOn?.length) summary.dependsOn = target.dependsOn;
  if (target.continuous) summary.continuous = true;
  if (target.defaultConfiguration) summary.defaultConfiguration = target.defaultConfiguration;
  if (target.configurations && Object.keys(target.configurations).length > 0)
    summary.configurations = target.configurations;
  return summary;
}

/** Target name => summary, names sorted. */
export function summarizeTargets(project: ShownProject): Record<string, TargetSummary> {
  const targets = project.targets ?? {};
  return Object.fromEntries(
    Object.keys(targets)
      .sort()
      .map((name) => [name, summarizeTarget(targets[name])]),
  );
}
