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
 * and see the chart draw it, set a rule, receive the alert it raises in the feed, create and
 * revoke an API key, sign out. Every page passes axe with no serious or critical violation and
 * leaves a screenshot in e2e/artifacts/web; any console error or failed request fails the test.
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
    stack = await startLocalStack();
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
