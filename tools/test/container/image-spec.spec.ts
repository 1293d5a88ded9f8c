import { execFileSync } from 'node:child_process';
import { appendFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  builtImageFile,
  currentRevision,
  imageSpec,
  imageSpecFromWorkspace,
  readBuiltImage,
  readRegistryConfig,
  registryFor,
  workspaceRoot,
  writeBuiltImage,
} from '../../container/image-spec';

describe('image names and build inputs', () => {
  const revision = { commit: '0123456789abcdef0123456789abcdef01234567', dirty: false };
  const options = {
    registry: 'europe-west1-docker.pkg.dev/shelfwatch-dev/shelfwatch',
    revision,
    source: 'https://github.com/shelfwatch/shelfwatch',
  };

  it('tags <registry>/<app>:<commit> and :latest and labels the revision', () => {
    const spec = imageSpec('scraper', options);

    expect(spec.tags).toEqual([
      `europe-west1-docker.pkg.dev/shelfwatch-dev/shelfwatch/scraper:${revision.commit}`,
      'europe-west1-docker.pkg.dev/shelfwatch-dev/shelfwatch/scraper:latest',
    ]);
    expect(spec.buildArgs).toEqual({
      SOURCE_URL: 'https://github.com/shelfwatch/shelfwatch',
      REVISION: revision.commit,
    });
    expect(spec.context).toBe(join(workspaceRoot, 'apps/scraper'));
    expect(spec.buildContexts).toEqual({});
  });

  it('marks an image built from uncommitted changes as -dirty', () => {
    expect(
      imageSpec('scraper', { ...options, revision: { ...revision, dirty: true } }).tags[0],
    ).toBe(
      `europe-west1-docker.pkg.dev/shelfwatch-dev/shelfwatch/scraper:${revision.commit}-dirty`,
    );
  });

  it("hands the api build the migrations folder and the dashboard's build as named contexts", () => {
    expect(imageSpec('api', options).buildContexts).toEqual({
      migrations: join(workspaceRoot, 'libs/db/prisma/migrations'),
      web: join(workspaceRoot, 'apps/web/dist'),
    });
  });

  it('refuses an app without a Dockerfile', () => {
    expect(() => imageSpec('no-such-app', options)).toThrow('no-such-app has no Dockerfile');
  });

  it('takes the registry from SHELFWATCH_REGISTRY, else from registry.json', () => {
    expect(registryFor({ SHELFWATCH_REGISTRY: 'us-docker.pkg.dev/p/r/' })).toBe(
      'us-docker.pkg.dev/p/r',
    );
    expect(registryFor({})).toBe(readRegistryConfig().registry);
    expect(readRegistryConfig().registry).toMatch(
      /^[a-z0-9-]+-docker\.pkg\.dev\/[^/]+\/shelfwatch$/,
    );
  });

  it('names the images of this checkout after its commit', () => {
    const spec = imageSpecFromWorkspace('api', { SHELFWATCH_REGISTRY: 'registry.test/sw' });
    const { commit } = currentRevision();

    expect(commit).toMatch(/^[0-9a-f]{40}$/);
    expect(spec.tags[0]).toMatch(new RegExp(`^registry\\.test/sw/api:${commit}(-dirty)?$`));
  });
});

describe('the revision of a working tree', () => {
  let repo: string;
  const git = (...args: string[]) =>
    execFileSync('git', args, { cwd: repo, encoding: 'utf8' }).trim();

  beforeAll(() => {
    repo = mkdtempSync(join(tmpdir(), 'shelfwatch-revision-'));
    git('init', '--quiet');
    git('config', 'user.email', 'test@shelfwatch.invalid');
    git('config', 'user.name', 'shelfwatch test');
    mkdirSync(join(repo, 'apps'));
    writeFileSync(join(repo, 'apps/README'), 'apps\n');
    git('add', '.');
    git('commit', '--quiet', '-m', 'First');
  });

  afterAll(() => rmSync(repo, { recursive: true, force: true }));

  it('is clean right after a commit and dirty once a tracked file changes', () => {
    const commit = git('rev-parse', 'HEAD');
    expect(currentRevision(repo)).toEqual({ commit, dirty: false });

    appendFileSync(join(repo, 'apps/README'), 'changed\n');
    expect(currentRevision(repo)).toEqual({ commit, dirty: true });
  });
});

describe('the record of a built image', () => {
  let appDir: string;

  beforeAll(() => {
    appDir = mkdtempSync(join(tmpdir(), 'shelfwatch-built-'));
    mkdirSync(join(appDir, 'dist'));
  });

  afterAll(() => rmSync(appDir, { recursive: true, force: true }));

  it('keeps the tags and revision docker-build produced next to the bundle', () => {
    expect(readBuiltImage(appDir)).toBeUndefined();

    const image = { engine: 'buildah', tags: ['r/api:abc', 'r/api:latest'], revision: 'abc' };
    writeBuiltImage(appDir, image);

    expect(readBuiltImage(appDir)).toEqual(image);
    expect(builtImageFile(appDir)).toBe(join(appDir, 'dist', 'image.json'));
  });
});
