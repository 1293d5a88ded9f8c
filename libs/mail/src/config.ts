import { z } from 'zod';
import { createMailer, describeSmtpUrl, type Mailer } from './transport';

/**
 * The mail settings of every app that sends mail, for its config schema. All optional: an app
 * without SMTP_URL sends nothing (and says so where mail is needed). In the cloud SMTP_URL (with
 * its password) and EMAIL_LINK_SECRET come from Secret Manager as env variables.
 */
export const mailConfigShape = {
  SMTP_URL: z
    .string()
    .regex(/^smtps?:\/\/[^\s]+$/, 'must be an smtp:// or smtps:// URL')
    .optional(),
  MAIL_FROM: z.string().min(3).max(320).default('shelfwatch <alerts@shelfwatch.local>'),
  /** Signs unsubscribe links; the api and the notifier must share it. */
  EMAIL_LINK_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
};

export interface MailSettings {
  SMTP_URL?: string;
  MAIL_FROM: string;
  EMAIL_LINK_SECRET?: string;
}

export interface ConfiguredMail {
  mailer: Mailer;
  linkSecret: string;
  /** Where the SMTP server is, without credentials: for the start-up log line. */
  server: string;
}

/** The mailer of a config, or null when SMTP_URL is unset; a URL without a link secret is an error. */
export function mailFromConfig(config: MailSettings): ConfiguredMail | null {
  if (!config.SMTP_URL) return null;
  if (!config.EMAIL_LINK_SECRET)
    throw new Error(
      'EMAIL_LINK_SECRET is required when SMTP_URL is set (it signs unsubscribe links)',
    );
  return {
    mailer: createMailer({ smtpUrl: config.SMTP_URL, from: config.MAIL_FROM }),
    linkSecret: config.EMAIL_LINK_SECRET,
    server: describeSmtpUrl(config.SMTP_URL),
  };
}
