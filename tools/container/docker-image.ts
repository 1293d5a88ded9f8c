/**
 * The `docker-build` and `docker-push` targets of every app.
 *
 * Usage: tsx tools/container/docker-image.ts <build|push> <app>
 *
 * `build` expects the app's bundle and pruned manifest in apps/<app>/dist (the targets depend on
 * `build` and `prune`) and builds apps/<app>/Dockerfile with the first engine that works here
 * (docker, podman, buildah; see engine.ts). `push` pushes both tags; it refuses a `-dirty` tag
 * unless SHELFWATCH_PUSH_DIRTY=true, since such an image matches no commit.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { runInherited } from './command';
import { buildArguments, detectEngine, pushArguments } from './engine';
import { imageSpecFromWorkspace, workspaceRoot, writeBuiltImage } from './image-spec';

const deployableFiles = ['main.js', 'package.json', 'package-lock.json'];

async function main(argv: string[]): Promise<number> {
  const [action, app] = argv;
  if ((action !== 'build' && action !== 'push') || !app) {
    console.error('usage: docker-image <build|push> <app>');
    return 2;
  }
  const spec = imageSpecFromWorkspace(app);
  if (
    action === 'push' &&
    spec.tags[0]?.endsWith('-dirty') &&
    process.env['SHELFWATCH_PUSH_DIRTY'] !== 'true'
  ) {
    console.error(
      `refusing to push ${spec.tags[0]}: the working tree has uncommitted changes ` +
        '(commit them, or set SHELFWATCH_PUSH_DIRTY=true)',
    );
    return 1;
  }
  const engine = detectEngine();
  for (const reason of engine.skipped) console.log(`skipped ${reason}`);
  console.log(`using ${engine.name}`);

  if (action === 'build') {
    const missing = deployableFiles.filter((file) => !existsSync(join(spec.context, 'dist', file)));
    if (missing.length > 0) {
      console.error(
        `apps/${app}/dist lacks ${missing.join(', ')}: run \`npx nx run ${app}:prune\` first`,
      );
      return 1;
    }
    const status = await runInherited(engine.name, buildArguments(spec), { cwd: workspaceRoot });
    if (status === 0) {
      writeBuiltImage(spec.context, {
        engine: engine.name,
        tags: spec.tags,
        revision: spec.buildArgs['REVISION'] as string,
      });
      console.log(`built ${spec.tags.join(' ')}`);
    }
    return status;
  }

  for (const args of pushArguments(engine.name, spec.tags)) {
    const status = await runInherited(engine.name, args, { cwd: workspaceRoot });
    if (status !== 0) return status;
  }
  return 0;
}

main(process.argv.slice(2)).then(
  (status) => process.exit(status),
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  },
);
