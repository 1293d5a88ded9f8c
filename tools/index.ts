// What the end-to-end suites (e2e/) use of the tools: the local stack (app launcher, demo shop)
// and the affected-image selection the workspace suites check in a clone.
export {
  appNames,
  spawnApp,
  waitUntilReady,
  workspaceRoot,
  type AppName,
  type AppProcess,
} from './dev/app-process';
export { catalog, type CatalogProduct } from './demo-shop/catalog';
export { decimalPrice, quoteAt } from './demo-shop/market';
export { startDemoShop, type DemoShop, type DemoShopOptions } from './demo-shop/server';
export { waitForLocalDatabase } from './dev/local-database';
export { localPorts, type LocalPorts } from './dev/local-ports';
export { localMailDir } from './dev/local-mail';
export { createAccountWithCli, type CliAccount } from './dev/accounts-cli';
export {
  startWebhookListener,
  type VerifiedDelivery,
  type WebhookListener,
} from './dev/webhook-listener';
export { localWebhookEnv } from './dev/webhook-settings';
export { chromiumPath, launchChromium } from './browser/chromium';
export { affectedImageProjects, appsAffectedSincePreviousCommit } from './container/affected-apps';
