#!/usr/bin/env node
// `npx shelfwatch`: one command for the workspace. Each app keeps its own command line (the api:
// `accounts`, run through tools/dev/accounts-cli.ts for the local database; the scraper:
// extraction and `fetch`; `webhooks listen`, a local receiver that verifies signatures); this
// only picks which one runs. Sources run directly (workspace
// libraries resolve to src/), as `npx tsx` does.
require('tsx/cjs');
const path = require('node:path');

const root = path.resolve(__dirname, '../..');
if (process.argv[2] === 'accounts') {
  const { runAccountsCommand } = require(path.join(root, 'tools', 'dev', 'accounts-cli.ts'));
  runAccountsCommand(process.argv.slice(3)).then(
    (code) => process.exit(code),
    (error) => {
      console.error(error);
      process.exit(1);
    },
  );
} else if (process.argv[2] === 'webhooks') {
  const { runWebhooksCommand } = require(path.join(root, 'tools', 'dev', 'webhook-listener.ts'));
  runWebhooksCommand(process.argv.slice(3)).then(
    (code) => process.exit(code),
    (error) => {
      console.error(error);
      process.exit(1);
    },
  );
} else require(path.join(root, 'apps', 'scraper', 'src', 'cli', 'main.ts'));
