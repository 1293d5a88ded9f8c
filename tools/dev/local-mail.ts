import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { startSmtpServer, type LocalSmtpServer } from '@shelfwatch/testing';
import { localPostgresDataDir } from './local-database';

/** Where `npm start` keeps every mail the apps send: one `.eml` per message (git-ignored). */
export function localMailDir(env: NodeJS.ProcessEnv = process.env): string {
  return join(dirname(localPostgresDataDir(env)), 'mail');
}

/**
 * The secret that signs unsubscribe links, made once and kept beside the local data, so links in
 * mail from an earlier run keep working. In the cloud it comes from Secret Manager.
 */
export function localEmailLinkSecret(env: NodeJS.ProcessEnv = process.env): string {
  const file = join(dirname(localPostgresDataDir(env)), 'email-link-secret');
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  const secret = randomBytes(32).toString('base64url');
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, `${secret}\n`, { mode: 0o600 });
  return secret;
}

/** The mail settings every local app gets, unless the shell sets its own. */
export function localMailEnv(env: NodeJS.ProcessEnv, smtpUrl: string): NodeJS.ProcessEnv {
  return {
    SMTP_URL: env.SMTP_URL ?? smtpUrl,
    MAIL_FROM: env.MAIL_FROM ?? 'shelfwatch <alerts@shelfwatch.local>',
    EMAIL_LINK_SECRET: env.EMAIL_LINK_SECRET ?? localEmailLinkSecret(env),
  };
}

/** The local SMTP server of `npm start`: keeps each message under `.data/mail/`, reports its subject. */
export function startLocalSmtpServer(
  env: NodeJS.ProcessEnv,
  port: number,
  log: (line: string) => void,
): Promise<LocalSmtpServer> {
  const mailDir = localMailDir(env);
  return startSmtpServer({
    port,
    mailDir,
    onMessage: (mail) => log(`to ${mail.to.join(', ')}: ${mail.subject} (${mail.file})`),
  });
}
