import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { workspaceRoot } from '@shelfwatch/testing';
import type { ShownProject } from './nx-plugin/target-summary';

/**
 * What Nx says about this workspace, computed once per run of the tools suites by their global
 * setup (tools/jest/nx-workspace.cjs, ADR 0049) and read by each suite that asks.
 */
export interface ResolvedInputs {
  files: string[];
  runtime: string[];
  environment: string[];
  /** External nodes hashed, or `AllExternalDependencies` where a task hashes every one. */
  external: string[];
}

export interface NxWorkspace {
  /** Every project's configuration, as `nx show project <name> --json` prints it. */
  projects: Record<string, ShownProject & { root: string; implicitDependencies?: string[] }>;
  /** The resolved inputs of `inputTasks`, as `nx show target inputs <task> --json` prints them. */
  inputs: Record<string, ResolvedInputs>;
}

/** The tasks whose resolved inputs the suites check (test/nx-plugin/test-inputs.spec.ts). */
export const inputTasks = [
  'e2e:e2e',
  'tools:test',
  'extraction:test',
  'api:test',
  'logging:typecheck',
] as const;

const fileVariable = 'SHELFWATCH_NX_WORKSPACE_FILE';

/** Computes the answer into a scratch file and names it in process.env for the workers. */
export async function computeNxWorkspace(): Promise<void> {
  const file = join(mkdtempSync(join(tmpdir(), 'shelfwatch-nx-')), 'workspace.json');
  await promisify(execFile)(
    process.execPath,
    [join(workspaceRoot, 'tools/jest/nx-workspace.cjs'), file, ...inputTasks],
    {
      cwd: workspaceRoot,
      env: { ...process.env, NX_DAEMON: 'false', NX_TUI: 'false' },
    },
  );
  process.env[fileVariable] = file;
}

export function removeNxWorkspace(): void {
  const file = process.env[fileVariable];
  if (file) rmSync(dirname(file), { recursive: true, force: true });
  delete process.env[fileVariable];
}

let read: NxWorkspace | undefined;

export function nxWorkspace(): NxWorkspace {
  if (read) return read;
  const file = process.env[fileVariable];
  if (!file) throw new Error(`${fileVariable} is not set: the tools global setup did not run`);
  read = JSON.parse(readFileSync(file, 'utf8')) as NxWorkspace;
  return read;
}
