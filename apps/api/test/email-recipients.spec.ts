import { createHash } from 'node:crypto';
import { problemTypes } from '@shelfwatch/contracts';
import type { PrismaClient } from '@shelfwatch/db';
import { createMailer, signLinkToken, unsubscribeUrl, type Mailer } from '@shelfwatch/mail';
import { eventually, startSmtpServer, type LocalSmtpServer } from '@shelfwatch/testing';
import type { Express } from 'express';
import request from 'supertest';
import {
  createTestAccount,
  keyWithScopes,
  startApiHarness,
  withKey,
  type ApiHarness,
  type TestAccount,
} from './api-harness';

const LINK_SECRET = 'email-link-secret-for-the-api-tests-only';
const BASE_URL = 'http://127.0.0.1:8080';

function linkIn(text: string, path: string): URL {
  const match = new RegExp(`${BASE_URL.replace(/[.]/g, '\\.')}${path}\\?token=[^\\s"<]+`).exec(
    text,
  );
  if (!match) throw new Error(`No ${path} link in:\n${text}`);
  return new URL(match[0]);
}

describe('email recipients: added, confirmed by a mailed link, unsubscribed without a session', () => {
  let harness: ApiHarness;
  let prisma: PrismaClient;
  let smtp: LocalSmtpServer;
  let mailer: Mailer;
  let app: Express;
  let alice: TestAccount;
  let bob: TestAccount;
  let asAlice: ReturnType<typeof withKey>;
  let asBob: ReturnType<typeof withKey>;
  let addresses = 0;
  const nextAddress = () => `person-${++addresses}@example.test`;

  beforeAll(async () => {
    smtp = await startSmtpServer();
    mailer = createMailer({ smtpUrl: smtp.url, from: 'shelfwatch <alerts@shelfwatch.test>' });
    harness = await startApiHarness(() => ({
      mail: {
        mailer,
        linkSecret: LINK_SECRET,
        publicBaseUrl: BASE_URL,
        verificationTtlSeconds: 3600,
      },
    }));
    ({ app, prisma } = harness);
    alice = await createTestAccount(prisma, { name: 'mail-alice' });
    bob = await createTestAccount(prisma, { name: 'mail-bob' });
    asAlice = withKey(app, alice.apiKey.key);
    asBob = withKey(app, bob.apiKey.key);
  });

  afterAll(async () => {
    mailer.close();
    await smtp.close();
    await harness.close();
  });

  async function addRecipient(body: object = {}) {
    const address = nextAddress();
    const created = await asAlice.post('/v1/email-recipients').send({ address, ...body });
    expect(created.status).toBe(201);
    const mail = await eventually('the confirmation mail', () => smtp.messagesTo(address)[0]);
    return { address, recipient: created.body, mail };
  }

  it('mails a confirmation link that verifies the address without signing in', async () => {
    const { address, recipient, mail } = await addRecipient({ kinds: ['price_drop'] });
    expect(recipient).toMatchObject({
      address,
      kinds: ['price_drop'],
      delivery: 'each_alert',
      status: 'pending_verification',
      verifiedAt: null,
    });
    expect(mail.subject).toBe('Confirm this address for shelfwatch alerts');
    const link = linkIn(mail.text, '/email/verify');
    expect(mail.html).toContain(link.pathname);

    // At rest the token is only its SHA-256.
    const token = link.searchParams.get('token')!;
    const row = await prisma.emailRecipient.findUniqueOrThrow({ where: { id: recipient.id } });
    expect(row.verificationTokenHash).toBe(createHash('sha256').update(token).digest('hex'));
    expect(JSON.stringify(row)).not.toContain(token);

    const page = await request(app).get(`${link.pathname}${link.search}`);
    expect(page.status).toBe(200);
    expect(page.type).toBe('text/html');
    expect(page.text).toContain('Address confirmed');
    expect(page.text).toContain(address);

    const again = await request(app)
      .get(`${link.pathname}${link.search}`)
      .set('Accept', 'application/json');
    expect(again.status).toBe(200);
    expect(again.body.status).toBe('verified');
    const read = await asAlice.get(`/v1/email-recipients/${recipient.id}`);
    expect(read.body.status).toBe('verified');
    expect(read.body.verificationExpiresAt).toBeNull();
  });

  it('refuses an unknown confirmation token and an expired one, as a page or as problem+json', async () => {
    const unknown = await request(app)
      .get('/email/verify?token=not-a-real-token')
      .set('Accept', 'application/json');
    expect(unknown.status).toBe(400);
    expect(unknown.body.type).toBe(problemTypes.invalidEmailLink);
    const unknownPage = await request(app).get('/email/verify?token=not-a-real-token');
    expect(unknownPage.status).toBe(400);
    expect(unknownPage.type).toBe('text/html');

    const missing = await request(app).get('/email/verify').set('Accept', 'application/json');
    expect(missing.status).toBe(400);
    expect(missing.body.type).toBe(problemTypes.validationFailed);

    const { recipient, mail } = await addRecipient();
    await prisma.emailRecipient.update({
      where: { id: recipient.id },
      data: { verificationExpiresAt: new Date(Date.now() - 1000) },
    });
    const link = linkIn(mail.text, '/email/verify');
    const expired = await request(app)
      .get(`${link.pathname}${link.search}`)
      .set('Accept', 'application/json');
    expect(expired.status).toBe(410);
    expect(expired.body.type).toBe(problemTypes.emailLinkExpired);
    const row = await prisma.emailRecipient.findUniqueOrThrow({ where: { id: recipient.id } });
    expect(row.verifiedAt).toBeNull();
  });

  it('unsubscribes with the signed link: the page only asks, the post (a form, no session) stops mail', async () => {
    const { recipient } = await addRecipient();
    const url = new URL(unsubscribeUrl(BASE_URL, LINK_SECRET, recipient.id));
    const path = `${url.pathname}${url.search}`;

    const page = await request(app).get(path);
    expect(page.status).toBe(200);
    expect(page.text).toContain('<form method="post"');
    expect((await asAlice.get(`/v1/email-recipients/${recipient.id}`)).body.status).not.toBe(
      'unsubscribed',
    );

    // What a mail client's one-click unsubscribe (RFC 8058) sends.
    const oneClick = await request(app).post(path).type('form').send('List-Unsubscribe=One-Click');
    expect(oneClick.status).toBe(200);
    expect(oneClick.text).toContain('Unsubscribed');
    const read = await asAlice.get(`/v1/email-recipients/${recipient.id}`);
    expect(read.body.status).toBe('unsubscribed');

    const repeated = await request(app).post(path).set('Accept', 'application/json');
    expect(repeated.status).toBe(200);
    expect(repeated.body.unsubscribedAt).toBe(read.body.unsubscribedAt);
  });

  it('refuses forged unsubscribe tokens', async () => {
    const { recipient } = await addRecipient();
    const forged = signLinkToken(
      'another-secret-entirely-of-enough-length',
      'unsubscribe',
      recipient.id,
    );
    const answer = await request(app)
      .post(`/email/unsubscribe?token=${forged}`)
      .set('Accept', 'application/json');
    expect(answer.status).toBe(400);
    expect(answer.body.type).toBe(problemTypes.invalidEmailLink);
    const row = await prisma.emailRecipient.findUniqueOrThrow({ where: { id: recipient.id } });
    expect(row.unsubscribedAt).toBeNull();
  });

  it('keeps recipients to their account', async () => {
    const { recipient } = await addRecipient();
    expect((await asBob.get(`/v1/email-recipients/${recipient.id}`)).status).toBe(404);
    expect(
      (await asBob.patch(`/v1/email-recipients/${recipient.id}`).send({ kinds: ['price_rise'] }))
        .status,
    ).toBe(404);
    expect((await asBob.delete(`/v1/email-recipients/${recipient.id}`)).status).toBe(404);
    const bobs = await asBob.get('/v1/email-recipients');
    expect(bobs.status).toBe(200);
    expect(bobs.body.items).toEqual([]);
    const alices = await asAlice.get('/v1/email-recipients');
    expect(alices.body.items.map((item: { id: string }) => item.id)).toContain(recipient.id);

    const bobsWatch = await asBob
      .post('/v1/watches')
      .send({ url: 'https://shop.example.com/p/mail-filter' });
    expect(bobsWatch.status).toBe(201);
    const foreignFilter = await asAlice
      .post('/v1/email-recipients')
      .send({ address: nextAddress(), watchId: bobsWatch.body.id });
    expect(foreignFilter.status).toBe(404);
  });

  it('changes filters and delivery, and deletes', async () => {
    const { recipient } = await addRecipient();
    const digest = await asAlice
      .patch(`/v1/email-recipients/${recipient.id}`)
      .send({ delivery: 'digest', digestIntervalMinutes: 30, label: 'kitchen' });
    expect(digest.status).toBe(200);
    expect(digest.body).toMatchObject({
      delivery: 'digest',
      digestIntervalMinutes: 30,
      label: 'kitchen',
    });
    const back = await asAlice
      .patch(`/v1/email-recipients/${recipient.id}`)
      .send({ delivery: 'each_alert' });
    expect(back.body).toMatchObject({ delivery: 'each_alert', digestIntervalMinutes: null });
    expect((await asAlice.delete(`/v1/email-recipients/${recipient.id}`)).status).toBe(204);
    expect((await asAlice.get(`/v1/email-recipients/${recipient.id}`)).status).toBe(404);
  });

  it('answers bad input with specific 4xx problems and stores nothing', async () => {
    const before = await prisma.emailRecipient.count();
    const cases: Array<[object, string]> = [
      [{ address: 'not-an-address' }, 'body.address'],
      [{ address: nextAddress(), delivery: 'digest' }, 'body.digestIntervalMinutes'],
      [
        { address: nextAddress(), digestIntervalMinutes: 2, delivery: 'digest' },
        'body.digestIntervalMinutes',
      ],
      [{ address: nextAddress(), kinds: ['price_fall'] }, 'body.kinds[0]'],
      [{ address: nextAddress(), colour: 'red' }, 'body.colour'],
    ];
    for (const [body, path] of cases) {
      const answer = await asAlice.post('/v1/email-recipients').send(body);
      expect(answer.status).toBe(400);
      expect(answer.body.errors.map((error: { path: string }) => error.path)).toContain(path);
    }
    expect(await prisma.emailRecipient.count()).toBe(before);

    const { address, recipient } = await addRecipient();
    const duplicate = await asAlice
      .post('/v1/email-recipients')
      .send({ address: address.toUpperCase() });
    expect(duplicate.status).toBe(409);
    const immutable = await asAlice
      .patch(`/v1/email-recipients/${recipient.id}`)
      .send({ address: nextAddress() });
    expect(immutable.status).toBe(400);
    expect(immutable.body.errors[0].path).toBe('body.address');
    const needsInterval = await asAlice
      .patch(`/v1/email-recipients/${recipient.id}`)
      .send({ delivery: 'digest' });
    expect(needsInterval.status).toBe(400);
    expect(needsInterval.body.errors[0].path).toBe('body.digestIntervalMinutes');
  });

  it('needs a credential with the write scope', async () => {
    const anonymous = await request(app)
      .post('/v1/email-recipients')
      .send({ address: nextAddress() });
    expect(anonymous.status).toBe(401);
    const readOnly = await keyWithScopes(prisma, alice.accountId, ['read']);
    const forbidden = await withKey(app, readOnly)
      .post('/v1/email-recipients')
      .send({ address: nextAddress() });
    expect(forbidden.status).toBe(403);
  });

  it('replays a repeated POST with the same Idempotency-Key and mails once', async () => {
    const address = nextAddress();
    const first = await asAlice
      .post('/v1/email-recipients')
      .set('Idempotency-Key', 'add-recipient-1')
      .send({ address });
    const second = await asAlice
      .post('/v1/email-recipients')
      .set('Idempotency-Key', 'add-recipient-1')
      .send({ address });
    expect(first.status).toBe(201);
    expect(second.status).toBe(201);
    expect(second.headers['idempotent-replayed']).toBe('true');
    expect(second.body.id).toBe(first.body.id);
    await eventually('the confirmation mail', () => smtp.messagesTo(address)[0]);
    expect(smtp.messagesTo(address)).toHaveLength(1);
  });

  it('stores nothing and answers 503 when the SMTP server refuses the confirmation mail', async () => {
    const address = nextAddress();
    smtp.failNext(1);
    const refused = await asAlice.post('/v1/email-recipients').send({ address });
    expect(refused.status).toBe(503);
    expect(refused.body.type).toBe(problemTypes.mailUnavailable);
    expect(await prisma.emailRecipient.count({ where: { address } })).toBe(0);
    const retried = await asAlice.post('/v1/email-recipients').send({ address });
    expect(retried.status).toBe(201);
  });

  it('answers 503 on a server without SMTP configured', async () => {
    const noMail = harness.appWith({ mail: undefined });
    const answer = await withKey(noMail, alice.apiKey.key)
      .post('/v1/email-recipients')
      .send({ address: nextAddress() });
    expect(answer.status).toBe(503);
    expect(answer.body.detail).toContain('SMTP_URL');
  });
});
