/**
 * Which third-party packages an app bundle inlines rather than `require`s from node_modules
 * (ADR 0040): the ones every start loads, with every package they load in turn, read from the
 * root lockfile the way Node resolves them (a nested copy before the hoisted one).
 */

/**
 * Loaded before `/ready`: by every app the HTTP app (libs/runtime), logging and the contracts; by
 * the api its rate limiter (36 files), by the notifier its webhook signer; by every app on the
 * Postgres transport pg-boss (30 ES modules loaded through `require(esm)`, with cron-parser, luxon,
 * rrule-temporal and its peer `@opentelemetry/api`, about 60 files more; ADR 0048).
 */
export const START_PACKAGES = [
  '@opentelemetry/api',
  'express',
  'pg-boss',
  'rate-limiter-flexible',
  'standardwebhooks',
  'winston',
  'winston-transport',
  'zod',
] as const;

/**
 * Never inlined, nor followed into: packages whose state other external packages share. `pg` is
 * also loaded by `@prisma/adapter-pg` (external); a second copy would have its own type parsers.
 */
const SHARED_PACKAGES = new Set(['pg']);

/**
 * Mostly data, cheaper to load as files (`require` of a JSON file is one JSON.parse; iconv-lite
 * loads its tables on first use): left external when every bundled package that loads them
 * resolves the root's copy, so the external `require` from main.js finds the same version.
 */
const DATA_PACKAGES = new Set(['iconv-lite', 'mime-db']);

interface LockedPackage {
  dependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
}

export interface Lockfile {
  packages: Record<string, LockedPackage>;
}

/** The lockfile key Node would load `dependency` from, when `from` (a lockfile key) requires it. */
function resolveFrom(lockfile: Lockfile, from: string, dependency: string): string | undefined {
  let folder = from;
  for (;;) {
    const candidate = `${folder}/node_modules/${dependency}`;
    if (lockfile.packages[candidate]) return candidate;
    const parent = folder.lastIndexOf('/node_modules/');
    if (parent < 0) break;
    folder = folder.slice(0, parent);
  }
  const hoisted = `node_modules/${dependency}`;
  return lockfile.packages[hoisted] ? hoisted : undefined;
}

function nameOf(key: string): string {
  return key.slice(key.lastIndexOf('node_modules/') + 'node_modules/'.length);
}

/**
 * Names of the packages to inline: `roots` and everything they load, except shared packages (and
 * what only they load) and data packages that resolve to the root's copy from every package that
 * loads them. Sorted.
 */
export function bundledPackages(lockfile: Lockfile, roots: readonly string[]): string[] {
  const reached = new Set<string>();
  const nestedData = new Set<string>();
  const pending = roots
    .map((root) => `node_modules/${root}`)
    .filter((key) => lockfile.packages[key]);
  while (pending.length > 0) {
    const key = pending.pop() as string;
    if (reached.has(key)) continue;
    reached.add(key);
    const locked = lockfile.packages[key] ?? {};
    for (const dependency of Object.keys({
      ...locked.dependencies,
      ...locked.optionalDependencies,
    })) {
      const resolved = resolveFrom(lockfile, key, dependency);
      if (!resolved || SHARED_PACKAGES.has(dependency)) continue;
      if (DATA_PACKAGES.has(dependency) && resolved !== `node_modules/${dependency}`)
        nestedData.add(dependency);
      pending.push(resolved);
    }
  }
  const names = new Set([...reached].map(nameOf));
  for (const data of DATA_PACKAGES) if (!nestedData.has(data)) names.delete(data);
  return [...names].sort();
}
