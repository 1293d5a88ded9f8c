/**
 * What an image's /app holds, read from inside the running image, and the check that its
 * node_modules are exactly the production part of the pruned lockfile: every package the lockfile
 * installs without dev dependencies is there at the locked version, nothing else is, and nothing
 * the lockfile marks as dev-only made it in.
 */

/** One package folder in node_modules: lockfile-style path (`node_modules/a/node_modules/b`) and version. */
export type InstalledPackages = Record<string, string>;

export interface AppContents {
  uid: number;
  gid: number;
  /** Whether the app's user could overwrite main.js or bundle.js (it should not). */
  bundleWritable: boolean;
  /**
   * Whether the app's user, starting main.js, gets bundle.js's compiled code from the code cache
   * the image was built with (ADR 0052, 0053), and whether it could write to that cache.
   */
  compileCache: { servesBundle: boolean; writable: boolean };
  packages: InstalledPackages;
  /** The image's own /app/package-lock.json. */
  lockfile: Lockfile;
  /** Migration folders under /app/prisma/migrations (the api's migrate job), sorted. */
  migrations: string[];
  bytes: { nodeModules: number; bundle: number; manifest: number; other: number };
}

export interface LockfileEntry {
  version?: string;
  dev?: boolean;
  devOptional?: boolean;
  optional?: boolean;
  link?: boolean;
}

export interface Lockfile {
  packages: Record<string, LockfileEntry>;
}

export interface LockfileComparison {
  /** Production packages of the lockfile that are not installed. */
  missing: string[];
  /** Installed packages the lockfile does not list. */
  unlisted: string[];
  /** Installed packages whose version differs from the lockfile's. */
  wrongVersion: string[];
  /** Installed packages the lockfile marks dev-only (`dev` or `devOptional`). */
  devOnly: string[];
  /** Installed and expected: the count the report prints. */
  matched: number;
}

/** What `npm ci --omit=dev` leaves out: dev-only entries (optional ones may be left out too). */
function isDevOnly(entry: LockfileEntry): boolean {
  return entry.dev === true || entry.devOptional === true;
}

export function compareWithLockfile(
  installed: InstalledPackages,
  lockfile: Lockfile,
): LockfileComparison {
  const result: LockfileComparison = {
    missing: [],
    unlisted: [],
    wrongVersion: [],
    devOnly: [],
    matched: 0,
  };
  for (const [path, entry] of Object.entries(lockfile.packages)) {
    if (path === '' || entry.link || isDevOnly(entry) || entry.optional) continue;
    if (!(path in installed)) result.missing.push(path);
  }
  for (const [path, version] of Object.entries(installed)) {
    const entry = lockfile.packages[path];
    if (!entry) result.unlisted.push(path);
    else if (isDevOnly(entry)) result.devOnly.push(path);
    else if (entry.version !== version) result.wrongVersion.push(`${path}@${version}`);
    else result.matched += 1;
  }
  return result;
}

export function isExactProductionInstall(comparison: LockfileComparison): boolean {
  return (
    comparison.missing.length === 0 &&
    comparison.unlisted.length === 0 &&
    comparison.wrongVersion.length === 0 &&
    comparison.devOnly.length === 0
  );
}

/**
 * Runs inside the image as its user (`node -e`), with /app as the working directory; prints one
 * JSON `AppContents`. Plain CommonJS with no dependencies, since it runs on the image's Node alone.
 */
export const appContentsScript = `
const fs = require('fs');
const path = require('path');
const packages = {};
function sizeOf(file) {
  const stat = fs.lstatSync(file);
  if (!stat.isDirectory()) return stat.size;
  let total = 0;
  for (const entry of fs.readdirSync(file)) total += sizeOf(path.join(file, entry));
  return total;
}
function collect(dir, prefix) {
  if (!fs.existsSync(dir)) return;
  for (const name of fs.readdirSync(dir)) {
    if (name.startsWith('.')) continue;
    if (name.startsWith('@')) {
      for (const scoped of fs.readdirSync(path.join(dir, name))) visit(path.join(dir, name, scoped), prefix + name + '/' + scoped);
    } else visit(path.join(dir, name), prefix + name);
  }
}
function visit(dir, key) {
  const manifest = path.join(dir, 'package.json');
  if (fs.existsSync(manifest)) packages[key] = JSON.parse(fs.readFileSync(manifest, 'utf8')).version;
  collect(path.join(dir, 'node_modules'), key + '/node_modules/');
}
collect('node_modules', 'node_modules/');
const bundleWritable = ['main.js', 'bundle.js'].some((file) => {
  try { fs.accessSync(file, fs.constants.W_OK); return true; } catch { return false; }
});
// A start that stops at the config check (an invalid PORT) loads the bundle; main.js says in its
// debug output whether it compiled bundle.js from the code cache (ADR 0053).
const cacheDir = process.env.NODE_COMPILE_CACHE;
const cacheDebug = require('child_process').spawnSync(process.execPath, ['main.js'], {
  env: { ...process.env, PORT: 'compile-cache', NODE_DEBUG: 'bundle_cache' },
  encoding: 'utf8',
  timeout: 60000,
});
const compileCache = {
  servesBundle: /^BUNDLE_CACHE [0-9]+: accepted /m.test(
    require('util').stripVTControlCharacters(String(cacheDebug.stdout) + String(cacheDebug.stderr)),
  ),
  // Any folder or file of the cache the user could write.
  writable: Boolean(cacheDir) && fs.existsSync(cacheDir) &&
    ['', ...fs.readdirSync(cacheDir, { recursive: true })].some((entry) => {
      try { fs.accessSync(path.join(cacheDir, entry), fs.constants.W_OK); return true; } catch { return false; }
    }),
};
const bytes = { nodeModules: sizeOf('node_modules'), bundle: 0, manifest: 0, other: 0 };
for (const entry of fs.readdirSync('.')) {
  if (entry === 'node_modules') continue;
  const size = sizeOf(entry);
  if (entry === 'main.js' || entry.startsWith('bundle.js')) bytes.bundle += size;
  else if (entry.startsWith('package')) bytes.manifest += size;
  else bytes.other += size;
}
const migrationsDir = path.join('prisma', 'migrations');
const migrations = fs.existsSync(migrationsDir)
  ? fs.readdirSync(migrationsDir).filter((name) => fs.existsSync(path.join(migrationsDir, name, 'migration.sql'))).sort()
  : [];
process.stdout.write(JSON.stringify({
  uid: process.getuid(),
  gid: process.getgid(),
  bundleWritable,
  compileCache,
  packages,
  lockfile: JSON.parse(fs.readFileSync('package-lock.json', 'utf8')),
  migrations,
  bytes,
}));
`;
