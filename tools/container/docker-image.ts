/**
 * The `docker-build` and `docker-push` targets of every app.
 *
 * Usage: tsx tools/container/docker-image.ts <build|push> <app>
 *
 * `build` expects the app's bundle and pruned manifest in apps/<app>/dist (the targets depend on
 * `build` and `prune`) and builds apps/<app>/Dockerfile with the first engine that works here
 * (docker, podman, buildah; see engine.ts). `push` pushes both tags; it refuses a `-dirty` tag
 * unless SHELFWATCH_PUSH_DIRTY=true, since such an image matches no commit. When docker-build
 * came from Nx's cache (nothing the image is made of changed), push first tags the image it
 * recorded in dist/image.json with this commit's tags.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { runInherited } from './command';
import { buildArguments, detectEngine, pushArguments, tagArguments } from './engine';
import {
  imageSpecFromWorkspace,
  readBuiltImage,
  workspaceRoot,
  writeBuiltImage,
} from './image-spec';

const deployableFiles = ['main.js', 'bundle.js', 'package.json', 'package-lock.json'];

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

  // docker-build is cached: after a commit that changed nothing the image is made of, the image
  // is the one built for an earlier commit. Name it for this commit before pushing.
  const built = readBuiltImage(spec.context);
  if (!built) {
    console.error(`apps/${app}/dist/image.json is missing: run \`npx nx run ${app}:docker-build\``);
    return 1;
  }
  for (const tag of spec.tags.filter((name) => !built.tags.includes(name))) {
    const status = await runInherited(engine.name, tagArguments(built.tags[0], tag), {
      cwd: workspaceRoot,
    });
    if (status !== 0) {
      console.error(
        `could not tag ${built.tags[0]} as ${tag}: is the image still in ${engine.name}'s storage?`,
      );
      return status;
    }
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
