/**
 * Deletes from ./node_modules what the bundle next to it (./bundle.js) never runs: TypeScript
 * sources and declarations, source maps, Markdown, and the Prisma query compilers (one per
 * database, CJS and ESM, two sizes) that the bundle does not name. Every app's Dockerfile runs it
 * in its `dependencies` stage, after `npm ci`; `nx run <app>:prune` copies it into the app's
 * dist/ beside bundle.js (ADR 0005).
 *
 * Plain CommonJS on Node's own modules: it runs in the base image, before any package is there
 * to help. The kept compilers are read from bundle.js, so a Prisma upgrade that renames them keeps
 * what the bundle loads.
 *
 * Usage (in the folder holding bundle.js and node_modules): node trim-node-modules.cjs
 */
const fs = require('node:fs');
const path = require('node:path');

const bundle = fs.readFileSync('bundle.js', 'utf8');
const loadedCompilers = new Set(bundle.match(/query_compiler_[\w.-]+?\.m?js(?=["'])/g) ?? []);

function neverRuns(name) {
  if (/\.([cm]?ts|map|md)$/.test(name)) return true;
  return name.startsWith('query_compiler_') && !loadedCompilers.has(name);
}

function trim(dir) {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const file = path.join(dir, entry.name);
    if (entry.isDirectory()) trim(file);
    else if (neverRuns(entry.name)) fs.rmSync(file);
  }
}

trim('node_modules');
