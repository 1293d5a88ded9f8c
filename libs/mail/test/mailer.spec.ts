import { startSmtpServer, type LocalSmtpServer } from '@shelfwatch/testing';
import { createMailer, describeSmtpUrl } from '../src';

describe('the mailer over a real SMTP server', () => {
  let smtp: LocalSmtpServer;

  beforeAll(async () => {
    smtp = await startSmtpServer();
  });
  afterAll(async () => {
    await smtp.close();
  });

  it('sends text and HTML bodies with the unsubscribe headers and the given Message-ID', async () => {
    const mailer = createMailer({ smtpUrl: smtp.url, from: 'shelfwatch <alerts@shelfwatch.test>' });
    try {
      await mailer.verify();
      await mailer.send({
        to: 'someone@example.test',
        subject: 'Price drop: Kettle',
        text: 'plain body',
        html: '<p>html body</p>',
        unsubscribeUrl: 'http://127.0.0.1:8080/email/unsubscribe?token=v1.abc.def',
        messageId: '<event-1.recipient-1@shelfwatch>',
      });
    } finally {
      mailer.close();
    }
    const [mail] = smtp.messagesTo('someone@example.test');
    expect(mail).toBeDefined();
    expect(mail!.subject).toBe('Price drop: Kettle');
    expect(mail!.text.trim()).toBe('plain body');
    expect(mail!.html).toContain('<p>html body</p>');
    expect(mail!.parsed.messageId).toBe('<event-1.recipient-1@shelfwatch>');
    // Long headers are folded onto continuation lines; unfold them to read one header per line.
    const headers = mail!.raw.split(/\r?\n\r?\n/)[0]!.replace(/\r?\n[ \t]+/g, ' ');
    expect(headers).toContain(
      'List-Unsubscribe: <http://127.0.0.1:8080/email/unsubscribe?token=v1.abc.def>',
    );
    expect(headers).toContain('List-Unsubscribe-Post: List-Unsubscribe=One-Click');
    expect(mail!.from).toBe('alerts@shelfwatch.test');
  });

  it('fails the send when the server answers with a temporary failure', async () => {
    const mailer = createMailer({ smtpUrl: smtp.url, from: 'alerts@shelfwatch.test' });
    smtp.failNext(1);
    try {
      await expect(
        mailer.send({ to: 'a@example.test', subject: 's', text: 't', html: '<p>t</p>' }),
      ).rejects.toThrow(/451/);
    } finally {
      mailer.close();
    }
    expect(smtp.refusedCount).toBe(1);
  });

  it('describes its server without the credentials', () => {
    expect(describeSmtpUrl('smtps://user:hunter2@smtp.example.com:465')).toBe(
      'smtps://smtp.example.com:465',
    );
    expect(describeSmtpUrl('smtps://user:hunter2@smtp.example.com:465')).not.toContain('hunter2');
  });
});
