/**
 * buildah with a private storage: the vfs driver (works without overlay or fuse, e.g. inside a
 * CI container) under one folder, and chroot isolation (no daemon, no user namespaces). vfs keeps
 * a full copy of the file system per layer and per container, so the folder grows to a few GB
 * while images are built; `destroy()` removes it.
 */
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCaptured, runChecked } from './command';

export interface BuildahImageInfo {
  /** OCI image config: user, entrypoint, cmd, env, working dir, labels. */
  config: {
    User?: string;
    Entrypoint?: string[];
    Cmd?: string[];
    WorkingDir?: string;
    Env?: string[];
    Labels?: Record<string, string>;
  };
  /** Uncompressed size of each layer, bottom first, as stored locally. */
  layerSizes: number[];
  /** History entries that created a layer, bottom first: what each layer came from. */
  layerCreatedBy: string[];
}

export class Buildah {
  readonly storageConf: string;

  constructor(readonly storageDir: string) {
    mkdirSync(storageDir, { recursive: true });
    // The same storage for processes that call buildah without our flags (the Nx targets).
    this.storageConf = join(storageDir, 'storage.conf');
    writeFileSync(
      this.storageConf,
      `[storage]\ndriver = "vfs"\ngraphroot = "${join(storageDir, 'root')}"\nrunroot = "${join(storageDir, 'run')}"\n`,
    );
  }

  /** True when a `buildah` binary answers on PATH. */
  static available(env: NodeJS.ProcessEnv = process.env): boolean {
    return runCaptured('buildah', ['version'], { env }).status === 0;
  }

  /** Environment under which a plain `buildah` (or `nx run <app>:docker-build`) uses this storage. */
  environment(base: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
    return {
      ...base,
      CONTAINERS_STORAGE_CONF: this.storageConf,
      STORAGE_DRIVER: 'vfs',
      BUILDAH_ISOLATION: 'chroot',
      SHELFWATCH_CONTAINER_ENGINE: 'buildah',
    };
  }

  /** Global flags first, so they win over any configuration file. */
  args(...args: string[]): string[] {
    return [
      '--root',
      join(this.storageDir, 'root'),
      '--runroot',
      join(this.storageDir, 'run'),
      '--storage-driver',
      'vfs',
      ...args,
    ];
  }

  /** Arguments of `buildah run` for a container: host network, chroot isolation, env set. */
  runInContainerArgs(container: string, env: Record<string, string>, command: string[]): string[] {
    const envFlags = Object.entries(env).flatMap(([name, value]) => ['--env', `${name}=${value}`]);
    return this.args(
      'run',
      '--isolation',
      'chroot',
      '--network',
      'host',
      ...envFlags,
      container,
      '--',
      ...command,
    );
  }

  run(...args: string[]): string {
    return runChecked('buildah', this.args(...args), { env: this.environment() });
  }

  imageExists(image: string): boolean {
    return (
      runCaptured('buildah', this.args('inspect', '--type', 'image', image), {
        env: this.environment(),
      }).status === 0
    );
  }

  /** A working container from `image`; returns its name. */
  from(image: string, name: string): string {
    this.run('from', '--pull-never', '--name', name, image);
    return name;
  }

  removeContainer(name: string): void {
    runCaptured('buildah', this.args('rm', name), { env: this.environment() });
  }

  inspectImage(image: string): BuildahImageInfo {
    const raw = JSON.parse(this.run('inspect', '--type', 'image', image)) as {
      OCIv1: {
        config?: BuildahImageInfo['config'];
        history?: Array<{ created_by?: string; empty_layer?: boolean }>;
      };
      Manifest: string;
    };
    const manifest = JSON.parse(raw.Manifest) as { layers: Array<{ size: number }> };
    return {
      config: raw.OCIv1.config ?? {},
      layerSizes: manifest.layers.map((layer) => layer.size),
      layerCreatedBy: (raw.OCIv1.history ?? [])
        .filter((entry) => !entry.empty_layer)
        .map((entry) => entry.created_by ?? ''),
    };
  }

  /**
   * Size of each layer gzip-compressed, bottom first: what a registry stores and Cloud Run pulls.
   * Writes the image into the OCI layout folder `layoutDir` (shared blobs are written once).
   */
  compressedLayerSizes(image: string, layoutDir: string, reference: string): number[] {
    this.run('push', '--quiet', image, `oci:${layoutDir}:${reference}`);
    const index = JSON.parse(readFileSync(join(layoutDir, 'index.json'), 'utf8')) as {
      manifests: Array<{ digest: string; annotations?: Record<string, string> }>;
    };
    const entry = index.manifests.find(
      (manifest) => manifest.annotations?.['org.opencontainers.image.ref.name'] === reference,
    );
    if (!entry) throw new Error(`${reference} is missing from ${layoutDir}/index.json`);
    const manifest = JSON.parse(
      readFileSync(join(layoutDir, 'blobs', ...entry.digest.split(':')), 'utf8'),
    ) as { layers: Array<{ size: number }> };
    return manifest.layers.map((layer) => layer.size);
  }

  /** Removes every container and image, then the storage folder itself. */
  destroy(): void {
    runCaptured('buildah', this.args('rm', '--all'), { env: this.environment() });
    runCaptured('buildah', this.args('rmi', '--all', '--force'), { env: this.environment() });
    rmSync(this.storageDir, { recursive: true, force: true });
  }
}
