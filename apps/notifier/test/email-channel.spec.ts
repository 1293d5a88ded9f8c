import { newId, type AlertRaised, type EventOf } from '@shelfwatch/contracts';
import { createPrismaClient, type PrismaClient } from '@shelfwatch/db';
import { createMailer, verifyLinkToken, type ConfiguredMail } from '@shelfwatch/mail';
import {
  createTestDatabase,
  startSmtpServer,
  type LocalSmtpServer,
  type TestDatabase,
} from '@shelfwatch/testing';
import { sendDueDigests } from '../src/email/digest-job';
import {
  alertEvent,
  createAccountRow,
  eventually,
  startNotifier,
  testLogger,
  type RunningNotifier,
} from './notifier-harness';

const LINK_SECRET = 'email-link-secret-for-the-notifier-tests';
const API_URL = 'http://127.0.0.1:8080';

/** The notifier's real handlers on the real Postgres transport, mailing a real SMTP server. */
describe('email: verified recipients get each alert once, or a digest', () => {
  let database: TestDatabase<PrismaClient>;
  let prisma: PrismaClient;
  let smtp: LocalSmtpServer;
  let mail: ConfiguredMail;
  let notifier: RunningNotifier;
  let addresses = 0;

  beforeAll(async () => {
    database = await createTestDatabase(createPrismaClient);
    prisma = database.prisma;
    smtp = await startSmtpServer();
    mail = {
      mailer: createMailer({ smtpUrl: smtp.url, from: 'shelfwatch <alerts@shelfwatch.test>' }),
      linkSecret: LINK_SECRET,
      server: smtp.url,
    };
    notifier = await startNotifier(database.url, {
      mail,
      env: { API_PUBLIC_URL: API_URL },
    });
  });

  afterAll(async () => {
    await notifier.stop();
    mail.mailer.close();
    await smtp.close();
    await database.drop();
  });

  /** A recipient row as the api stores it (confirmed unless `verified: false`). */
  async function recipient(
    accountId: string,
    options: {
      verified?: boolean;
      kinds?: AlertRaised['kind'][];
      label?: string;
      digestMinutes?: number;
    } = {},
  ) {
    return prisma.emailRecipient.create({
      data: {
        id: newId(),
        accountId,
        address: `reader-${++addresses}@example.test`,
        alertKinds: options.kinds ?? ['price_drop', 'back_in_stock'],
        label: options.label ?? null,
        deliveryMode: options.digestMinutes ? 'digest' : 'each_alert',
        digestIntervalMinutes: options.digestMinutes ?? null,
        verifiedAt: options.verified === false ? null : new Date(),
      },
    });
  }

  const delivered = (event: EventOf<'alert.raised'>) =>
    prisma.channelDelivery.findMany({ where: { eventId: event.id, channel: 'email' } });

  it('mails a price drop as text and HTML with a working unsubscribe link, and nothing to the unverified', async () => {
    const accountId = await createAccountRow(prisma);
    const reader = await recipient(accountId);
    const unverified = await recipient(accountId, { verified: false });
    const event = alertEvent(accountId, { productName: 'Kettle' });

    await notifier.messaging.publish(event);

    const mailed = await eventually('the mail', () => smtp.messagesTo(reader.address)[0]);
    expect(mailed.subject).toBe('Price drop: Kettle at 199.00 EUR (-20.08%)');
    expect(mailed.text).toContain('Price: 249.00 EUR → 199.00 EUR');
    expect(mailed.html).toContain('<h1>Price drop: Kettle</h1>');
    expect(mailed.parsed.messageId).toBe(`<${event.id}.${reader.id}@shelfwatch>`);
    const link = /http:\/\/127\.0\.0\.1:8080\/email\/unsubscribe\?token=\S+/.exec(mailed.text);
    expect(link).not.toBeNull();
    const token = new URL(link![0]).searchParams.get('token')!;
    expect(verifyLinkToken(LINK_SECRET, 'unsubscribe', token)).toBe(reader.id);
    expect(mailed.raw.replace(/\r?\n[ \t]+/g, ' ')).toContain(`List-Unsubscribe: <${link![0]}>`);
    const [row] = await eventually('the recorded outcome', async () => {
      const rows = await delivered(event);
      return rows.length > 0 ? rows : undefined;
    });
    expect(row).toMatchObject({ channelId: reader.id, outcome: 'delivered', webhookId: null });
    expect(smtp.messagesTo(unverified.address)).toHaveLength(0);
  });

  it('mails an alert.raised published three times exactly once', async () => {
    const accountId = await createAccountRow(prisma);
    const reader = await recipient(accountId);
    const event = alertEvent(accountId);

    await Promise.all([1, 2, 3].map(() => notifier.messaging.publish(event)));

    await eventually('the mail', () => smtp.messagesTo(reader.address)[0]);
    await new Promise((wake) => setTimeout(wake, 3_000));
    expect(smtp.messagesTo(reader.address)).toHaveLength(1);
    expect(await delivered(event)).toHaveLength(1);
  });

  it('retries a refused mail through the messaging layer and logs both attempts', async () => {
    const accountId = await createAccountRow(prisma);
    const reader = await recipient(accountId);
    const event = alertEvent(accountId);

    smtp.failNext(1);
    await notifier.messaging.publish(event);

    await eventually('the retried mail', () => smtp.messagesTo(reader.address)[0]);
    // The mail leaves inside the delivery's transaction: wait for its recorded outcome.
    await eventually('the recorded outcome', async () => (await delivered(event)).length === 1);
    const attempts = await prisma.deliveryAttempt.findMany({
      where: { eventId: event.id, channel: 'email' },
      orderBy: { startedAt: 'asc' },
    });
    expect(attempts.map((attempt) => [attempt.succeeded, attempt.status])).toEqual([
      [false, 451],
      [true, 250],
    ]);
    expect(smtp.messagesTo(reader.address)).toHaveLength(1);
  });

  it('follows kinds and label filters and sends nothing after unsubscribe', async () => {
    const accountId = await createAccountRow(prisma);
    const restocksOnly = await recipient(accountId, { kinds: ['back_in_stock'] });
    const garden = await recipient(accountId, { label: 'garden' });
    const kitchen = await recipient(accountId, { label: 'kitchen' });
    const unsubscribed = await recipient(accountId);
    await prisma.emailRecipient.update({
      where: { id: unsubscribed.id },
      data: { unsubscribedAt: new Date() },
    });

    await notifier.messaging.publish(alertEvent(accountId, { productName: 'Filtered' }));
    await notifier.messaging.publish(
      alertEvent(accountId, {
        kind: 'back_in_stock',
        productName: 'Restocked',
        previous: null,
        changePercent: null,
        previousAvailability: 'OutOfStock',
      }),
    );

    const restock = await eventually('the restock mail', () =>
      smtp.messagesTo(restocksOnly.address).find((m) => m.subject.includes('Restocked')),
    );
    expect(restock.subject).toBe('Back in stock: Restocked at 199.00 EUR');
    expect(restock.text).toContain('Availability: out of stock → in stock');
    await eventually(
      'both mails to the kitchen',
      () => smtp.messagesTo(kitchen.address).length === 2,
    );
    expect(smtp.messagesTo(restocksOnly.address)).toHaveLength(1);
    expect(smtp.messagesTo(garden.address)).toHaveLength(0);
    expect(smtp.messagesTo(unsubscribed.address)).toHaveLength(0);
  });

  it('groups a digest recipient’s alerts into one mail once the interval has passed', async () => {
    const accountId = await createAccountRow(prisma);
    const reader = await recipient(accountId, { digestMinutes: 30 });
    const drop = alertEvent(accountId, { productName: 'Kettle' });
    const restock = alertEvent(accountId, {
      kind: 'back_in_stock',
      productName: 'Toaster',
      previousAvailability: 'OutOfStock',
    });

    await notifier.messaging.publish(drop);
    await notifier.messaging.publish(restock);
    await notifier.messaging.publish(drop); // a duplicate: still one entry
    await eventually('both queued', async () => {
      const count = await prisma.emailDigestEntry.count({ where: { recipientId: reader.id } });
      return count === 2 && (await delivered(drop)).length === 1;
    });
    expect(smtp.messagesTo(reader.address)).toHaveLength(0);

    const deps = { ...mail, prisma, apiBaseUrl: API_URL, logger: testLogger };
    expect(await sendDueDigests(deps, new Date(Date.now() + 10 * 60_000))).toMatchObject({
      sent: 0,
    });
    const later = new Date(Date.now() + 31 * 60_000);
    smtp.failNext(1);
    expect(await sendDueDigests(deps, later)).toMatchObject({ sent: 0, failed: 1 });
    expect(await sendDueDigests(deps, later)).toMatchObject({ sent: 1, failed: 0 });
    expect(await sendDueDigests(deps, later)).toMatchObject({ sent: 0 });

    const [digest, ...more] = smtp.messagesTo(reader.address);
    expect(more).toHaveLength(0);
    expect(digest!.subject).toBe('2 changes on your watches');
    expect(digest!.text).toContain('Price drop: Kettle');
    expect(digest!.text).toContain('Back in stock: Toaster');
    expect(digest!.html.match(/<h2>/g)).toHaveLength(2);
    expect(digest!.text).toContain('/email/unsubscribe?token=');
  });
});
