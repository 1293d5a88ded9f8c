import type { Transporter } from 'nodemailer';
import type { MailMessage } from './message';

export interface Mailer {
  /** Resolves with the server's answer once it accepted the message; rejects when it did not. */
  send(message: MailMessage): Promise<{ messageId: string; response: string }>;
  /** Connects and greets the server: readiness, and a clear failure at start instead of at the first alert. */
  verify(): Promise<void>;
  close(): void;
}

export interface MailerOptions {
  /**
   * `smtp://user:pass@host:port` or `smtps://…`: nodemailer's URL form. In the cloud the whole
   * URL (with its password) comes from Secret Manager as an env variable; it is never logged.
   */
  smtpUrl: string;
  /** The From header, e.g. `shelfwatch <alerts@shelfwatch.example>`. */
  from: string;
}

/** The SMTP URL without its credentials, for log lines and error messages. */
export function describeSmtpUrl(smtpUrl: string): string {
  try {
    const url = new URL(smtpUrl);
    return `${url.protocol}//${url.hostname}${url.port ? `:${url.port}` : ''}`;
  } catch {
    return '(unparseable SMTP_URL)';
  }
}

export function createMailer(options: MailerOptions): Mailer {
  // Loaded here (ADR 0021): only a configured SMTP_URL sends mail, and nodemailer is slow to load.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { createTransport } = require('nodemailer') as typeof import('nodemailer');
  const transporter: Transporter = createTransport(options.smtpUrl, { from: options.from });
  return {
    async send(message) {
      const info = await transporter.sendMail({
        to: message.to,
        subject: message.subject,
        text: message.text,
        html: message.html,
        ...(message.messageId ? { messageId: message.messageId } : {}),
        ...(message.unsubscribeUrl
          ? {
              list: { unsubscribe: message.unsubscribeUrl },
              headers: { 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click' },
            }
          : {}),
      });
      return { messageId: String(info.messageId), response: String(info.response ?? '') };
    },
    async verify() {
      await transporter.verify();
    },
    close() {
      transporter.close();
    },
  };
}
