import type { AlertRaised } from '@shelfwatch/contracts';
import { alertFacts, alertHeadline, money, productLabel } from './alert-text';
import { escapeHtml, htmlDocument } from './html';
import type { MailContent } from './message';

function unsubscribeFooter(unsubscribeUrl: string): { text: string; html: string } {
  return {
    text: `You get this because your shelfwatch account sends its alerts to this address.\nUnsubscribe: ${unsubscribeUrl}`,
    html: `You get this because your shelfwatch account sends its alerts to this address. <a href="${escapeHtml(unsubscribeUrl)}">Unsubscribe</a>.`,
  };
}

function alertTextBlock(alert: AlertRaised): string {
  return [
    alertHeadline(alert),
    ...alertFacts(alert).map(([label, value]) => `  ${label}: ${value}`),
  ].join('\n');
}

function alertHtmlBlock(alert: AlertRaised, heading: 'h1' | 'h2'): string {
  const rows = alertFacts(alert)
    .map(([label, value]) =>
      label === 'Page'
        ? `<tr><th align="left">${label}</th><td><a href="${escapeHtml(value)}">${escapeHtml(value)}</a></td></tr>`
        : `<tr><th align="left">${label}</th><td>${escapeHtml(value)}</td></tr>`,
    )
    .join('');
  return `<${heading}>${escapeHtml(alertHeadline(alert))}</${heading}>\n<table cellpadding="4">${rows}</table>`;
}

/** The subject of one alert: what happened, to which product, at what price. */
function alertSubject(alert: AlertRaised): string {
  const current = money(alert.current);
  const change = alert.changePercent !== null ? ` (${alert.changePercent}%)` : '';
  return `${alertHeadline(alert)}${current ? ` at ${current}${change}` : ''}`;
}

/** One mail per alert. */
export function alertMail(alert: AlertRaised, unsubscribeUrl: string): MailContent {
  const footer = unsubscribeFooter(unsubscribeUrl);
  return {
    subject: alertSubject(alert),
    text: `${alertTextBlock(alert)}\n\n-- \n${footer.text}\n`,
    html: htmlDocument(alertSubject(alert), alertHtmlBlock(alert, 'h1'), footer.html),
  };
}

/** Several alerts in one mail, oldest first, for a recipient who asked for a digest. */
export function digestMail(alerts: readonly AlertRaised[], unsubscribeUrl: string): MailContent {
  if (alerts.length === 0) throw new Error('A digest needs at least one alert');
  const footer = unsubscribeFooter(unsubscribeUrl);
  const subject =
    alerts.length === 1
      ? `1 change on your watches: ${productLabel(alerts[0]!)}`
      : `${alerts.length} changes on your watches`;
  return {
    subject,
    text: `${subject}\n\n${alerts.map(alertTextBlock).join('\n\n')}\n\n-- \n${footer.text}\n`,
    html: htmlDocument(
      subject,
      `<h1>${escapeHtml(subject)}</h1>\n${alerts.map((alert) => alertHtmlBlock(alert, 'h2')).join('\n')}`,
      footer.html,
    ),
  };
}

/** The mail that proves a new recipient owns the address, before anything else is sent to it. */
export function verificationMail(options: { verifyUrl: string; expiresAt: Date }): MailContent {
  const subject = 'Confirm this address for shelfwatch alerts';
  const expires = options.expiresAt.toISOString();
  return {
    subject,
    text: [
      'Someone added this address to a shelfwatch account to receive price and stock alerts.',
      `To confirm, open this link before ${expires}:`,
      '',
      options.verifyUrl,
      '',
      'If this was not you, ignore this mail: nothing is sent to an unconfirmed address.',
      '',
    ].join('\n'),
    html: htmlDocument(
      subject,
      [
        '<p>Someone added this address to a shelfwatch account to receive price and stock alerts.</p>',
        `<p><a href="${escapeHtml(options.verifyUrl)}">Confirm this address</a> before ${escapeHtml(expires)}.</p>`,
      ].join('\n'),
      'If this was not you, ignore this mail: nothing is sent to an unconfirmed address.',
    ),
  };
}
