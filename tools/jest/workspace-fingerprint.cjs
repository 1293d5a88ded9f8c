/**
 * Prints a SHA-256 over the path and bytes of every file Git does not ignore in the workspace,
 * committed or not. tools' suites check the whole workspace (the inferred targets, the infra
 * policy, .ci/run) and e2e's workspace suites run nx in a clone of it (module boundaries, every
 * app's bundle, the generator), so tools:test and e2e:e2e take this as a runtime input: any change
 * to any file reruns them instead of replaying a cached pass.
 *
 * A runtime input, not a `{workspaceRoot}/**` file input: Nx would count such a glob as tools
 * owning every file, so `nx affected` would list tools and everything depending on it (e2e)
 * for any change at all (ADR 0030).
 *
 * Usage (from the workspace root): node tools/jest/workspace-fingerprint.cjs
 */
const { execFileSync } = require('node:child_process');
const { createHash } = require('node:crypto');
const { lstatSync, readFileSync, readlinkSync } = require('node:fs');

const files = execFileSync(
  'git',
  ['ls-files', '--cached', '--others', '--exclude-standard', '-z'],
  {
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  },
)
  .split('\0')
  .filter((file) => file.length > 0)
  .sort();

function contentOf(file) {
  let stat;
  try {
    stat = lstatSync(file);
  } catch {
    return '\0deleted'; // tracked, but deleted in the working tree
  }
  // Git stores a link as its target path; hash that, not what it points at.
  return stat.isSymbolicLink() ? `\0link ${readlinkSync(file)}` : readFileSync(file);
}

const hash = createHash('sha256');
for (const file of new Set(files)) hash.update(`${file}\0`).update(contentOf(file)).update('\0');
console.log(`workspace files ${hash.digest('hex')}`);
