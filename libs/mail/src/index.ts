export { createMailer, describeSmtpUrl, type Mailer, type MailerOptions } from './transport';
export type { MailContent, MailMessage } from './message';
export { alertMail, digestMail, verificationMail } from './templates';
export { signLinkToken, unsubscribeUrl, verifyLinkToken, type LinkPurpose } from './link-tokens';
export { mailConfigShape, mailFromConfig, type ConfiguredMail, type MailSettings } from './config';
export { escapeHtml, htmlDocument } from './html';
