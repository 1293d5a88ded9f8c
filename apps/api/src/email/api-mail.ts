import type { Mailer } from '@shelfwatch/mail';

/** What the api needs to mail confirmation links and to check the links in mail. */
export interface ApiMail {
  mailer: Mailer;
  /** Signs unsubscribe links (shared with the notifier). */
  linkSecret: string;
  /** The api's public URL: the links in mail point here, never at a request's Host header. */
  publicBaseUrl: string;
  verificationTtlSeconds: number;
}
