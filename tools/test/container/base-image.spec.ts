import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  cLibrarySharedLibraries,
  nodeBinary,
  sharedLibraries,
  stageBaseFileSystem,
} from '../../container/base-image';

describe('the stand-in base image file system', () => {
  let root: string;

  beforeAll(() => {
    root = mkdtempSync(join(tmpdir(), 'shelfwatch-base-test-'));
    stageBaseFileSystem(root);
  });

  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it("uses the workspace's pinned Node 24", () => {
    expect(execFileSync(nodeBinary(), ['--version'], { encoding: 'utf8' })).toMatch(/^v24\./);
  });

  it('holds node, npm, a shell, env and every library they link', () => {
    for (const file of ['usr/local/bin/node', 'bin/sh', 'usr/bin/env']) {
      expect(statSync(join(root, file)).mode & 0o111).not.toBe(0);
    }
    expect(existsSync(join(root, 'usr/local/lib/node_modules/npm/bin/npm-cli.js'))).toBe(true);
    for (const library of sharedLibraries(nodeBinary())) {
      expect(existsSync(join(root, library))).toBe(true);
    }
    expect(sharedLibraries(nodeBinary()).some((library) => /libc\.so/.test(library))).toBe(true);
  });

  it('holds the whole C library, as the official image does, for native addons', () => {
    // @node-rs/argon2 links librt, which node itself does not. Debian hosts list libc6 with dpkg.
    const libraries = cLibrarySharedLibraries();
    if (existsSync('/usr/bin/dpkg'))
      expect(libraries.map((library) => library.split('/').pop())).toContain('librt.so.1');
    for (const library of libraries) {
      expect(existsSync(join(root, library))).toBe(true);
    }
  });

  it('has the node user (1000) of the official images and a world-writable /tmp', () => {
    expect(readFileSync(join(root, 'etc/passwd'), 'utf8')).toContain(
      'node:x:1000:1000::/home/node:/bin/sh',
    );
    expect(statSync(join(root, 'tmp')).mode & 0o7777).toBe(0o1777);
  });

  // chroot needs root; CI runs as root, so there this proves the tree runs on its own.
  const asRoot = process.getuid?.() === 0 ? it : it.skip;
  asRoot('runs node and npm with nothing but its own files', () => {
    const chroot =
      ['/usr/sbin/chroot', '/sbin/chroot'].find((file) => existsSync(file)) ?? 'chroot';
    const run = (...args: string[]) =>
      execFileSync(chroot, [root, ...args], {
        encoding: 'utf8',
        env: { PATH: '/usr/local/bin:/usr/bin:/bin', HOME: '/root' },
      }).trim();

    expect(run('/usr/local/bin/node', '-p', 'process.versions.node')).toMatch(/^24\./);
    expect(run('/usr/local/bin/npm', '--version')).toMatch(/^\d+\.\d+\.\d+$/);
  });
});
