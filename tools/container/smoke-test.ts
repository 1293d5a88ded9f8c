/**
 * Container smoke test: builds app images with buildah through their real `docker-build` targets,
 * runs each one as Cloud Run would, and prints image sizes and start-to-ready times.
 *
 * Usage: tsx tools/container/smoke-test.ts [app ...] [--affected] [--keep]
 *   (no apps)   every app with a Dockerfile
 *   --affected  the apps affected since the previous commit (all when there is none)
 *   --keep      keep the buildah storage (default: a temp folder, removed at the end);
 *               SHELFWATCH_BUILDAH_STORAGE=<dir> names a folder that is always kept and reused
 *
 * Per app it checks that the image runs as a non-root user that cannot change the app, starts
 * with `node` directly, carries the OCI source/revision labels, holds exactly the production
 * packages of its pruned lockfile, and then, once over the Postgres message transport and once
 * over the Pub/Sub emulator: answers /ready and /health (and a few app routes), logs JSON lines
 * for Cloud Logging, and exits 0 soon after SIGTERM. The database schema is migrated first, as
 * the api's migrate job does before a deploy; the api image also runs that job itself
 * (`node main.js migrate`) on an empty database, twice.
 *
 * No registry is reachable here, so the Dockerfiles' base (`node:24-bookworm-slim`) is a stand-in
 * assembled from this machine's Node 24 (base-image.ts). Without buildah the test is skipped,
 * except under CI=true, where that is a failure; the same holds for the Pub/Sub emulator.
 */
import { generateSealingKey } from '@shelfwatch/db';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { appsAffectedSincePreviousCommit, appsWithDockerfile } from './affected-apps';
import { defaultBaseImage, ensureStandInBaseImage } from './base-image';
import { Buildah } from './buildah';
import { runCaptured, runInherited } from './command';
import { du } from './disk-usage';
import {
  appContentsScript,
  compareWithLockfile,
  isExactProductionInstall,
  type AppContents,
} from './image-contents';
import {
  builtImageFile,
  namedBuildContexts,
  readBuiltImage,
  workspaceRoot,
  type BuiltImage,
} from './image-spec';
import { AppRunError, runAppOnce, type AppRunResult } from './run-app';
import { applyMigrations, createPrismaClient, type PrismaClient } from '@shelfwatch/db';
import {
  type PubSubEmulator,
  type TestDatabase,
  createTestDatabase,
  findFreeLoopbackPort,
  pubSubEmulatorAvailability,
  startPubSubEmulator,
  testDatabaseGlobalSetup,
  testDatabaseGlobalTeardown,
} from '@shelfwatch/testing';

const projectId = 'shelfwatch-smoke';

/**
 * Routes beyond /ready and /health that must answer 200: the api's reach the database through
 * Prisma, and `/` is the dashboard the image carries (an api without it answers 404 there).
 */
const appProbes: Record<string, string[]> = {
  api: ['/v1/targets', '/openapi.json', '/', '/products/any'],
};

/**
 * The api's first admin key as Secret Manager would hand it over (BOOTSTRAP_ADMIN_API_KEY): the
 * probe of /v1/targets then passes authentication and reaches the database.
 */
const bootstrapKey = `sw_${Array.from(randomBytes(12), (byte) => 'abcdefghijklmnopqrstuvwxyz234567'[byte & 31]).join('')}_${randomBytes(32).toString('base64url')}`;
const appSecrets: Record<string, Record<string, string>> = {
  api: { BOOTSTRAP_ADMIN_API_KEY: bootstrapKey },
};
const probeHeaders: Record<string, Record<string, string>> = {
  api: { authorization: `Bearer ${bootstrapKey}` },
};

type Transport = 'postgres' | 'pubsub';

interface AppReport {
  app: string;
  problems: string[];
  imageBytes?: number;
  baseBytes?: number;
  appLayerBytes?: number;
  appLayerGzipBytes?: number;
  imageGzipBytes?: number;
  contents?: AppContents;
  packagesMatched?: number;
  runs: Partial<Record<Transport, AppRunResult>>;
  /** `buildah run` of `node -e 0` in the same container: the runtime's share of start-to-ready. */
  baselineMs?: number;
  /** The api's migrate job on an empty database: duration and migrations applied. */
  migrate?: { ms: number; applied: number };
}

const sum = (values: number[]) => values.reduce((total, value) => total + value, 0);
const megabytes = (bytes: number | undefined) =>
  bytes === undefined ? '-' : `${(bytes / 1e6).toFixed(1)} MB`;
const kilobytes = (bytes: number | undefined) =>
  bytes === undefined ? '-' : `${(bytes / 1e3).toFixed(0)} kB`;
const millis = (ms: number | undefined) => (ms === undefined ? '-' : `${Math.round(ms)} ms`);

function log(message: string): void {
  console.log(`[smoke] ${message}`);
}

function baseImageOf(dockerfile: string): string {
  return /^ARG NODE_IMAGE=(\S+)/m.exec(readFileSync(dockerfile, 'utf8'))?.[1] ?? defaultBaseImage;
}

/** Runs `command` in a fresh working container of `image` and parses its stdout as JSON. */
function runJsonInImage<T>(buildah: Buildah, container: string, command: string[]): T {
  const stdout = buildah.run(
    'run',
    '--isolation',
    'chroot',
    '--network',
    'host',
    container,
    '--',
    ...command,
  );
  return JSON.parse(stdout) as T;
}

function checkImageConfig(buildah: Buildah, built: BuiltImage, report: AppReport): string[] {
  const info = buildah.inspectImage(built.tags[0] as string);
  const commit = built.revision;
  const { config } = info;
  const user = config.User ?? '';
  if (user === '' || /^(0|root)(:|$)/.test(user)) {
    report.problems.push(`image user is "${user || '(unset: root)'}", not a non-root user`);
  }
  if (config.Entrypoint?.[0] !== 'node') {
    report.problems.push(
      `ENTRYPOINT is ${JSON.stringify(config.Entrypoint)}: node must be the process itself`,
    );
  }
  const labels = config.Labels ?? {};
  if (labels['org.opencontainers.image.revision'] !== commit) {
    report.problems.push(
      `label org.opencontainers.image.revision is "${labels['org.opencontainers.image.revision']}", expected ${commit}`,
    );
  }
  if (!labels['org.opencontainers.image.source']) {
    report.problems.push('label org.opencontainers.image.source is missing');
  }
  return [...(config.Entrypoint ?? []), ...(config.Cmd ?? [])];
}

function checkContents(buildah: Buildah, container: string, app: string, report: AppReport): void {
  const contents = runJsonInImage<AppContents>(buildah, container, [
    'node',
    '-e',
    appContentsScript,
  ]);
  report.contents = contents;
  if (contents.uid === 0) report.problems.push('the app runs as root (uid 0) inside the image');
  if (contents.bundleWritable)
    report.problems.push('the app user can overwrite /app/main.js or /app/bundle.js');
  if (!contents.compileCache.servesBundle)
    report.problems.push("the image's compile cache does not serve /app/bundle.js to its user");
  if (contents.compileCache.writable)
    report.problems.push("the app user can write to the image's compile cache");
  const pruned = readFileSync(join(workspaceRoot, 'apps', app, 'dist/package-lock.json'), 'utf8');
  if (JSON.stringify(JSON.parse(pruned)) !== JSON.stringify(contents.lockfile)) {
    report.problems.push(`/app/package-lock.json differs from apps/${app}/dist/package-lock.json`);
  }
  const migrationsContext = namedBuildContexts[app]?.['migrations'];
  if (migrationsContext) {
    const expected = readdirSync(join(workspaceRoot, migrationsContext))
      .filter((name) => existsSync(join(workspaceRoot, migrationsContext, name, 'migration.sql')))
      .sort();
    if (JSON.stringify(expected) !== JSON.stringify(contents.migrations)) {
      report.problems.push(
        `/app/prisma/migrations holds [${contents.migrations.join(', ')}], expected [${expected.join(', ')}]`,
      );
    }
  }
  const comparison = compareWithLockfile(contents.packages, contents.lockfile);
  report.packagesMatched = comparison.matched;
  if (!isExactProductionInstall(comparison)) {
    for (const [what, list] of Object.entries({
      'dev-only packages installed': comparison.devOnly,
      'packages not in the lockfile': comparison.unlisted,
      'production packages missing': comparison.missing,
      'packages at another version': comparison.wrongVersion,
    })) {
      if (list.length > 0) report.problems.push(`${what}: ${list.join(', ')}`);
    }
  }
}

function checkRun(transport: Transport, result: AppRunResult, report: AppReport): void {
  for (const [path, status] of Object.entries(result.probes)) {
    if (status !== 200)
      report.problems.push(`${transport}: GET ${path} answered ${status || 'nothing'}`);
  }
  if (result.exitCode !== 0) {
    report.problems.push(`${transport}: exited with ${result.exitCode} after SIGTERM`);
  }
  const jsonLines = result.output.filter((line) => {
    try {
      return typeof (JSON.parse(line) as { severity?: unknown }).severity === 'string';
    } catch {
      return false;
    }
  });
  if (jsonLines.length === 0) {
    report.problems.push(`${transport}: no JSON log line with a severity (Cloud Logging format)`);
  }
}

const smokeWebhookSecretKey = generateSealingKey();

/** The OIDC callers Terraform names on Cloud Run, without which /internal routes refuse to start. */
const internalCallerEnv: Record<string, Record<string, string>> = {
  api: {
    SCHEDULER_TICK_AUDIENCE: 'shelfwatch-smoke-api-scheduler',
    SCHEDULER_TICK_SERVICE_ACCOUNT: 'scheduler@shelfwatch-ci.iam.gserviceaccount.com',
  },
  scraper: {
    SCRAPER_INTERNAL_AUDIENCE: 'shelfwatch-smoke-scraper-internal',
    SCRAPER_INTERNAL_SERVICE_ACCOUNT: 'api@shelfwatch-ci.iam.gserviceaccount.com',
  },
};

/** The container environment of a Cloud Run revision of `app`, without transport settings. */
function cloudRunEnv(app: string, databaseUrl: string): Record<string, string> {
  return {
    DATABASE_URL: databaseUrl,
    // As on Cloud Run: K_SERVICE switches logs to Cloud Logging's JSON.
    K_SERVICE: app,
    K_REVISION: `${app}-smoke`,
    LOG_LEVEL: 'info',
    METADATA_SERVER_DETECTION: 'none',
    GOOGLE_CLOUD_PROJECT: projectId,
    // Secret Manager's webhook-secret-key on Cloud Run (the api and the notifier read it).
    WEBHOOK_SECRET_KEY: smokeWebhookSecretKey,
    ...internalCallerEnv[app],
  };
}

/**
 * The api image as the migrate job runs it (`args = ["migrate"]`): on an empty database it applies
 * every migration of /app/prisma/migrations; a second run applies nothing and succeeds too.
 */
async function checkMigrateJob(
  buildah: Buildah,
  container: string,
  command: string[],
  app: string,
  report: AppReport,
): Promise<void> {
  const database = await createTestDatabase(createPrismaClient);
  try {
    // The test database is a migrated clone; empty it so the job has everything to do.
    await database.prisma.$executeRawUnsafe('DROP SCHEMA public CASCADE');
    await database.prisma.$executeRawUnsafe('CREATE SCHEMA public');
    const expected = report.contents?.migrations.length ?? 0;
    const env = cloudRunEnv(app, database.url);
    const runJob = () =>
      runCaptured('buildah', buildah.runInContainerArgs(container, env, [...command, 'migrate']), {
        env: buildah.environment(),
      });
    const applied = async () =>
      Number(
        (
          await database.prisma.$queryRawUnsafe<Array<{ count: bigint }>>(
            'SELECT count(*) AS count FROM _prisma_migrations WHERE finished_at IS NOT NULL',
          )
        )[0]?.count ?? 0,
      );
    for (const attempt of ['first', 'second']) {
      const started = performance.now();
      const result = runJob();
      const ms = performance.now() - started;
      if (result.status !== 0) {
        report.problems.push(
          `migrate job (${attempt} run) exited with ${result.status}:\n      ${(result.stdout + result.stderr).trim().split('\n').slice(-20).join('\n      ')}`,
        );
        return;
      }
      const count = await applied();
      if (count !== expected) {
        report.problems.push(
          `migrate job (${attempt} run) left ${count} applied migrations, expected ${expected}`,
        );
        return;
      }
      if (attempt === 'first') report.migrate = { ms, applied: count };
    }
    log(
      `${app}: migrate job applied ${report.migrate?.applied} migrations in ${millis(report.migrate?.ms)}, then found nothing to do`,
    );
  } finally {
    await database.drop();
  }
}

async function smokeTestApp(options: {
  buildah: Buildah;
  app: string;
  built: BuiltImage;
  baseImage: string;
  layoutDir: string;
  database: TestDatabase<PrismaClient>;
  emulator: PubSubEmulator | undefined;
}): Promise<AppReport> {
  const { buildah, app, built } = options;
  const report: AppReport = { app, problems: [], runs: {} };
  const image = built.tags[0] as string;

  const command = checkImageConfig(buildah, built, report);
  const layers = buildah.inspectImage(image).layerSizes;
  const baseLayers = buildah.inspectImage(options.baseImage).layerSizes;
  report.imageBytes = sum(layers);
  report.baseBytes = sum(baseLayers);
  report.appLayerBytes = sum(layers.slice(baseLayers.length));
  const gzip = buildah.compressedLayerSizes(image, options.layoutDir, app);
  report.imageGzipBytes = sum(gzip);
  report.appLayerGzipBytes = sum(gzip.slice(baseLayers.length));

  const container = buildah.from(image, `smoke-${app}-${process.pid}`);
  try {
    checkContents(buildah, container, app, report);
    if (namedBuildContexts[app]?.['migrations']) {
      await checkMigrateJob(buildah, container, command, app, report);
    }
    const baselineStart = performance.now();
    runJsonInImage<number>(buildah, container, ['node', '-e', 'process.stdout.write("0")']);
    report.baselineMs = performance.now() - baselineStart;
    const transports: Transport[] = options.emulator ? ['postgres', 'pubsub'] : ['postgres'];
    for (const transport of transports) {
      const port = await findFreeLoopbackPort();
      const env: Record<string, string> = {
        PORT: String(port),
        ...cloudRunEnv(app, options.database.url),
        ...appSecrets[app],
        ...(transport === 'pubsub' && options.emulator
          ? {
              PUBSUB_EMULATOR_HOST: options.emulator.host,
              // As Terraform sets them: on Cloud Run messaging refuses Pub/Sub without push auth.
              PUBSUB_PUSH_AUDIENCE: `https://${app}.smoke-test.invalid`,
              PUBSUB_PUSH_SERVICE_ACCOUNT: `${app}-push@shelfwatch-ci.iam.gserviceaccount.com`,
            }
          : {}),
      };
      log(`${app}: starting over ${transport} on port ${port}`);
      try {
        const result = await runAppOnce({
          buildah,
          container,
          command,
          port,
          env,
          probes: appProbes[app] ?? [],
          probeHeaders: probeHeaders[app] ?? {},
        });
        report.runs[transport] = result;
        checkRun(transport, result, report);
        log(
          `${app}: ${transport}: ready ${millis(result.readyMs)} after buildah run, ${millis(result.nodeToReadyMs)} after node started; exited ${result.exitCode} ${millis(result.shutdownMs)} after SIGTERM`,
        );
      } catch (error) {
        const output = error instanceof AppRunError ? error.output : [];
        report.problems.push(
          `${transport}: ${error instanceof Error ? error.message : String(error)}\n      ${output.slice(-30).join('\n      ')}`,
        );
      }
    }
  } finally {
    buildah.removeContainer(container);
  }
  return report;
}

function printFigures(reports: AppReport[], buildMs: number, storageBytes: number): void {
  console.log(
    [
      '',
      'Container figures. Stand-in base, so image totals say little; "app layers" are everything',
      'above the base (what an app deploy adds); gz = gzip as a registry stores it. "ready" runs',
      'from spawning `buildah run` to the first 200 on /ready, "node->ready" from the start of the',
      'app\'s node process (container set up) to it; "node -e 0" is what `buildah run` plus Node',
      'start cost on their own in the same container.',
    ].join('\n'),
  );
  const header = [
    'app',
    'image',
    'image gz',
    'app layers',
    'app layers gz',
    'node_modules',
    'bundle',
    'ready (pg)',
    'ready (pubsub)',
    'node->ready (pg/pubsub)',
    'node -e 0',
    'SIGTERM->exit (pg/pubsub)',
  ];
  const rows = reports.map((report) => [
    report.app,
    megabytes(report.imageBytes),
    megabytes(report.imageGzipBytes),
    megabytes(report.appLayerBytes),
    megabytes(report.appLayerGzipBytes),
    megabytes(report.contents?.bytes.nodeModules),
    kilobytes(report.contents?.bytes.bundle),
    millis(report.runs.postgres?.readyMs),
    millis(report.runs.pubsub?.readyMs),
    `${millis(report.runs.postgres?.nodeToReadyMs)} / ${millis(report.runs.pubsub?.nodeToReadyMs)}`,
    millis(report.baselineMs),
    `${millis(report.runs.postgres?.shutdownMs)} / ${millis(report.runs.pubsub?.shutdownMs)}`,
  ]);
  const widths = header.map((title, column) =>
    Math.max(title.length, ...rows.map((row) => (row[column] ?? '').length)),
  );
  for (const row of [header, ...rows]) {
    console.log(row.map((cell, column) => cell.padEnd(widths[column] ?? 0)).join('  '));
  }
  const base = reports.find((report) => report.baseBytes !== undefined)?.baseBytes;
  console.log(
    `base ${megabytes(base)}; images built in ${(buildMs / 1000).toFixed(0)} s; buildah vfs storage peaked at ${megabytes(storageBytes)}`,
  );
  for (const report of reports) {
    if (report.migrate) {
      console.log(
        `${report.app}: migrate job applied ${report.migrate.applied} migrations to an empty database in ${millis(report.migrate.ms)} (buildah run included)`,
      );
    }
    if (report.packagesMatched !== undefined) {
      console.log(
        `${report.app}: ${report.packagesMatched} packages in node_modules, all production entries of the pruned lockfile; uid ${report.contents?.uid}`,
      );
    }
  }
}

async function main(): Promise<number> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: { affected: { type: 'boolean' }, keep: { type: 'boolean' } },
  });
  const inCi = process.env['CI'] === 'true';

  let apps = positionals.length > 0 ? positionals : appsWithDockerfile(workspaceRoot);
  if (values.affected && positionals.length === 0) {
    const selection = appsAffectedSincePreviousCommit(workspaceRoot);
    log(`${selection.reason}: ${selection.apps.join(', ') || 'none'}`);
    apps = selection.apps;
  }
  if (apps.length === 0) {
    log('no app image to test');
    return 0;
  }
  if (!Buildah.available()) {
    const reason = 'buildah is not installed (apt-get install -y buildah)';
    if (inCi) {
      console.error(`[smoke] FAILED: ${reason}; CI=true requires it`);
      return 1;
    }
    log(`skipped: ${reason}`);
    return 0;
  }
  const emulatorAvailability = pubSubEmulatorAvailability();
  if (!emulatorAvailability.available) {
    if (inCi) {
      console.error(`[smoke] FAILED: ${emulatorAvailability.reason}; CI=true requires it`);
      return 1;
    }
    log(`Pub/Sub runs skipped: ${emulatorAvailability.reason}`);
  }

  const keptStorage = process.env['SHELFWATCH_BUILDAH_STORAGE'];
  const storageDir = keptStorage || mkdtempSync('/var/tmp/shelfwatch-buildah-');
  const buildah = new Buildah(storageDir);
  const layoutDir = mkdtempSync('/var/tmp/shelfwatch-oci-');
  const reports: AppReport[] = [];
  let storagePeak = 0;
  let emulator: PubSubEmulator | undefined;
  let database: TestDatabase<PrismaClient> | undefined;
  try {
    const dockerfileOf = (app: string) => join(workspaceRoot, 'apps', app, 'Dockerfile');
    const baseImages = new Set(apps.map((app) => baseImageOf(dockerfileOf(app))));
    for (const baseImage of baseImages) {
      const base = ensureStandInBaseImage(buildah, baseImage);
      log(
        `${base.created ? 'assembled stand-in' : 'reusing'} base ${base.tag} (Node ${base.nodeVersion})`,
      );
    }

    log(`building ${apps.join(', ')} through nx docker-build with buildah (vfs, chroot)`);
    for (const app of apps)
      rmSync(builtImageFile(join(workspaceRoot, 'apps', app)), { force: true });
    const buildStart = performance.now();
    const status = await runInherited(
      join(workspaceRoot, 'node_modules/.bin/nx'),
      ['run-many', '-t', 'docker-build', '-p', ...apps, '--parallel=1', '--outputStyle=stream'],
      {
        cwd: workspaceRoot,
        env: buildah.environment({
          ...process.env,
          NX_DAEMON: 'false',
          NX_NO_CLOUD: 'true',
          NX_TUI: 'false',
        }),
      },
    );
    const buildMs = performance.now() - buildStart;
    if (status !== 0) {
      console.error(`[smoke] FAILED: nx docker-build exited with ${status}`);
      return 1;
    }
    storagePeak = du(storageDir);

    await testDatabaseGlobalSetup({ prepareTemplate: (url) => applyMigrations(url) });
    database = await createTestDatabase(createPrismaClient);
    log('test database migrated (applyMigrations on the template)');
    if (emulatorAvailability.available) {
      emulator = await startPubSubEmulator({ projectId });
      log(`Pub/Sub emulator on ${emulator.host}`);
    }

    for (const app of apps) {
      const built = readBuiltImage(join(workspaceRoot, 'apps', app));
      if (!built) throw new Error(`nx run ${app}:docker-build left no dist/image.json`);
      log(`${app}: testing ${built.tags[0]}`);
      const report = await smokeTestApp({
        buildah,
        app,
        built,
        baseImage: baseImageOf(dockerfileOf(app)),
        layoutDir,
        database,
        emulator,
      });
      storagePeak = Math.max(storagePeak, du(storageDir));
      reports.push(report);
    }
    printFigures(reports, buildMs, storagePeak);
  } finally {
    await emulator?.stop();
    await database?.drop().catch(() => undefined);
    await testDatabaseGlobalTeardown();
    rmSync(layoutDir, { recursive: true, force: true });
    if (!keptStorage && !values.keep) buildah.destroy();
    else log(`buildah storage kept in ${storageDir}`);
  }

  const failed = reports.filter((report) => report.problems.length > 0);
  for (const report of failed) {
    console.error(`[smoke] ${report.app} FAILED:\n  - ${report.problems.join('\n  - ')}`);
  }
  if (failed.length === 0) log(`passed: ${reports.map((report) => report.app).join(', ')}`);
  return failed.length === 0 ? 0 : 1;
}

main().then(
  (status) => process.exit(status),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
