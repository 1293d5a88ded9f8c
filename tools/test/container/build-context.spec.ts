import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { IMAGE_BUILD_SCRIPTS } from '@shelfwatch/nx-plugin';
import { workspaceRoot } from '../../container/image-spec';

const generatorFiles = 'tools/nx-plugin/src/generators/service/files/app';
const appFolders = readdirSync(join(workspaceRoot, 'apps'))
  .map((name) => `apps/${name}`)
  .filter((folder) => existsSync(join(workspaceRoot, folder, 'Dockerfile')));

type BuildContext = [name: string, files: { dockerignore: string; dockerfile: string }];

/** The build contexts: every app with a Dockerfile, and what the service generator writes. */
const contexts: BuildContext[] = [
  ...appFolders.map((folder): BuildContext => [
    folder,
    { dockerignore: `${folder}/.dockerignore`, dockerfile: `${folder}/Dockerfile` },
  ]),
  [
    'the service generator',
    {
      dockerignore: `${generatorFiles}/.dockerignore.template`,
      dockerfile: `${generatorFiles}/Dockerfile.template`,
    },
  ],
];

describe('the image build scripts prune copies into each build context', () => {
  it('finds the deployable apps', () => {
    expect(appFolders).toEqual(
      expect.arrayContaining(['apps/api', 'apps/scraper', 'apps/analytics', 'apps/notifier']),
    );
  });

  it.each(contexts)('reach the build of %s through its .dockerignore', (_name, files) => {
    const allowed = readFileSync(join(workspaceRoot, files.dockerignore), 'utf8')
      .split('\n')
      .map((line) => line.trim());
    const dockerfile = readFileSync(join(workspaceRoot, files.dockerfile), 'utf8');
    for (const script of IMAGE_BUILD_SCRIPTS) {
      expect(allowed).toContain(`!dist/${basename(script)}`);
      expect(dockerfile).toContain(`dist/${basename(script)}`);
    }
  });
});
