/**
 * A stand-in for the Dockerfiles' base image (`node:24-bookworm-slim`) when no registry can be
 * reached: an image built from scratch with this machine's Node 24 (the pinned `node` package),
 * npm, `/bin/sh`, `/usr/bin/env`, the shared libraries they link, and the `node` user (1000) of
 * the official images. It is tagged with the base's exact name so the Dockerfiles build unchanged.
 *
 * It is not the real base: no Debian packages, no CA bundle (Node brings its own), a Node built
 * with debug info. One thing of the host's goes in on purpose: when `NODE_EXTRA_CA_CERTS` names a
 * CA bundle here (a TLS-inspecting proxy in front of the npm registry), the stand-in carries that
 * file and variable, so `npm ci` in the Dockerfiles trusts what the host trusts. Image sizes measured on it say little about the base; the app layers are the
 * same as on the real one.
 */
import { execFileSync } from 'node:child_process';
import {
  chmodSync,
  copyFileSync,
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  realpathSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join } from 'node:path';
import type { Buildah } from './buildah';

export const defaultBaseImage = 'node:24-bookworm-slim';
const standInLabel = 'org.shelfwatch.stand-in-base';

/** The pinned Node 24 binary: the `node` devDependency, else the running one if it is Node 24. */
export function nodeBinary(): string {
  try {
    const pinned = join(dirname(require.resolve('node/package.json')), 'bin', 'node');
    if (existsSync(pinned)) return realpathSync(pinned);
  } catch {
    // not installed; fall through
  }
  if (process.versions.node.startsWith('24.')) return process.execPath;
  throw new Error(
    `No Node 24 binary: install the \`node\` devDependency (running ${process.version})`,
  );
}

/** The npm package folder of the `npm` on PATH (what the official images ship in /usr/local/lib). */
export function npmPackageDir(env: NodeJS.ProcessEnv = process.env): string {
  for (const folder of (env['PATH'] ?? '').split(delimiter)) {
    const candidate = join(folder, 'npm');
    if (!folder || !existsSync(candidate)) continue;
    // npm's bin is a link to <package>/bin/npm-cli.js
    const cli = realpathSync(candidate);
    const packageDir = dirname(dirname(cli));
    if (existsSync(join(packageDir, 'package.json'))) return packageDir;
  }
  throw new Error('npm is not on PATH');
}

/** Every shared library `ldd` lists for `binary`, including the dynamic loader. */
export function sharedLibraries(binary: string): string[] {
  const output = execFileSync('ldd', [binary], { encoding: 'utf8' });
  const libraries = new Set<string>();
  for (const line of output.split('\n')) {
    const match = /(?:=>\s*)?(\/\S+)\s+\(0x/.exec(line);
    if (match?.[1]) libraries.add(match[1]);
  }
  return [...libraries];
}

/**
 * The C library's own shared libraries (Debian's libc6 package: libm, librt, libdl, libpthread,
 * libresolv, ...). The official image ships all of them, and native addons such as
 * `@node-rs/argon2` link some that node itself does not; without dpkg only `ldd`'s list is copied.
 */
export function cLibrarySharedLibraries(): string[] {
  let files: string[];
  try {
    files = execFileSync('dpkg', ['-L', 'libc6'], { encoding: 'utf8' }).split('\n');
  } catch {
    return [];
  }
  return files.filter(
    (file) => /^\/lib\/[^/]+\/lib[^/]*\.so(\.\d+)*$/.test(file) && existsSync(file),
  );
}

function which(program: string): string {
  for (const folder of ['/usr/bin', '/bin']) {
    if (existsSync(join(folder, program))) return join(folder, program);
  }
  throw new Error(`${program} not found in /usr/bin or /bin`);
}

/** Copies a file's content (links followed) to the same absolute path under `root`. */
function copyInto(root: string, source: string, target: string = source, mode = 0o755): void {
  const destination = join(root, target);
  mkdirSync(dirname(destination), { recursive: true });
  copyFileSync(realpathSync(source), destination);
  chmodSync(destination, mode);
}

/** The folder tree of the stand-in base, written under `root`. */
export function stageBaseFileSystem(root: string, env: NodeJS.ProcessEnv = process.env): void {
  const node = nodeBinary();
  const shell = which('sh');
  const envBinary = which('env');
  copyInto(root, node, '/usr/local/bin/node');
  copyInto(root, shell, '/bin/sh');
  copyInto(root, envBinary, '/usr/bin/env');
  for (const binary of [node, shell, envBinary]) {
    for (const library of sharedLibraries(binary)) copyInto(root, library);
  }
  for (const library of cLibrarySharedLibraries()) copyInto(root, library);

  cpSync(npmPackageDir(env), join(root, 'usr/local/lib/node_modules/npm'), {
    recursive: true,
    verbatimSymlinks: true,
  });
  symlinkSync('../lib/node_modules/npm/bin/npm-cli.js', join(root, 'usr/local/bin/npm'));
  symlinkSync('../lib/node_modules/npm/bin/npx-cli.js', join(root, 'usr/local/bin/npx'));

  mkdirSync(join(root, 'etc'), { recursive: true });
  writeFileSync(
    join(root, 'etc/passwd'),
    'root:x:0:0:root:/root:/bin/sh\nnode:x:1000:1000::/home/node:/bin/sh\n',
  );
  writeFileSync(join(root, 'etc/group'), 'root:x:0:\nnode:x:1000:\n');
  writeFileSync(join(root, 'etc/nsswitch.conf'), 'passwd: files\ngroup: files\nhosts: files dns\n');
  for (const folder of ['tmp', 'root']) mkdirSync(join(root, folder), { recursive: true });
  chmodSync(join(root, 'tmp'), 0o1777);
  chmodSync(join(root, 'root'), 0o700);

  const extraCertificates = hostExtraCaCertificates(env);
  if (extraCertificates) copyInto(root, extraCertificates, extraCertificates, 0o644);
}

/** The CA bundle `NODE_EXTRA_CA_CERTS` names on this machine, when it exists. */
export function hostExtraCaCertificates(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const file = env['NODE_EXTRA_CA_CERTS'];
  return file && existsSync(file) ? file : undefined;
}

/** The Node version inside the stand-in (what `node --version` prints there). */
function nodeVersion(): string {
  return execFileSync(nodeBinary(), ['--version'], { encoding: 'utf8' }).trim();
}

/**
 * Builds the stand-in and tags it `tag` in `buildah`'s storage, unless an image of that name is
 * already there (a real base pulled earlier, or a stand-in from a previous run).
 */
export function ensureStandInBaseImage(
  buildah: Buildah,
  tag: string = defaultBaseImage,
): { tag: string; created: boolean; nodeVersion: string } {
  const version = nodeVersion();
  if (buildah.imageExists(tag)) return { tag, created: false, nodeVersion: version };
  const stage = mkdtempSync(join(tmpdir(), 'shelfwatch-base-'));
  const homeStage = mkdtempSync(join(tmpdir(), 'shelfwatch-home-'));
  const container = `shelfwatch-base-${process.pid}`;
  const extraCertificates = hostExtraCaCertificates();
  try {
    stageBaseFileSystem(stage);
    buildah.run('from', '--name', container, 'scratch');
    buildah.run('copy', container, stage, '/');
    buildah.run('copy', '--chown', '1000:1000', container, homeStage, '/home/node');
    buildah.run(
      'config',
      '--env',
      'PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin',
      '--env',
      `NODE_VERSION=${version.replace(/^v/, '')}`,
      ...(extraCertificates ? ['--env', `NODE_EXTRA_CA_CERTS=${extraCertificates}`] : []),
      '--cmd',
      'node',
      '--label',
      `${standInLabel}=true`,
      container,
    );
    buildah.run('commit', '--quiet', container, tag);
  } finally {
    buildah.removeContainer(container);
    rmSync(stage, { recursive: true, force: true });
    rmSync(homeStage, { recursive: true, force: true });
  }
  return { tag, created: true, nodeVersion: version };
}

/** True when `image` in `buildah`'s storage is a stand-in built here. */
export function isStandInBase(buildah: Buildah, image: string): boolean {
  return buildah.inspectImage(image).config.Labels?.[standInLabel] === 'true';
}
