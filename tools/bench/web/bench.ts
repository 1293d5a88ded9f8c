/**
 * Dashboard benchmark: prints figures, asserts nothing.
 *
 *   npx nx run web:build && npx tsx tools/bench/web/bench.ts [--runs=5]
 *
 * - The production bundle: each file of apps/web/dist/assets raw and gzip (level 6, what a server
 *   sends), and the total a first visit downloads.
 * - The api (from source, serving the build under /) on an embedded PostgreSQL holding one watched
 *   product with 365 daily points and one with 20,000 points (an observation every 30 minutes).
 *   Chromium (playwright-core) signs in and opens each product page `runs` times: time to first
 *   chart (the chart's `shelfwatch:chart-first-draw` mark: navigation start → first uPlot draw,
 *   fetching every price page included), first and largest contentful paint, cumulative layout
 *   shift; then the frame times while the page switches range presets and drag-zooms (rAF
 *   intervals, and long animation frames from the performance timeline). Medians over the runs.
 */
import { gzipSync } from 'node:zlib';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { newId } from '@shelfwatch/contracts';
import { createPrismaClient, Prisma, type PrismaClient } from '@shelfwatch/db';
import {
  createTestDatabase,
  findFreeLoopbackPort,
  testDatabaseGlobalSetup,
  testDatabaseGlobalTeardown,
} from '@shelfwatch/testing';
import { applyMigrations } from '@shelfwatch/db';
import type { Page } from 'playwright-core';
import { launchChromium } from '../../browser/chromium';
import { createAccountWithCli } from '../../dev/accounts-cli';
import { spawnApp, waitUntilReady, workspaceRoot } from '../../dev/app-process';
import { median } from '../stats';

const webDist = join(workspaceRoot, 'apps/web/dist');

const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
};
const kB = (bytes: number) => `${(bytes / 1024).toFixed(1)} kB`;
const ms = (value: number) => `${value.toFixed(1)} ms`;

function bundleFigures(): void {
  const assets = join(webDist, 'assets');
  let raw = 0;
  let gzip = 0;
  console.log('Production bundle (apps/web/dist):');
  for (const name of readdirSync(assets).sort()) {
    const bytes = readFileSync(join(assets, name));
    const zipped = gzipSync(bytes, { level: 6 }).length;
    raw += bytes.length;
    gzip += zipped;
    console.log(
      `  ${name.padEnd(28)} ${kB(bytes.length).padStart(10)} raw ${kB(zipped).padStart(10)} gzip`,
    );
  }
  const index = statSync(join(webDist, 'index.html')).size;
  console.log(
    `  total assets                 ${kB(raw).padStart(10)} raw ${kB(gzip).padStart(10)} gzip (+ index.html ${index} B)`,
  );
}

/** A watched product with `count` price points, `stepMinutes` apart, ending now. */
async function seedProduct(
  prisma: PrismaClient,
  accountId: string,
  name: string,
  count: number,
  stepMinutes: number,
): Promise<string> {
  const targetId = newId();
  const url = `https://bench.example/products/${targetId}`;
  await prisma.target.create({
    data: {
      id: targetId,
      url,
      host: 'bench.example',
      kind: 'product',
      checkIntervalSeconds: 3600,
      status: 'paused',
    },
  });
  await prisma.watch.create({
    data: {
      id: newId(),
      accountId,
      targetId,
      checkIntervalSeconds: 3600,
      alertKinds: ['price_drop', 'price_rise'],
    },
  });
  const runId = newId();
  await prisma.scrapeRun.create({ data: { id: runId, targetId, status: 'succeeded' } });
  const productId = newId();
  const end = Date.now();
  const at = (index: number) => new Date(end - (count - 1 - index) * stepMinutes * 60_000);
  // A random walk with a sale now and then and a few weeks out of stock.
  let price = 100;
  const rows: Prisma.PricePointCreateManyInput[] = [];
  for (let index = 0; index < count; index++) {
    if (Math.random() < 0.05) price = Math.max(20, price * (1 + (Math.random() - 0.5) * 0.2));
    const outOfStock = Math.floor(index / (count / 12)) % 5 === 3;
    rows.push({
      id: newId(),
      productId,
      runId,
      observedAt: at(index),
      amount: new Prisma.Decimal(price.toFixed(2)),
      currency: 'EUR',
      listPrice: index % 7 === 0 ? new Prisma.Decimal('120.00') : null,
      availability: outOfStock ? 'OutOfStock' : 'InStock',
      sourceEventId: newId(),
    });
  }
  await prisma.product.create({
    data: {
      id: productId,
      targetId,
      url,
      canonicalUrl: url,
      variantKey: '',
      host: 'bench.example',
      name,
      currency: 'EUR',
      latestPrice: new Prisma.Decimal(price.toFixed(2)),
      latestAvailability: 'InStock',
      latestObservedAt: at(count - 1),
      firstSeenAt: at(0),
    },
  });
  for (let start = 0; start < rows.length; start += 5000)
    await prisma.pricePoint.createMany({ data: rows.slice(start, start + 5000) });
  return productId;
}

interface PageRun {
  firstChartMs: number;
  fcpMs: number;
  lcpMs: number;
  cls: number;
  frameMedianMs: number;
  frameP95Ms: number;
  frameMaxMs: number;
  longFrames: number;
}

/** Opens the product page fresh, waits for the chart, then drives presets and a drag zoom. */
async function measureProductPage(page: Page, url: string): Promise<PageRun> {
  await page.addInitScript(() => {
    const w = window as unknown as { __lcp: number; __cls: number; __loaf: number[] };
    w.__lcp = 0;
    w.__cls = 0;
    w.__loaf = [];
    new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) w.__lcp = entry.startTime;
    }).observe({ type: 'largest-contentful-paint', buffered: true });
    new PerformanceObserver((list) => {
      for (const entry of list.getEntries() as unknown as Array<{
        value: number;
        hadRecentInput: boolean;
      }>)
        if (!entry.hadRecentInput) w.__cls += entry.value;
    }).observe({ type: 'layout-shift', buffered: true });
    new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) w.__loaf.push(entry.duration);
    }).observe({ type: 'long-animation-frame', buffered: true });
  });
  await page.goto(url);
  await page.waitForFunction(
    () => performance.getEntriesByName('shelfwatch:chart-first-draw').length > 0,
    undefined,
    {
      timeout: 120_000,
    },
  );
  const firstChartMs = await page.evaluate(
    () => performance.getEntriesByName('shelfwatch:chart-first-draw')[0]!.startTime,
  );
  // LCP is final once the person interacts; read it (and CLS) before the drive below.
  await page.waitForTimeout(500);
  const paints = await page.evaluate(() => {
    const w = window as unknown as { __lcp: number; __cls: number };
    const fcp = performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? NaN;
    return { fcp, lcp: w.__lcp, cls: w.__cls };
  });
  // A string, not a function: tsx would wrap a named inner function in a helper the page lacks.
  await page.evaluate(`(() => {
    window.__frames = [];
    window.__recording = true;
    window.__loaf = [];
    let last = performance.now();
    const tick = (now) => {
      window.__frames.push(now - last);
      last = now;
      if (window.__recording) requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
  })()`);
  const chart = page.locator('[data-testid=price-chart] .u-over');
  const box = (await chart.boundingBox())!;
  for (const preset of ['7d', '30d', '1y', 'all', '30d', 'all']) {
    await page.getByRole('button', { name: preset, exact: true }).click();
    await page.waitForTimeout(150);
  }
  for (let drag = 0; drag < 3; drag++) {
    await page.mouse.move(box.x + box.width * 0.2, box.y + box.height / 2);
    await page.mouse.down();
    for (let step = 1; step <= 20; step++)
      await page.mouse.move(box.x + box.width * (0.2 + step * 0.03), box.y + box.height / 2);
    await page.mouse.up();
    await page.waitForTimeout(150);
    await page.mouse.dblclick(box.x + box.width / 2, box.y + box.height / 2);
    await page.waitForTimeout(150);
  }
  const frames = await page.evaluate(() => {
    const w = window as unknown as { __frames: number[]; __recording: boolean; __loaf: number[] };
    w.__recording = false;
    return { frames: w.__frames.slice(1), loaf: w.__loaf };
  });
  return {
    firstChartMs,
    fcpMs: paints.fcp,
    lcpMs: paints.lcp,
    cls: paints.cls,
    frameMedianMs: median(frames.frames),
    frameP95Ms: percentile(frames.frames, 95),
    frameMaxMs: Math.max(...frames.frames),
    longFrames: frames.loaf.length,
  };
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { runs: { type: 'string', default: '5' } } });
  const runs = Number(values.runs);
  if (!existsSync(join(webDist, 'index.html'))) {
    console.error('apps/web/dist is missing: run `npx nx run web:build` first');
    process.exit(2);
  }
  bundleFigures();

  await testDatabaseGlobalSetup({ prepareTemplate: (url) => applyMigrations(url) });
  const database = await createTestDatabase(createPrismaClient);
  const port = await findFreeLoopbackPort();
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    DATABASE_URL: database.url,
    WEB_DIST_DIR: webDist,
    SCHEDULER_MODE: 'off',
    LOG_LEVEL: 'warn',
    METADATA_SERVER_DETECTION: 'none',
    GOOGLE_CLOUD_PROJECT: process.env['GOOGLE_CLOUD_PROJECT'] ?? 'shelfwatch-bench',
    RATE_LIMIT_PER_KEY: '100000',
    RATE_LIMIT_PER_ACCOUNT: '100000',
  };
  const api = spawnApp('api', { port, env });
  const browser = await launchChromium();
  try {
    await waitUntilReady(api, 120_000);
    const account = await createAccountWithCli(env, {
      email: 'bench@shelfwatch.local',
      name: 'bench',
    });
    const seeded = {
      'year of daily points (365)': await seedProduct(
        database.prisma,
        account.accountId,
        'A year, daily',
        365,
        1440,
      ),
      'dense series (20,000 points)': await seedProduct(
        database.prisma,
        account.accountId,
        'Dense, every 30 min',
        20_000,
        30,
      ),
    };
    console.log(
      `\nProduct page in Chromium ${browser.version()} (headless, 1280x800), median of ${runs} cold loads each:`,
    );
    console.log(
      '  series                        first chart     FCP      LCP     CLS   frame median  p95    max    long frames',
    );
    for (const [label, productId] of Object.entries(seeded)) {
      const results: PageRun[] = [];
      for (let run = 0; run < runs; run++) {
        const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
        const page = await context.newPage();
        await page.goto(`${api.url}/`);
        await page.getByLabel('Email').fill(account.email);
        await page.getByLabel('Password').fill(account.password!);
        await page.getByRole('button', { name: 'Sign in' }).click();
        await page.getByRole('heading', { name: 'Watches', level: 1 }).waitFor();
        results.push(await measureProductPage(page, `${api.url}/products/${productId}`));
        await context.close();
      }
      const m = (key: keyof PageRun) => median(results.map((result) => result[key]));
      console.log(
        `  ${label.padEnd(29)} ${ms(m('firstChartMs')).padStart(10)} ${ms(m('fcpMs')).padStart(8)} ${ms(m('lcpMs')).padStart(8)} ${m('cls').toFixed(3).padStart(6)} ${ms(m('frameMedianMs')).padStart(10)} ${ms(m('frameP95Ms')).padStart(7)} ${ms(m('frameMaxMs')).padStart(7)} ${String(m('longFrames')).padStart(6)}`,
      );
    }
    console.log(
      '\nfirst chart: navigation start to the first uPlot draw, including sign-in restore and every price page (1000 points each);',
    );
    console.log(
      'frames: requestAnimationFrame intervals while clicking the 4 presets and drag-zooming 3 times (16.7 ms = 60 fps);',
    );
    console.log(
      'long frames: long-animation-frame entries (> 50 ms) during that drive. One shared 2-core machine: indicative, not absolute.',
    );
  } finally {
    await browser.close();
    await api.stop();
    await database.drop();
    await testDatabaseGlobalTeardown();
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
