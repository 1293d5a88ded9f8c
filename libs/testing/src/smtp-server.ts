import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';

export interface ReceivedMail {
  /** Envelope recipients (RCPT TO), lower-cased. */
  to: string[];
  from: string | null;
  /** The message as sent, headers and all. */
  raw: string;
  parsed: ParsedMail;
  subject: string;
  text: string;
  html: string;
  /** The `.eml` file it was kept in, when the server keeps mail on disk. */
  file: string | null;
}

export interface LocalSmtpServer {
  /** `smtp://127.0.0.1:<port>`: the apps' SMTP_URL. */
  url: string;
  port: number;
  /** Every message accepted so far, oldest first. */
  readonly messages: ReceivedMail[];
  /** Messages accepted for `address`. */
  messagesTo(address: string): ReceivedMail[];
  /** Answer the next `count` messages with a temporary failure (451), as a server under load does. */
  failNext(count: number): void;
  /** How many messages were refused by failNext so far. */
  readonly refusedCount: number;
  close(): Promise<void>;
}

export interface SmtpServerOptions {
  /** 0 (default): any free port. */
  port?: number;
  /** Keep each message as one `.eml` file in this directory. */
  mailDir?: string;
  onMessage?: (mail: ReceivedMail) => void;
}

/**
 * A real SMTP server (the `smtp-server` package) on 127.0.0.1 only, for tests and `npm start`:
 * plain SMTP without TLS, any or no credentials accepted, every message parsed and kept.
 */
export async function startSmtpServer(options: SmtpServerOptions = {}): Promise<LocalSmtpServer> {
  const messages: ReceivedMail[] = [];
  let failuresLeft = 0;
  let refused = 0;
  let sequence = 0;
  if (options.mailDir) mkdirSync(options.mailDir, { recursive: true });

  const server = new SMTPServer({
    secure: false,
    disabledCommands: ['STARTTLS'],
    authOptional: true,
    allowInsecureAuth: true,
    logger: false,
    banner: 'shelfwatch local SMTP',
    // Stopping (Ctrl-C, a test's afterAll) must not wait the default 30 s for idle clients.
    closeTimeout: 2_000,
    onAuth(auth, _session, callback) {
      callback(null, { user: auth.username ?? 'local' });
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('error', callback);
      stream.on('end', () => {
        if (failuresLeft > 0) {
          failuresLeft -= 1;
          refused += 1;
          const error = Object.assign(new Error('Try again later (test failure)'), {
            responseCode: 451,
          });
          callback(error);
          return;
        }
        const raw = Buffer.concat(chunks).toString('utf8');
        simpleParser(raw)
          .then((parsed) => {
            sequence += 1;
            let file: string | null = null;
            if (options.mailDir) {
              const stamp = new Date().toISOString().replace(/[:.]/g, '-');
              file = join(options.mailDir, `${stamp}-${String(sequence).padStart(4, '0')}.eml`);
              writeFileSync(file, raw);
            }
            const mail: ReceivedMail = {
              to: session.envelope.rcptTo.map((rcpt) => rcpt.address.toLowerCase()),
              from: session.envelope.mailFrom ? session.envelope.mailFrom.address : null,
              raw,
              parsed,
              subject: parsed.subject ?? '',
              text: parsed.text ?? '',
              html: typeof parsed.html === 'string' ? parsed.html : '',
              file,
            };
            messages.push(mail);
            options.onMessage?.(mail);
            callback();
          })
          .catch(callback);
      });
    },
  });

  const port = await new Promise<number>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => {
      const address = server.server.address();
      if (typeof address === 'object' && address) resolve(address.port);
      else reject(new Error('The SMTP server has no address'));
    });
  });
  server.on('error', () => {
    // A client that drops its connection mid-session is not the server's failure.
  });

  return {
    url: `smtp://127.0.0.1:${port}`,
    port,
    messages,
    messagesTo: (address) => messages.filter((mail) => mail.to.includes(address.toLowerCase())),
    failNext(count) {
      failuresLeft = count;
    },
    get refusedCount() {
      return refused;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
