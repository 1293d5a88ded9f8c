import type { Browser, BrowserContext, Page } from 'playwright-core';
import {
  catalog,
  launchChromium,
  quoteAt,
  startDemoShop,
  startWebhookListener,
  type DemoShop,
  type WebhookListener,
} from '@shelfwatch/tools';
import { findFreeLoopbackPort } from '@shelfwatch/testing';
import { accessibilityViolations, screenshot, watchedPage, type WatchedPage } from './browser';
import { startLocalStack, type RunningStack } from './stack';

/*
 * The dashboard in a real Chromium against `npm start`'s stack: sign in with the demo account,
 * add a demo product by URL (seeing what was extracted first), wait for its second price point
 * and see the chart and the row's sparkline draw it, pause and resume the watch, set a rule,
 * receive the alert it raises in the feed, add webhooks with filters and resend a dead delivery,
 * edit an email recipient, create and revoke an API key, sign out. Every page passes axe with no serious or critical violation and
 * leaves a screenshot in e2e/artifacts/web; any console error or failed request fails the test.
 *
 * @long-running 200 (about the seconds it takes alone: the suites' order, ADR 0035)
 */
const product = catalog.find((item) => item.markup === 'json-ld')!;

describe('the dashboard in Chromium on the local stack', () => {
  let stack: RunningStack;
  let shop: DemoShop;
  let browser: Browser;
  let context: BrowserContext;
  let watched: WatchedPage;
  let page: Page;
  let listener: WebhookListener | undefined;

  beforeAll(async () => {
    // A still clock: prices move only when the test advances it.
    shop = await startDemoShop({ port: 0, epochMs: 24 * 3600_000 });
    // Five quick tries: a delivery to an endpoint that is down is dead within seconds.
    stack = await startLocalStack({
      env: {
        NOTIFIER_MAX_ATTEMPTS: '5',
        NOTIFIER_MIN_BACKOFF_SECONDS: '1',
        NOTIFIER_MAX_BACKOFF_SECONDS: '1',
      },
    });
    browser = await launchChromium();
    context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    watched = await watchedPage(context, new URL(stack.dashboardUrl).origin);
    page = watched.page;
  }, 240_000);

  afterAll(async () => {
    await browser?.close();
    await listener?.close();
    await stack?.stop();
    await shop?.close();
  });

  afterEach(() => {
    // Each step leaves the browser without errors; report them with the step that caused them.
    expect(watched.problems).toEqual([]);
  });

  async function checkPage(name: string): Promise<void> {
    await screenshot(page, name);
    expect({ page: name, violations: await accessibilityViolations(page) }).toEqual({
      page: name,
      violations: [],
    });
  }

  it('opens on the sign-in page and signs the demo account in', async () => {
    await page.goto(stack.dashboardUrl);
    await page.getByRole('heading', { name: 'Sign in to shelfwatch' }).waitFor();
    await checkPage('sign-in');

    await page.getByLabel('Email').fill(stack.email);
    await page.getByLabel('Password').fill(stack.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Watches', level: 1 }).waitFor();
    await page.getByText('You are not watching anything yet.').waitFor();
    await checkPage('watches-empty');
  });

  it('reaches the content with the keyboard first', async () => {
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Skip to content');
    await page.keyboard.press('Enter');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('main');
  });

  it('adds a demo product by URL and shows what was extracted before keeping it', async () => {
    await page.getByLabel('Product page URL').fill(`${shop.url}/products/${product.slug}`);
    await page.getByLabel('Labels', { exact: true }).fill('e2e, kitchen');
    await page.getByLabel('Check every').selectOption({ label: '1 min' });
    await page.getByRole('button', { name: 'Add and check' }).click();
    const preview = page.getByTestId('add-watch-preview');
    await preview.getByText('Found on the page:').waitFor({ timeout: 60_000 });
    expect(await preview.textContent()).toContain(product.name);
    await checkPage('add-watch-preview');
    await page.getByRole('button', { name: 'Keep watching' }).click();
    await page
      .getByRole('link', { name: new RegExp(product.name) })
      .first()
      .waitFor();
    await checkPage('watches');
  });

  it('is readable at 360 px without sideways scrolling', async () => {
    await page.setViewportSize({ width: 360, height: 780 });
    await page
      .getByRole('link', { name: new RegExp(product.name) })
      .first()
      .waitFor();
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(
      360,
    );
    await checkPage('watches-360');
    await page.setViewportSize({ width: 1280, height: 900 });
  });

  it('draws the price history once the second price point has arrived', async () => {
    await page
      .getByRole('link', { name: new RegExp(product.name) })
      .first()
      .click();
    await page.getByRole('heading', { name: 'Price history' }).waitFor();
    // The second check comes a minute after the first; the page refreshes its data on its own.
    await page.waitForFunction(
      () =>
        Number(document.querySelector('[data-testid=price-chart]')?.getAttribute('data-drawn')) >=
        2,
      undefined,
      { timeout: 150_000, polling: 1000 },
    );
    const canvas = page.locator('[data-testid=price-chart] canvas');
    expect(await canvas.count()).toBe(1);
    expect(await page.getByRole('table').locator('tbody tr').count()).toBeGreaterThanOrEqual(2);
    await page.getByRole('button', { name: '7d' }).click();
    expect(await page.getByRole('button', { name: '7d' }).getAttribute('aria-pressed')).toBe(
      'true',
    );
    await checkPage('product');
  });

  it('draws every row’s sparkline from the one watch-list request and pauses and resumes a watch', async () => {
    const requests: string[] = [];
    const record = (request: { url(): string }) => requests.push(request.url());
    page.on('request', record);
    await page.getByRole('link', { name: 'Watches' }).click();
    const row = page.getByRole('row').filter({ hasText: product.name }).first();
    // Two checks so far: the sparkline draws both, with no price-history request per row.
    await row.getByRole('img', { name: /: [2-9]\d* prices in the last 30 days$/ }).waitFor();
    expect(await row.locator('svg.sparkline path').getAttribute('d')).toMatch(/^M[\d.]+,[\d.]+L/);
    expect(requests.filter((url) => /\/v1\/watches\?.*include=sparkline/.test(url))).not.toEqual(
      [],
    );
    expect(requests.filter((url) => /\/v1\/products\/[^/]+\/prices/.test(url))).toEqual([]);
    page.off('request', record);

    await row.getByRole('button', { name: `Pause ${product.name}` }).click();
    await row.getByText('Paused by you').waitFor();
    await checkPage('watches-paused');
    // Resume with the keyboard alone.
    await row.getByRole('button', { name: `Resume ${product.name}` }).focus();
    await page.keyboard.press('Enter');
    await row.getByRole('button', { name: `Pause ${product.name}` }).waitFor();
    expect(await row.getByText('Paused by you').count()).toBe(0);

    // The watch's own page pauses and resumes too, and says what a pause means.
    await page
      .getByRole('link', { name: `Edit ${product.name}` })
      .first()
      .click();
    await page.getByRole('heading', { name: 'Edit watch' }).waitFor();
    await page.getByRole('button', { name: 'Pause this watch' }).click();
    await page
      .getByText('Paused: not checked for you and no alerts until you resume it.')
      .waitFor();
    await page.getByText('Paused by you').waitFor();
    await page.getByRole('button', { name: 'Resume this watch' }).click();
    await page.getByRole('button', { name: 'Pause this watch' }).waitFor();
  });

  it('sets a rule on the watch and receives the alert it raises in the feed', async () => {
    await page.getByRole('link', { name: 'Watches' }).click();
    await page
      .getByRole('link', { name: `Edit ${product.name}` })
      .first()
      .click();
    await page.getByRole('heading', { name: 'Edit watch' }).waitFor();
    await page.getByLabel('Least change (%)').fill('1');
    for (const kind of ['Target price reached', 'Back in stock', 'Out of stock', 'New product'])
      await page.getByLabel(kind).uncheck();
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByRole('status').filter({ hasText: 'Saved.' }).waitFor();
    await checkPage('watch-edit');

    // Move the shop's clock to the next epoch whose price differs by at least 1 %.
    const now = quoteAt(product, shop.epoch()).priceMinor;
    let ahead = 1;
    while (Math.abs(quoteAt(product, shop.epoch() + ahead).priceMinor - now) / now < 0.01) ahead++;
    const next = quoteAt(product, shop.epoch() + ahead).priceMinor;
    shop.advance(ahead);
    const kind = next < now ? 'Price drop' : 'Price rise';

    await page.getByRole('link', { name: 'Alerts' }).click();
    await page.getByRole('heading', { name: 'Alerts' }).waitFor();
    await page.getByLabel('Kind').selectOption({ label: kind });
    await page
      .locator('.alert-list li')
      .filter({ hasText: kind })
      .first()
      .waitFor({ timeout: 150_000 });
    const kinds = await page.locator('.alert-list .alert-kind').allTextContents();
    expect(new Set(kinds)).toEqual(new Set([kind]));
    await checkPage('alerts');
  });

  it('adds a webhook, shows its secret once, pings it and lists the delivery', async () => {
    await page.getByRole('link', { name: 'Notifications' }).click();
    await page.getByRole('heading', { name: 'Notifications', level: 1 }).waitFor();
    await page.getByText('No webhooks yet.').waitFor();
    const port = await findFreeLoopbackPort();
    await page.getByLabel('Endpoint URL').fill(`http://127.0.0.1:${port}/hooks/shelfwatch`);
    await page.getByRole('button', { name: 'Add webhook' }).click();
    const secret = await page.getByTestId('webhook-secret').locator('code').textContent();
    expect(secret).toMatch(/^whsec_/);
    // The receiver verifies every delivery's signature with the secret the page showed.
    listener = await startWebhookListener({ secret: secret!, port });
    await page.getByRole('button', { name: 'I have stored it' }).click();
    await page.getByRole('button', { name: 'Send test ping' }).click();
    await page
      .getByTestId('webhook')
      .getByRole('row')
      .filter({ hasText: 'delivered' })
      .first()
      .waitFor({ timeout: 90_000 });
    expect(listener.verified.length).toBeGreaterThanOrEqual(1);
    expect(listener.rejected).toEqual([]);

    await page.getByLabel('Email address').fill('ada@example.com');
    await page.getByRole('button', { name: 'Add address' }).click();
    await page
      .getByTestId('email-recipient')
      .filter({ hasText: 'ada@example.com' })
      .getByText('waiting for confirmation')
      .waitFor();
    await checkPage('notifications');
  });

  it('adds a webhook with kind and label filters, edits them, and resends a dead delivery', async () => {
    const port = await findFreeLoopbackPort();
    const url = `http://127.0.0.1:${port}/hooks/down`;
    const add = page.getByRole('form', { name: 'Add a webhook' });
    await add.getByLabel('Endpoint URL').fill(url);
    for (const kind of ['Target price reached', 'Back in stock', 'Out of stock', 'New product'])
      await add.getByLabel(kind).uncheck();
    await add.getByLabel('Only watches labelled (optional)').fill('kitchen');
    await add.getByRole('button', { name: 'Add webhook' }).click();
    const secret = await page.getByTestId('webhook-secret').locator('code').textContent();
    await page.getByRole('button', { name: 'I have stored it' }).click();
    const item = page.getByTestId('webhook').filter({ hasText: url });
    await item.getByText('Price drop, Price rise, label “kitchen”').waitFor();

    await item.getByRole('button', { name: 'Edit filters' }).click();
    const filters = page.getByRole('form', { name: `Filters of ${url}` });
    await filters.getByLabel('Price rise').uncheck();
    await filters.getByLabel('Only watches labelled (optional)').fill('');
    await filters.getByRole('button', { name: 'Save filters' }).click();
    await item
      .locator('p.hint')
      .filter({ hasText: /^Price drop$/ })
      .waitFor();

    // Nothing listens on the port yet: the ping's five quick tries fail and it is dead.
    await item.getByRole('button', { name: 'Send test ping' }).click();
    const dead = item.getByRole('row').filter({ hasText: 'dead' }).first();
    await dead.waitFor({ timeout: 90_000 });
    await checkPage('notifications-dead-delivery');
    const down = await startWebhookListener({ secret: secret!, port });
    try {
      await dead.getByRole('button', { name: /^Send again: the webhook\.ping of / }).click();
      await item
        .getByRole('row')
        .filter({ hasText: 'delivered' })
        .first()
        .waitFor({ timeout: 60_000 });
      expect(down.verified.length).toBeGreaterThanOrEqual(1);
      expect(down.rejected).toEqual([]);
    } finally {
      await down.close();
    }
  });

  it('edits an email recipient’s filters and switches it to a digest', async () => {
    const recipient = page.getByTestId('email-recipient').filter({ hasText: 'ada@example.com' });
    await recipient.getByRole('button', { name: 'Edit ada@example.com' }).click();
    const form = page.getByRole('form', { name: 'Settings of ada@example.com' });
    await form.getByLabel('Only watches labelled (optional)').fill('kitchen');
    await form.getByLabel('One digest mail').check();
    await form.getByLabel('every (minutes)').fill('30');
    await form.getByRole('button', { name: 'Save' }).click();
    await recipient.getByText(/A digest every 30 min; Every alert kind, label “kitchen”/).waitFor();
    expect(await form.count()).toBe(0);

    await page.setViewportSize({ width: 360, height: 780 });
    await recipient.getByRole('button', { name: 'Edit ada@example.com' }).click();
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(
      360,
    );
    await checkPage('notifications-360');
    await page
      .getByRole('form', { name: 'Settings of ada@example.com' })
      .getByRole('button', { name: 'Cancel' })
      .click();
    await page.setViewportSize({ width: 1280, height: 900 });
  });

  it('creates an API key, shows it once, and revokes it', async () => {
    await page.getByRole('link', { name: 'Settings' }).click();
    await page.getByRole('heading', { name: 'API keys' }).waitFor();
    await page.getByLabel('Name').fill('e2e export');
    await page.getByRole('button', { name: 'Create key' }).click();
    const secret = await page.getByTestId('new-key').locator('code').textContent();
    expect(secret).toMatch(/^sw_[a-z2-7]{12}_[A-Za-z0-9_-]{43}$/);
    const origin = new URL(stack.dashboardUrl).origin;
    const withKey = () =>
      fetch(`${origin}/v1/watches`, { headers: { authorization: `Bearer ${secret}` } });
    expect((await withKey()).status).toBe(200);
    await checkPage('settings');

    await page.getByRole('button', { name: 'I have stored it' }).click();
    expect(await page.getByTestId('new-key').count()).toBe(0);
    await page.getByRole('button', { name: 'Revoke e2e export' }).click();
    await page
      .getByRole('row', { name: /e2e export/ })
      .getByText(/^revoked/)
      .waitFor();
    expect((await withKey()).status).toBe(401);
  });

  it('signs out back to the sign-in page', async () => {
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('heading', { name: 'Sign in to shelfwatch' }).waitFor();
    await page.reload();
    await page.getByRole('heading', { name: 'Sign in to shelfwatch' }).waitFor();
  });
});
