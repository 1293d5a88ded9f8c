/**
 * The image an app's `docker-build` target produces: names, tags, build arguments and contexts.
 *
 * Images are `<registry>/<app>:<commit>` and `<registry>/<app>:latest`. The registry comes from
 * `SHELFWATCH_REGISTRY`, else from tools/container/registry.json (Artifact Registry of the dev
 * project, the repository `infra/platform` creates). A working tree with uncommitted changes tags
 * `<commit>-dirty`, so a commit's tag always names exactly that commit's code.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { runCaptured } from './command';
import type { BuildRequest } from './engine';

export const workspaceRoot = resolve(__dirname, '../..');

interface RegistryConfig {
  registry: string;
  source: string;
}

/**
 * Folders an app's Dockerfile reads as named contexts (`COPY --from=<name>`), relative to the
 * workspace root. The api image carries the migrations for its `migrate` job and the dashboard's
 * production build, which it serves under / (ADR 0019; api:docker-build runs web:build first).
 */
export const namedBuildContexts: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  api: { migrations: 'libs/db/prisma/migrations', web: 'apps/web/dist' },
};

export interface Revision {
  commit: string;
  dirty: boolean;
}

export function readRegistryConfig(root: string = workspaceRoot): RegistryConfig {
  return JSON.parse(readFileSync(join(root, 'tools/container/registry.json'), 'utf8'));
}

export function registryFor(env: NodeJS.ProcessEnv = process.env, root = workspaceRoot): string {
  const registry = env['SHELFWATCH_REGISTRY'] || readRegistryConfig(root).registry;
  return registry.replace(/\/+$/, '');
}

/** The checked-out commit and whether tracked or new files differ from it. */
export function currentRevision(root: string = workspaceRoot): Revision {
  const head = runCaptured('git', ['rev-parse', 'HEAD'], { cwd: root });
  if (head.status !== 0) throw new Error(`Cannot read the commit: ${head.stderr.trim()}`);
  const status = runCaptured('git', ['status', '--porcelain'], { cwd: root });
  return { commit: head.stdout.trim(), dirty: status.stdout.trim() !== '' };
}

export function imageTag(revision: Revision): string {
  return revision.dirty ? `${revision.commit}-dirty` : revision.commit;
}

export interface ImageSpec extends BuildRequest {
  app: string;
  /** `<registry>/<app>` */
  repository: string;
  /** The commit tag (first) and `latest`. */
  tags: string[];
}

export function imageSpec(
  app: string,
  options: { registry: string; revision: Revision; source: string; root?: string },
): ImageSpec {
  const root = options.root ?? workspaceRoot;
  const appDir = join(root, 'apps', app);
  const dockerfile = join(appDir, 'Dockerfile');
  if (!existsSync(dockerfile)) throw new Error(`${app} has no Dockerfile at ${dockerfile}`);
  const repository = `${options.registry}/${app}`;
  return {
    app,
    repository,
    dockerfile,
    context: appDir,
    buildContexts: Object.fromEntries(
      Object.entries(namedBuildContexts[app] ?? {}).map(([name, folder]) => [
        name,
        join(root, folder),
      ]),
    ),
    tags: [`${repository}:${imageTag(options.revision)}`, `${repository}:latest`],
    buildArgs: { SOURCE_URL: options.source, REVISION: options.revision.commit },
  };
}

/** `imageSpec` with the registry, revision and source of this checkout and environment. */
export function imageSpecFromWorkspace(
  app: string,
  env: NodeJS.ProcessEnv = process.env,
  root: string = workspaceRoot,
): ImageSpec {
  return imageSpec(app, {
    registry: registryFor(env, root),
    revision: currentRevision(root),
    source: readRegistryConfig(root).source,
    root,
  });
}

/** What the last `docker-build` of an app produced, kept next to its bundle (`dist/image.json`). */
export interface BuiltImage {
  engine: string;
  tags: string[];
  revision: string;
}

export const builtImageFile = (appDir: string): string => join(appDir, 'dist', 'image.json');

export function writeBuiltImage(appDir: string, image: BuiltImage): void {
  writeFileSync(builtImageFile(appDir), JSON.stringify(image, null, 2) + '\n');
}

/** The image the last `docker-build` of the app in `appDir` tagged, if it ran. */
export function readBuiltImage(appDir: string): BuiltImage | undefined {
  const file = builtImageFile(appDir);
  return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as BuiltImage) : undefined;
}
