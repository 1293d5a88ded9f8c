import { generateSealingKey } from '@shelfwatch/db';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { localPostgresDataDir } from './local-database';

/**
 * The local webhook sealing key: generated once into `.data/webhook-secret-key` (git-ignored, mode
 * 0600) and reused, so secrets stored by one `npm start` still open on the next. In the cloud the
 * key comes from Secret Manager instead.
 */
export function localWebhookSecretKey(env: NodeJS.ProcessEnv = process.env): string {
  const file = join(dirname(localPostgresDataDir(env)), 'webhook-secret-key');
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  mkdirSync(dirname(file), { recursive: true });
  const key = generateSealingKey();
  writeFileSync(file, `${key}\n`, { mode: 0o600 });
  chmodSync(file, 0o600);
  return key;
}

/**
 * What the api and the notifier need for webhooks in the local configuration: the sealing key,
 * plain http, and loopback receivers through the same explicit allow-list the scraper gets for the
 * demo shop. Values already in `env` win.
 */
export function localWebhookEnv(env: NodeJS.ProcessEnv, allowHosts: string): NodeJS.ProcessEnv {
  return {
    WEBHOOK_SECRET_KEY: env.WEBHOOK_SECRET_KEY ?? localWebhookSecretKey(env),
    WEBHOOK_ALLOW_HOSTS: env.WEBHOOK_ALLOW_HOSTS ?? allowHosts,
    WEBHOOK_ALLOW_HTTP: env.WEBHOOK_ALLOW_HTTP ?? 'true',
  };
}
