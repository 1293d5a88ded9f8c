/**
 * Which container engine builds and pushes images here, and the command lines it takes.
 *
 * Order: docker (when its engine answers), podman, buildah. A docker client whose engine is not
 * running (no socket, stopped Docker Desktop) is skipped with the reason kept, so the caller can
 * say why it fell back. `SHELFWATCH_CONTAINER_ENGINE` forces one engine.
 */
import { runCaptured } from './command';

export const engineNames = ['docker', 'podman', 'buildah'] as const;
export type EngineName = (typeof engineNames)[number];

export interface DetectedEngine {
  name: EngineName;
  /** Why the engines before it were passed over, e.g. "docker: client found, engine not running". */
  skipped: string[];
}

/** Asks one engine whether it can build here; returns undefined when it can, else the reason. */
export type EngineProbe = (name: EngineName, env: NodeJS.ProcessEnv) => string | undefined;

const probeArgs: Record<EngineName, string[]> = {
  // `docker info` talks to the engine, so it fails when only the client is installed.
  docker: ['info', '--format', '{{.ServerVersion}}'],
  podman: ['info', '--format', '{{.Version.Version}}'],
  buildah: ['version'],
};

export const probeEngine: EngineProbe = (name, env) => {
  const result = runCaptured(name, probeArgs[name], { env });
  if (result.status === 0) return undefined;
  if (result.status === 127) return `${name}: not installed`;
  const detail = (result.stderr.trim() || result.stdout.trim()).split('\n')[0] ?? '';
  return name === 'docker'
    ? `docker: client found, engine not running (${detail})`
    : `${name}: not usable (${detail})`;
};

function isEngineName(value: string): value is EngineName {
  return (engineNames as readonly string[]).includes(value);
}

export function detectEngine(
  env: NodeJS.ProcessEnv = process.env,
  probe: EngineProbe = probeEngine,
): DetectedEngine {
  const forced = env['SHELFWATCH_CONTAINER_ENGINE'];
  if (forced) {
    if (!isEngineName(forced)) {
      throw new Error(
        `SHELFWATCH_CONTAINER_ENGINE must be one of ${engineNames.join(', ')}, got "${forced}"`,
      );
    }
    const problem = probe(forced, env);
    if (problem) throw new Error(`SHELFWATCH_CONTAINER_ENGINE=${forced}, but ${problem}`);
    return { name: forced, skipped: [] };
  }
  const skipped: string[] = [];
  for (const name of engineNames) {
    const problem = probe(name, env);
    if (!problem) return { name, skipped };
    skipped.push(problem);
  }
  throw new Error(`No container engine can build here:\n  ${skipped.join('\n  ')}`);
}

/** What to build: one Dockerfile, its context, extra named contexts, tags and build arguments. */
export interface BuildRequest {
  dockerfile: string;
  context: string;
  /** Named contexts (`COPY --from=<name>`), name to folder. */
  buildContexts: Record<string, string>;
  tags: string[];
  buildArgs: Record<string, string>;
  /** Network for RUN steps, e.g. `host`; the engine's default when omitted. */
  network?: string;
}

/**
 * The argv (after the engine's binary) that builds `request`; docker, podman and buildah take the
 * same flags (named contexts need docker 23+, podman 4.3+, buildah 1.28+; each pulls the base only
 * when it is missing locally). Engine-wide settings stay with the
 * engine's own configuration: buildah reads `STORAGE_DRIVER`, `BUILDAH_ISOLATION` and
 * `CONTAINERS_STORAGE_CONF` from the environment, for instance.
 */
export function buildArguments(request: BuildRequest): string[] {
  const args = ['build', '--file', request.dockerfile];
  for (const tag of request.tags) args.push('--tag', tag);
  for (const [name, value] of Object.entries(request.buildArgs)) {
    args.push('--build-arg', `${name}=${value}`);
  }
  for (const [name, folder] of Object.entries(request.buildContexts)) {
    args.push('--build-context', `${name}=${folder}`);
  }
  if (request.network) args.push('--network', request.network);
  args.push(request.context);
  return args;
}

/** The argv that gives the image `source` the extra name `target` (docker, podman, buildah alike). */
export function tagArguments(source: string, target: string): string[] {
  return ['tag', source, target];
}

/** One argv per tag that pushes it to its registry. */
export function pushArguments(engine: EngineName, tags: readonly string[]): string[][] {
  return tags.map((tag) =>
    engine === 'buildah' ? ['push', tag, `docker://${tag}`] : ['push', tag],
  );
}
