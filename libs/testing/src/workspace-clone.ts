import { execFileSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

/** The checkout this library lives in (libs/testing/src -> the root). */
export const workspaceRoot = resolve(__dirname, '../../..');

/**
 * Folders of the workspace packages the root package.json lists (`apps/*`, `tools`, ...), in the
 * checkout at `root`.
 */
export function workspacePackageDirs(root: string): string[] {
  const { workspaces = [] } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
    workspaces?: string[];
  };
  return workspaces
    .flatMap((pattern) => {
      if (!pattern.endsWith('/*')) return [join(root, pattern)];
      const parent = join(root, pattern.slice(0, -2));
      return existsSync(parent) ? readdirSync(parent).map((entry) => join(parent, entry)) : [];
    })
    .filter((dir) => existsSync(join(dir, 'package.json')));
}

/**
 * A throwaway clone of the committed workspace that shares the installed packages.
 *
 * Third-party packages are linked from the real `node_modules`; our own workspace packages are
 * linked to the clone's folders, so Nx and ESLint see the clone's sources, not the original's.
 */
export class WorkspaceClone {
  readonly dir: string;

  constructor() {
    this.dir = mkdtempSync(join(tmpdir(), 'shelfwatch-clone-'));
    execFileSync('git', ['clone', '--quiet', workspaceRoot, this.dir]);
    this.git('config', 'user.email', 'test@shelfwatch.invalid');
    this.git('config', 'user.name', 'shelfwatch test');
    this.linkNodeModules();
  }

  private linkNodeModules(): void {
    const source = join(workspaceRoot, 'node_modules');
    const target = join(this.dir, 'node_modules');
    mkdirSync(target);
    for (const entry of readdirSync(source)) {
      if (entry === '@shelfwatch' || entry === '.cache') continue;
      symlinkSync(join(source, entry), join(target, entry));
    }
    mkdirSync(join(target, '@shelfwatch'));
    for (const dir of workspacePackageDirs(this.dir)) {
      const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
      symlinkSync(dir, join(target, manifest.name));
    }
  }

  git(...args: string[]): string {
    return execFileSync('git', args, { cwd: this.dir, encoding: 'utf8' });
  }

  /** Runs a binary from node_modules/.bin inside the clone; returns status and combined output. */
  run(bin: string, args: string[]): { status: number; output: string } {
    try {
      const output = execFileSync(join(this.dir, 'node_modules', '.bin', bin), args, {
        cwd: this.dir,
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'pipe'],
        env: {
          ...process.env,
          NX_DAEMON: 'false',
          NX_NO_CLOUD: 'true',
          NX_CACHE_DIRECTORY: join(this.dir, '.nx/cache'),
          NX_WORKSPACE_DATA_DIRECTORY: join(this.dir, '.nx/workspace-data'),
          NX_TUI: 'false',
        },
      });
      return { status: 0, output };
    } catch (error) {
      const failure = error as { status?: number; stdout?: string; stderr?: string };
      return {
        status: failure.status ?? 1,
        output: `${failure.stdout ?? ''}${failure.stderr ?? ''}`,
      };
    }
  }

  remove(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}
