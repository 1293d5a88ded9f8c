import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { WorkspaceClone, workspaceRoot } from '@shelfwatch/testing';

/** What only test and local-development code may contain: the helpers' files and names. */
const testHelperMarkers = /embedded-postgres|pubsub-emulator|local-oidc/;
const testHelperNames = [
  'startEmbeddedPostgres',
  'startPubSubEmulator',
  'pubSubEmulatorAvailability',
  'localIssuer',
  'createTestDatabase',
  'testDatabaseGlobalSetup',
  'WorkspaceClone',
];
const apps = ['api', 'scraper', 'analytics', 'notifier'];

function filesBelow(dir: string): string[] {
  return readdirSync(dir).flatMap((entry) => {
    const path = join(dir, entry);
    return statSync(path).isDirectory() ? filesBelow(path) : [path];
  });
}

describe('test helpers stay out of production code', () => {
  it("only libs/testing mentions embedded PostgreSQL, the Pub/Sub emulator or the local OIDC issuer among the libraries' sources", () => {
    const mentioning = readdirSync(join(workspaceRoot, 'libs'))
      .map((lib) => join(workspaceRoot, 'libs', lib, 'src'))
      .filter((src) => existsSync(src))
      .flatMap(filesBelow)
      .filter((file) => testHelperMarkers.test(readFileSync(file, 'utf8')))
      .map((file) => relative(workspaceRoot, file));

    expect(mentioning.length).toBeGreaterThan(0);
    expect(mentioning.filter((file) => !file.startsWith('libs/testing/'))).toEqual([]);
  });

  describe("the apps' production bundles (`nx run <app>:build` and `:prune` in a clean clone)", () => {
    let clone: WorkspaceClone;

    beforeAll(() => {
      clone = new WorkspaceClone();
      const build = clone.run('nx', [
        'run-many',
        '-t',
        'build',
        'prune',
        '-p',
        ...apps,
        '--outputStyle=stream-without-prefixes',
      ]);
      if (build.status !== 0) throw new Error(`the builds failed:\n${build.output}`);
    });

    afterAll(() => clone.remove());

    it.each(apps)(
      '%s: the bundle holds no test-helper code and no module of libs/testing',
      (app) => {
        const dist = join(clone.dir, 'apps', app, 'dist');
        // main.js is the shared entry that runs the bundle from its code cache (ADR 0048, 0053).
        const main = readFileSync(join(dist, 'main.js'), 'utf8');
        expect(main).toContain("join(__dirname, 'bundle.js')");
        expect(main).not.toMatch(testHelperMarkers);
        expect(testHelperNames.filter((name) => main.includes(name))).toEqual([]);
        const bundle = readFileSync(join(dist, 'bundle.js'), 'utf8');
        const meta = JSON.parse(readFileSync(join(dist, 'meta.json'), 'utf8')) as {
          inputs: Record<string, unknown>;
        };
        const inputs = Object.keys(meta.inputs);

        // The bundle really holds the app and its libraries, so the checks below look at something.
        expect(inputs).toContain(`apps/${app}/src/main.ts`);
        expect(inputs.some((input) => input.startsWith('libs/messaging/src/'))).toBe(true);
        expect(inputs.filter((input) => input.startsWith('libs/testing/'))).toEqual([]);
        expect(inputs.filter((input) => testHelperMarkers.test(input))).toEqual([]);
        expect(bundle).not.toMatch(testHelperMarkers);
        expect(testHelperNames.filter((name) => bundle.includes(name))).toEqual([]);
      },
    );
  });
});
