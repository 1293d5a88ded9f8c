/**
 * Terraform files as data: every `.tf` and `.tfvars` file under a folder, parsed to JSON with
 * @cdktn/hcl2json (HashiCorp's own HCL parser compiled to WebAssembly; CDK Terrain's maintained
 * fork of the archived @cdktf/hcl2json, see ADR 0010), so the policy checks and the Nx plugin
 * read the same structure Terraform does. Expressions arrive as strings such as `"${var.name}"`.
 */
import { parse } from '@cdktn/hcl2json';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';

/** A parsed block body: attributes, and nested blocks as arrays of bodies. */
export type Body = Record<string, unknown>;

export interface TerraformFile {
  /** Path relative to the folder that was loaded, with `/` separators, e.g. `api/main.tf`. */
  path: string;
  /** Folder of the file (relative like `path`): the Terraform module it belongs to. */
  module: string;
  text: string;
  json: Body;
}

export type BlockKind = 'resource' | 'data' | 'ephemeral' | 'module' | 'variable' | 'output';

export interface Block {
  kind: BlockKind;
  /** Resource or data source type, e.g. `google_pubsub_subscription`; empty for other kinds. */
  type: string;
  name: string;
  body: Body;
  file: TerraformFile;
}

const SKIPPED_FOLDERS = new Set(['.terraform', 'node_modules']);

function terraformPaths(root: string, folder = root): string[] {
  const paths: string[] = [];
  for (const entry of readdirSync(folder, { withFileTypes: true })) {
    if (entry.isDirectory()) {
      if (!SKIPPED_FOLDERS.has(entry.name))
        paths.push(...terraformPaths(root, join(folder, entry.name)));
    } else if (entry.name.endsWith('.tf') || entry.name.endsWith('.tfvars')) {
      paths.push(join(folder, entry.name));
    }
  }
  return paths.sort();
}

/** Parses one file's text; `path` names it in errors and in the result. */
export async function parseTerraform(path: string, text: string): Promise<TerraformFile> {
  let json: Body;
  try {
    json = (await parse(path, text)) as Body;
  } catch (error) {
    throw new Error(`${path} is not valid HCL: ${String(error)}`);
  }
  const module = dirname(path);
  return { path, module: module === '.' ? '' : module, text, json };
}

/** Parses every `.tf` and `.tfvars` file under `root` (skipping `.terraform` folders). */
export async function loadTerraformTree(root: string): Promise<TerraformFile[]> {
  return Promise.all(
    terraformPaths(root).map((path) =>
      parseTerraform(relative(root, path).split(sep).join('/'), readFileSync(path, 'utf8')),
    ),
  );
}

function bodiesOf(value: unknown): Body[] {
  return Array.isArray(value) ? (value.filter((item) => typeof item === 'object') as Body[]) : [];
}

/** The blocks of one kind across files (optionally only one resource/data type). */
export function blocksOf(files: TerraformFile[], kind: BlockKind, type?: string): Block[] {
  const blocks: Block[] = [];
  for (const file of files) {
    const section = file.json[kind] as Record<string, unknown> | undefined;
    if (!section) continue;
    const typed = kind === 'resource' || kind === 'data' || kind === 'ephemeral';
    const groups: Array<[string, Record<string, unknown>]> = typed
      ? Object.entries(section as Record<string, Record<string, unknown>>)
      : [['', section]];
    for (const [blockType, named] of groups) {
      if (type !== undefined && blockType !== type) continue;
      for (const [name, bodies] of Object.entries(named))
        for (const body of bodiesOf(bodies))
          blocks.push({ kind, type: blockType, name, body, file });
    }
  }
  return blocks;
}

/** The first nested block `name` of a body (`settings`, `push_config`, ...), if present. */
export function nested(body: Body | undefined, ...path: string[]): Body | undefined {
  let current = body;
  for (const name of path) {
    current = bodiesOf(current?.[name])[0];
    if (!current) return undefined;
  }
  return current;
}

/** Every nested block `name` of a body. */
export function nestedAll(body: Body | undefined, name: string): Body[] {
  return bodiesOf(body?.[name]);
}

/** True for an attribute value that is an expression (`${...}`) rather than a literal. */
export function isExpression(value: unknown): boolean {
  return typeof value === 'string' && value.includes('${');
}

/** `module.name` style address of a block, with its file, for messages. */
export function where(block: Block): string {
  const address =
    block.kind === 'resource'
      ? `${block.type}.${block.name}`
      : block.kind === 'variable'
        ? `var.${block.name}`
        : `${block.kind}.${block.type ? `${block.type}.` : ''}${block.name}`;
  return `${block.file.path}: ${address}`;
}

/** The local module a `module` block calls, e.g. `modules/cloud-run-service`, resolved from its file. */
export function moduleSource(block: Block): string | undefined {
  const source = block.body.source;
  if (typeof source !== 'string' || !source.startsWith('.')) return undefined;
  return join(block.file.module, source).split(sep).join('/');
}
