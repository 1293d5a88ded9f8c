/** One mail, ready for the transport: both bodies, and where to unsubscribe when it has a list. */
export interface MailMessage {
  to: string;
  subject: string;
  text: string;
  html: string;
  /**
   * The signed link that stops further mail to this recipient. Becomes `List-Unsubscribe` (and
   * RFC 8058 one-click `List-Unsubscribe-Post`), so mail clients offer it too.
   */
  unsubscribeUrl?: string;
  /**
   * A stable Message-ID for a mail that must be sent once (`<alert event>.<recipient>@…`): a
   * retry after a lost answer carries the same id, so receiving systems can tell it is a repeat.
   */
  messageId?: string;
}

/** Subject, text and HTML of a template, before a recipient is chosen. */
export interface MailContent {
  subject: string;
  text: string;
  html: string;
}
