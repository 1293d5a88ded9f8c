import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildArguments, detectEngine, pushArguments } from '../../container/engine';

/**
 * Engine detection runs the real probes against small stand-in executables on PATH, one folder
 * per scenario, so nothing on this machine decides the outcome.
 */
describe('container engine detection', () => {
  let bin: string;

  beforeEach(() => {
    bin = mkdtempSync(join(tmpdir(), 'shelfwatch-engines-'));
  });

  afterEach(() => rmSync(bin, { recursive: true, force: true }));

  function install(name: string, script: string): void {
    writeFileSync(join(bin, name), `#!/bin/sh\n${script}\n`);
    chmodSync(join(bin, name), 0o755);
  }

  const env = (extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv => ({ PATH: bin, ...extra });

  it('prefers docker when its engine answers', () => {
    install('docker', 'echo 27.3.1');
    install('buildah', 'echo buildah 1.28');

    expect(detectEngine(env())).toEqual({ name: 'docker', skipped: [] });
  });

  it('falls back past a docker client whose engine is not running, and says why', () => {
    install(
      'docker',
      'echo "Cannot connect to the Docker daemon at unix:///var/run/docker.sock. Is the docker daemon running?" >&2; exit 1',
    );
    install('podman', 'echo 5.2.0');

    const engine = detectEngine(env());

    expect(engine.name).toBe('podman');
    expect(engine.skipped).toEqual([
      'docker: client found, engine not running (Cannot connect to the Docker daemon at unix:///var/run/docker.sock. Is the docker daemon running?)',
    ]);
  });

  it('uses buildah when neither docker nor podman is there', () => {
    install('buildah', 'echo buildah 1.28');

    expect(detectEngine(env())).toEqual({
      name: 'buildah',
      skipped: ['docker: not installed', 'podman: not installed'],
    });
  });

  it('honours SHELFWATCH_CONTAINER_ENGINE over the detection order', () => {
    install('docker', 'echo 27.3.1');
    install('buildah', 'echo buildah 1.28');

    expect(detectEngine(env({ SHELFWATCH_CONTAINER_ENGINE: 'buildah' })).name).toBe('buildah');
    expect(() => detectEngine(env({ SHELFWATCH_CONTAINER_ENGINE: 'kaniko' }))).toThrow(
      'SHELFWATCH_CONTAINER_ENGINE must be one of docker, podman, buildah, got "kaniko"',
    );
  });

  it('names every engine it tried when none works', () => {
    expect(() => detectEngine(env())).toThrow(
      'No container engine can build here:\n  docker: not installed\n  podman: not installed\n  buildah: not installed',
    );
  });
});

describe('container engine command lines', () => {
  const request = {
    dockerfile: '/repo/apps/api/Dockerfile',
    context: '/repo/apps/api',
    buildContexts: { migrations: '/repo/libs/db/prisma/migrations' },
    tags: ['registry.example/shelfwatch/api:abc123', 'registry.example/shelfwatch/api:latest'],
    buildArgs: { REVISION: 'abc123' },
  };

  it('builds one Dockerfile with both tags, the build arguments and the named contexts', () => {
    expect(buildArguments(request)).toEqual([
      'build',
      '--file',
      '/repo/apps/api/Dockerfile',
      '--tag',
      'registry.example/shelfwatch/api:abc123',
      '--tag',
      'registry.example/shelfwatch/api:latest',
      '--build-arg',
      'REVISION=abc123',
      '--build-context',
      'migrations=/repo/libs/db/prisma/migrations',
      '/repo/apps/api',
    ]);
  });

  it('pushes each tag, naming the docker transport for buildah', () => {
    expect(pushArguments('docker', request.tags)).toEqual([
      ['push', 'registry.example/shelfwatch/api:abc123'],
      ['push', 'registry.example/shelfwatch/api:latest'],
    ]);
    expect(pushArguments('buildah', request.tags.slice(0, 1))).toEqual([
      [
        'push',
        'registry.example/shelfwatch/api:abc123',
        'docker://registry.example/shelfwatch/api:abc123',
      ],
    ]);
  });
});
