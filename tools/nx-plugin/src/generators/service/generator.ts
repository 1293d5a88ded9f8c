/**
 * `nx g @shelfwatch/nx-plugin:service <name>`: a new Cloud Run service on this workspace's
 * conventions. @nx/node's application generator lays the project out (folder, package.json,
 * TypeScript project files); this generator then turns it into a shelfwatch app (createApp(deps)
 * with /health and /ready, a thin main.ts, a zod config on libs/runtime, subscribers on
 * libs/messaging, a supertest spec, the Dockerfile the container smoke test builds) and writes
 * infra/<name>, a thin Terraform root on infra/modules/service. Targets are not written: the
 * workspace plugin infers them.
 */
import {
  formatFiles,
  generateFiles,
  joinPathFragments,
  names,
  updateJson,
  writeJson,
  type GeneratorCallback,
  type Tree,
} from '@nx/devkit';
import { applicationGenerator } from '@nx/node';
import { symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { serviceDescription } from './description';
import { eventWiring } from './event-types';

export interface ServiceGeneratorSchema {
  name: string;
  publishes?: string | string[];
  subscribes?: string | string[];
  database?: boolean;
  description?: string;
}

const NAME = /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/;
/** Where this generator's templates are, relative to the workspace root. */
const TEMPLATES = 'tools/nx-plugin/src/generators/service/files';
const SHARED_STACK_FILE = '../modules/service/stack/stack.tf';

const LIB_REFERENCES = ['runtime', 'messaging', 'logging', 'contracts'];

function appManifest(name: string, database: boolean): Record<string, unknown> {
  const libraries = ['contracts', ...(database ? ['db'] : []), 'logging', 'messaging', 'runtime'];
  return {
    name: `@shelfwatch/${name}`,
    version: '0.0.0',
    private: true,
    exports: {
      '.': { types: './src/index.ts', default: './src/index.ts' },
      './package.json': './package.json',
    },
    dependencies: {
      ...Object.fromEntries(libraries.map((lib) => [`@shelfwatch/${lib}`, '*'])),
      express: '^5.2.1',
      ...(database ? { zod: '^4.6.7' } : {}),
    },
    ...(database ? { devDependencies: { '@shelfwatch/testing': '*' } } : {}),
    nx: { name, tags: ['type:app', `scope:${name}`] },
  };
}

function tsconfigs(tree: Tree, root: string, database: boolean): void {
  const references = [...LIB_REFERENCES, ...(database ? ['db'] : [])].map((lib) => ({
    path: `../../libs/${lib}/tsconfig.lib.json`,
  }));
  writeJson(tree, `${root}/tsconfig.json`, {
    extends: '../../tsconfig.base.json',
    files: [],
    include: [],
    references: [{ path: './tsconfig.app.json' }, { path: './tsconfig.spec.json' }],
  });
  writeJson(tree, `${root}/tsconfig.app.json`, {
    extends: '../../tsconfig.base.json',
    compilerOptions: {
      rootDir: 'src',
      outDir: 'out-tsc/app',
      tsBuildInfoFile: 'out-tsc/app/tsconfig.app.tsbuildinfo',
      types: ['node'],
    },
    include: ['src/**/*.ts'],
    exclude: ['src/**/*.spec.ts'],
    references,
  });
  writeJson(tree, `${root}/tsconfig.spec.json`, {
    extends: '../../tsconfig.base.json',
    compilerOptions: {
      outDir: 'out-tsc/spec',
      tsBuildInfoFile: 'out-tsc/spec/tsconfig.spec.tsbuildinfo',
      types: ['jest', 'node'],
    },
    include: ['src/**/*.spec.ts', 'test/**/*.ts'],
    references: [
      { path: './tsconfig.app.json' },
      ...(database ? [{ path: '../../libs/testing/tsconfig.lib.json' }] : []),
    ],
  });
  updateJson(tree, 'tsconfig.json', (json: { references?: Array<{ path: string }> }) => {
    const references = json.references ?? [];
    if (!references.some((reference) => reference.path === `./${root}`))
      references.push({ path: `./${root}` });
    return { ...json, references };
  });
}

/** Removes what @nx/node wrote that this workspace does differently (targets are inferred). */
function dropNodeDefaults(tree: Tree, root: string): void {
  for (const file of [
    'project.json',
    'src/assets',
    'src/main.ts',
    'webpack.config.js',
    'README.md',
  ])
    if (tree.exists(`${root}/${file}`)) tree.delete(`${root}/${file}`);
}

export async function serviceGenerator(
  tree: Tree,
  options: ServiceGeneratorSchema,
): Promise<GeneratorCallback> {
  const name = options.name;
  if (!NAME.test(name)) throw new Error(`The service name must be kebab-case, got "${name}"`);
  const description = serviceDescription(options.description ?? 'a shelfwatch service');
  const appRoot = `apps/${name}`;
  const infraRoot = `infra/${name}`;
  for (const root of [appRoot, infraRoot])
    if (tree.exists(root)) throw new Error(`${root} already exists`);
  const publishes = eventWiring('publishes', options.publishes);
  const subscribes = eventWiring('subscribes', options.subscribes);
  const database = options.database ?? false;

  // @nx/node also edits workspace files for its own setup (an esbuild target default with
  // dependsOn ^build, tslib at the root, an editor launch file); this workspace has its own.
  const untouched = ['nx.json', 'package.json', '.vscode/launch.json'].map(
    (file) => [file, tree.read(file)] as const,
  );
  await applicationGenerator(tree, {
    directory: appRoot,
    name,
    framework: 'none',
    bundler: 'esbuild',
    linter: 'none',
    unitTestRunner: 'none',
    e2eTestRunner: 'none',
    docker: false,
    skipPackageJson: true,
    skipFormat: true,
    useProjectJson: false,
    tags: `type:app,scope:${name}`,
  });
  for (const [file, content] of untouched)
    if (content === null) {
      if (tree.exists(file)) tree.delete(file);
    } else tree.write(file, content);
  dropNodeDefaults(tree, appRoot);
  // Its package.json keeps only what the workspace reads: name, dependencies and tags.
  writeJson(tree, `${appRoot}/package.json`, appManifest(name, database));
  tsconfigs(tree, appRoot, database);

  const { className, propertyName, constantName } = names(name);
  const substitutions = {
    name,
    pascal: className,
    camel: propertyName,
    constant: constantName,
    database,
    description: description.line,
    dockerLabelDescription: description.dockerLabel,
    subscribes,
    publishTopics: publishes.map((event) => event.topic),
    tmpl: '',
  };
  const templates = joinPathFragments(tree.root, TEMPLATES);
  generateFiles(tree, join(templates, 'app'), appRoot, substitutions);
  if (database) generateFiles(tree, join(templates, 'database'), appRoot, substitutions);
  generateFiles(tree, join(templates, 'infra'), infraRoot, substitutions);
  await formatFiles(tree);

  // The Tree cannot hold a link; stack.tf is one (infra/README.md), made once the files exist.
  return () => {
    symlinkSync(SHARED_STACK_FILE, join(tree.root, infraRoot, 'stack.tf'));
    console.log(
      `\n${appRoot} and ${infraRoot} are written. Run \`npm install\` so npm knows the new workspace, then:\n` +
        `  npx nx run-many -t lint typecheck test build -p ${name}\n` +
        `  npx nx run infra-${name}:tf-fmt\n` +
        `Add ${name} to tools/dev/serve.ts to serve it locally.`,
    );
  };
}

export default serviceGenerator;
