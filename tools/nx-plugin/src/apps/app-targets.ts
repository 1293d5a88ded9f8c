/**
 * The targets of a deployable app (a folder under apps/ with a Dockerfile and src/main.ts):
 * build (esbuild bundle), prune (manifest and lockfile of its production dependencies), serve,
 * docker-build and docker-push. What each runs is written down once, here; the app's
 * package.json keeps only its dependencies and tags.
 */
import type { TargetConfiguration } from '@nx/devkit';
import { basename } from 'node:path';
import { IMAGE_BUILD_SCRIPTS } from './image-build-scripts';

/**
 * Our own libraries are bundled from their sources; third-party packages stay external, except
 * the ones every start loads (`bundledPackages`, ADR 0040), which `appTargets` is given too.
 */
export function workspaceDependencies(manifest: {
  dependencies?: Record<string, string>;
}): string[] {
  return Object.keys(manifest.dependencies ?? {})
    .filter((name) => name.startsWith('@shelfwatch/'))
    .sort();
}

/**
 * Where the apps' shared `main.js` lives: it enables Node's compile cache (ADR 0027), then runs
 * `bundle.js` from a code cache of its own (ADR 0048, 0053).
 */
const ENTRY_DIR = 'tools/nx-plugin/src/apps/entry';

/** What a build, prune or image of the app reads: its own and its libraries' production files. */
const productionInputs = ['production', '^production'];

/** Environment that decides where docker-build puts an image and what it is called. */
const imageEnvironment = [
  'SHELFWATCH_REGISTRY',
  'SHELFWATCH_CONTAINER_ENGINE',
  'CONTAINERS_STORAGE_CONF',
  'DOCKER_HOST',
].map((env) => ({ env }));

export function appTargets(
  app: string,
  root: string,
  bundled: string[],
): Record<string, TargetConfiguration> {
  return {
    build: {
      executor: '@nx/esbuild:esbuild',
      cache: true,
      // The lockfile: which versions of the inlined packages end up in the bundle.
      inputs: [
        ...productionInputs,
        '{workspaceRoot}/package-lock.json',
        `{workspaceRoot}/${ENTRY_DIR}/main.js`,
        { externalDependencies: ['esbuild', '@nx/esbuild'] },
      ],
      outputs: ['{options.outputPath}'],
      defaultConfiguration: 'production',
      options: {
        platform: 'node',
        target: 'node24',
        outputPath: `${root}/dist`,
        format: ['cjs'],
        bundle: true,
        main: `${root}/src/main.ts`,
        // dist/main.js is the entry, copied below; it turns the compile cache on and loads this.
        outputFileName: 'bundle.js',
        assets: [{ input: ENTRY_DIR, glob: 'main.js', output: '.' }],
        tsConfig: `${root}/tsconfig.app.json`,
        skipTypeCheck: true,
        sourcemap: true,
        esbuildOptions: {
          outExtension: { '.js': '.js' },
          logLevel: 'info',
          // The images run with --enable-source-maps, under which Node reads and parses
          // bundle.js.map when it loads bundle.js, at every start. Stack traces need only the mappings; the sources'
          // text would be most of the map now that packages are inlined (ADR 0040).
          sourcesContent: false,
          // Code that loads a package differently in a bundle than under Jest (pg-boss: ADR 0048).
          define: { SHELFWATCH_APP_BUNDLE: 'true' },
          // import() becomes require(): Node then loads Prisma's query compiler as the CommonJS
          // it is, without first scanning its 2.3 MB for module syntax, and main.js's vm.Script
          // needs no dynamic-import loader, which Node flags as experimental (ADR 0054).
          supported: { 'dynamic-import': false },
        },
        excludeFromExternal: bundled,
        declaration: false,
        deleteOutputPath: true,
        metafile: true,
      },
      configurations: { development: {}, production: {} },
    },
    prune: {
      executor: 'nx:run-commands',
      dependsOn: ['build'],
      cache: true,
      inputs: [
        '{projectRoot}/package.json',
        '{workspaceRoot}/package-lock.json',
        '{workspaceRoot}/libs/*/package.json',
        '{workspaceRoot}/tools/scripts/prune-deployable.ts',
        ...IMAGE_BUILD_SCRIPTS.map((script) => `{workspaceRoot}/${script}`),
      ],
      outputs: [
        '{projectRoot}/dist/package.json',
        '{projectRoot}/dist/package-lock.json',
        ...IMAGE_BUILD_SCRIPTS.map((script) => `{projectRoot}/dist/${basename(script)}`),
      ],
      options: { command: `tsx tools/scripts/prune-deployable.ts ${app} ${root}/dist` },
    },
    serve: {
      executor: 'nx:run-commands',
      continuous: true,
      dependsOn: ['^prisma-generate'],
      options: { command: `tsx tools/dev/serve.ts ${app}`, cwd: '{workspaceRoot}' },
    },
    'docker-build': {
      executor: 'nx:run-commands',
      dependsOn: ['build', 'prune'],
      // The same sources into the same engine storage give the same image: a spec-only change
      // keeps it. dist/image.json names the image that was built; docker-push tags it with the
      // commit being pushed when a cache hit left it under an earlier commit's tag.
      cache: true,
      inputs: [
        ...productionInputs,
        '{workspaceRoot}/package-lock.json',
        '{workspaceRoot}/tools/container/**/*',
        ...imageEnvironment,
      ],
      outputs: ['{projectRoot}/dist/image.json'],
      options: { command: `tsx tools/container/docker-image.ts build ${app}` },
    },
    'docker-push': {
      executor: 'nx:run-commands',
      dependsOn: ['docker-build'],
      cache: false,
      inputs: [...productionInputs, ...imageEnvironment],
      outputs: [],
      options: { command: `tsx tools/container/docker-image.ts push ${app}` },
    },
  };
}
